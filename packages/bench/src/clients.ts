/**
 * The clients under comparison, each as the calls it makes per operation:
 *
 * - baselines: raw `undici.request`, the global `fetch`, the `openai` SDK;
 * - for each `HttpClient` transport a user can give the library, the transport alone (what a hand-written Effect
 *   client does: `get`/`post` + `json`, the platform tracer off) and ours over it (`RunsService` over
 *   `OpenAiClient.layer` with its default options);
 * - ours over `UndiciHttpClient` with trace propagation off, and with Debug logging on (to a logger that drops it).
 *
 * A client without an operation (ours from a build before `listRuns` / `pollRun` / `createRunStream`) lacks the
 * entry and is reported as skipped.
 */
import { UndiciHttpClient } from "@effect-openai/http-undici"
import type * as Runs from "@effect-openai/runs"
import { FetchHttpClient, HttpBody, HttpClient, type HttpClientResponse } from "@effect/platform"
import { NodeHttpClient } from "@effect/platform-node"
import { Effect, Layer, Logger, LogLevel, ManagedRuntime, Redacted, Schedule, Stream } from "effect"
import OpenAI from "openai"
import * as Undici from "undici"
import * as Fixtures from "./fixtures.js"
import type { Call, Operation } from "./workloads.js"

/** The `HttpClient` transports, by the module that provides each. */
export type Transport = "FetchHttpClient" | "NodeHttpClient" | "UndiciHttpClient"

/** Each transport's layer, as a user provides it. */
export const transports: ReadonlyArray<{
  readonly name: Transport
  readonly layer: () => Layer.Layer<HttpClient.HttpClient>
  readonly description: string
}> = [
  { name: "FetchHttpClient", layer: () => FetchHttpClient.layer, description: "FetchHttpClient.layer" },
  { name: "NodeHttpClient", layer: () => NodeHttpClient.layerUndici, description: "NodeHttpClient.layerUndici" },
  { name: "UndiciHttpClient", layer: () => UndiciHttpClient.layer(), description: "UndiciHttpClient.layer()" }
]

/**
 * What a client is: a baseline, a transport alone, ours with the default options, or ours with an option changed
 * (over {@link optionsTransport}).
 */
export type Kind = "baseline" | "alone" | "ours" | "option"

/** The transport the option rows run over. */
export const optionsTransport: Transport = "UndiciHttpClient"

/** What reading a stream to its end counted: its events, or for clients that only read the body, its bytes. */
export interface StreamRead {
  readonly unit: "events" | "bytes"
  readonly count: number
}

/** A client ready to call the server. */
export interface Client {
  readonly name: string
  readonly kind: Kind
  /** The transport under an Effect client, `null` for the baselines. */
  readonly transport: Transport | null
  /** Each operation as a promise (Effect clients: `runtime.runPromise` of the operation's Effect). */
  readonly calls: Partial<Record<Operation, Call>>
  /** Effect clients: each operation as an Effect, and the runtime to run a batch of them with. */
  readonly program: {
    readonly effects: Partial<Record<Operation, Effect.Effect<unknown, unknown>>>
    readonly run: <A, E>(effect: Effect.Effect<A, E>) => Promise<A>
  } | null
  readonly close: () => Promise<void>
}

/** The module of our client: `@effect-openai/runs`, or a patched copy (see the README). */
export type RunsModule = typeof Runs

const apiKey = "sk-bench"
const threadId = "thread_abc123"
const runId = "run_abc123"
const metadata = { bench: "true" }
const streamBody = { assistant_id: Fixtures.assistantId, stream: true }

let polls = 0

/** Every poll of a run on the poll thread has its own run id, so the server counts its GETs afresh. */
const pollRunId = (client: string) => `run_${client.replace(/\W+/g, "_")}_${++polls}`

const pending = new Set(["queued", "in_progress", "cancelling"])

/** Polls with `get` until the run is no longer pending, without waiting in between. */
const pollLoop = async (get: (runId: string) => Promise<{ readonly status: string }>, id: string) => {
  let run = await get(id)
  while (pending.has(run.status)) run = await get(id)
  return run
}

/** The headers ours sends on every request but the trace context (which only ours sends). */
const headers = {
  authorization: `Bearer ${apiKey}`,
  "openai-beta": "assistants=v2",
  accept: "application/json",
  "user-agent": "effect-openai-runs/0.1.0"
}
const jsonHeaders = { ...headers, "content-type": "application/json" }
const streamHeaders = { ...jsonHeaders, accept: "text/event-stream" }

const paths = {
  run: `/threads/${threadId}/runs/${runId}`,
  runChunked: `/threads/${Fixtures.chunkedThreadId}/runs/${runId}`,
  runs: `/threads/${threadId}/runs`,
  page: `/threads/${threadId}/runs?limit=100`,
  pollRun: (id: string) => `/threads/${Fixtures.pollThreadId}/runs/${id}`
}

/** A baseline client: no transport, no Effect program. */
const baseline = (
  name: string,
  calls: Partial<Record<Operation, Call>>,
  close: () => Promise<void> = () => Promise.resolve()
): Client => ({ name, kind: "baseline", transport: null, calls, program: null, close })

/** A raw client's request of a path: the parsed JSON of the answer to a GET, or to a POST of `body`. */
type RawCall = (path: string, method?: "GET" | "POST", body?: unknown) => Promise<any>

/** The non-stream operations of a raw client (undici, fetch), each from its `call`; polls take run ids of `pollName`. */
const restCalls = (pollName: string, call: RawCall): Partial<Record<Operation, Call>> => ({
  getRun: () => call(paths.run),
  getRunChunked: () => call(paths.runChunked),
  modifyRun: () => call(paths.run, "POST", { metadata }),
  listRuns: () => call(paths.page),
  pollRun: () => pollLoop((id) => call(paths.pollRun(id)), pollRunId(pollName))
})

/** `undici.request` on its own `Agent`, then `JSON.parse` of the body text; a stream's body is read, not parsed. */
export const undici = (apiUrl: string): Client => {
  const dispatcher = new Undici.Agent()
  const call = async (path: string, method: "GET" | "POST" = "GET", body?: unknown) => {
    const response = await Undici.request(`${apiUrl}${path}`, {
      dispatcher,
      method,
      headers: body === undefined ? headers : jsonHeaders,
      body: body === undefined ? null : JSON.stringify(body)
    })
    const text = await response.body.text()
    if (response.statusCode !== 200) throw new Error(`HTTP ${response.statusCode}: ${text}`)
    return JSON.parse(text)
  }
  return baseline("undici", {
    ...restCalls("undici", call),
    stream: async (): Promise<StreamRead> => {
      const response = await Undici.request(`${apiUrl}${paths.runs}`, {
        dispatcher,
        method: "POST",
        headers: streamHeaders,
        body: JSON.stringify(streamBody)
      })
      if (response.statusCode !== 200) throw new Error(`HTTP ${response.statusCode}`)
      let bytes = 0
      for await (const chunk of response.body) bytes += (chunk as Buffer).length
      return { unit: "bytes", count: bytes }
    }
  }, () => dispatcher.close())
}

/** The global `fetch`, then `response.json()`; a stream's body is read, not parsed. */
export const fetch = (apiUrl: string): Client => {
  const call = async (path: string, method: "GET" | "POST" = "GET", body?: unknown) => {
    const response = await globalThis.fetch(`${apiUrl}${path}`, {
      method,
      headers: body === undefined ? headers : jsonHeaders,
      body: body === undefined ? null : JSON.stringify(body)
    })
    if (!response.ok) throw new Error(`HTTP ${response.status}: ${await response.text()}`)
    return response.json()
  }
  return baseline("fetch", {
    ...restCalls("fetch", call),
    stream: async (): Promise<StreamRead> => {
      const response = await globalThis.fetch(`${apiUrl}${paths.runs}`, {
        method: "POST",
        headers: streamHeaders,
        body: JSON.stringify(streamBody)
      })
      if (!response.ok || response.body === null) throw new Error(`HTTP ${response.status}`)
      const reader = response.body.getReader()
      let bytes = 0
      for (let read = await reader.read(); !read.done; read = await reader.read()) bytes += read.value.length
      return { unit: "bytes", count: bytes }
    }
  })
}

const countEvents = async (events: AsyncIterable<unknown>): Promise<StreamRead> => {
  let count = 0
  for await (const _ of events) count++
  return { unit: "events", count }
}

/** The SDK's runs resource, without retries. */
const sdkRuns = (apiUrl: string) => new OpenAI({ apiKey, baseURL: apiUrl, maxRetries: 0 }).beta.threads.runs

/**
 * The `openai` SDK without retries. Its polling helper (`runs.poll`) sleeps at least one timer tick between GETs,
 * so polling is the same loop of `retrieve` calls as the raw clients'. Streaming is `runs.stream(…)`, the SDK's
 * `AssistantStream` (it also accumulates the run, messages and steps as events arrive), iterated to its end.
 */
export const sdk = (apiUrl: string): Client => {
  const runs = sdkRuns(apiUrl)
  return baseline("openai SDK", {
    getRun: () => runs.retrieve(runId, { thread_id: threadId }),
    getRunChunked: () => runs.retrieve(runId, { thread_id: Fixtures.chunkedThreadId }),
    modifyRun: () => runs.update(runId, { thread_id: threadId, metadata }),
    listRuns: async () => (await runs.list(threadId, { limit: 100 })).data,
    pollRun: () => pollLoop((id) => runs.retrieve(id, { thread_id: Fixtures.pollThreadId }), pollRunId("sdk")),
    stream: () => countEvents(runs.stream(threadId, { assistant_id: Fixtures.assistantId }))
  })
}

/** The SDK's lower-level stream, `runs.create(…, { stream: true })`: the parsed events, nothing accumulated. */
export const sdkRawEvents = (apiUrl: string): Client => {
  const runs = sdkRuns(apiUrl)
  return baseline("openai SDK, raw events", {
    stream: async () => countEvents(await runs.create(threadId, { assistant_id: Fixtures.assistantId, stream: true }))
  })
}

/** An Effect client from its operations as Effects, in the runtime that provides what they need. */
const effectClient = <R>(
  name: string,
  kind: Kind,
  transport: Transport,
  runtime: ManagedRuntime.ManagedRuntime<R, unknown>,
  effects: Partial<Record<Operation, Effect.Effect<unknown, unknown, R>>>
): Client => {
  const run = <A, E>(effect: Effect.Effect<A, E, R>) => runtime.runPromise(effect)
  const calls: Partial<Record<Operation, Call>> = {}
  for (const [operation, effect] of Object.entries(effects) as Array<[Operation, Effect.Effect<unknown, unknown, R>]>) {
    calls[operation] = () => run(effect)
  }
  return {
    name,
    kind,
    transport,
    calls,
    program: { effects: effects as Partial<Record<Operation, Effect.Effect<unknown, unknown>>>, run },
    close: () => runtime.dispose()
  }
}

const transportLayer = (transport: Transport) => transports.find(({ name }) => name === transport)!.layer()

/**
 * The transport alone, as a hand-written Effect client uses it: the `HttpClient` with the platform tracer off and
 * non-2xx statuses failing (`HttpClient.filterStatusOk`), `get`/`post` with ours' headers, then `response.json`; a
 * stream's body is read, not parsed. Polling is a loop of GETs.
 */
export const alone = async (transport: Transport, apiUrl: string): Promise<Client> => {
  const runtime = ManagedRuntime.make(transportLayer(transport))
  const client = (await runtime.runPromise(HttpClient.HttpClient)).pipe(
    HttpClient.withTracerDisabledWhen(() => true),
    HttpClient.filterStatusOk
  )
  const json = (response: HttpClientResponse.HttpClientResponse) => response.json
  const get = (path: string) => Effect.flatMap(client.get(`${apiUrl}${path}`, { headers }), json)
  const post = (path: string, body: unknown, accept = headers.accept) =>
    client.post(`${apiUrl}${path}`, { headers: { ...headers, accept }, body: HttpBody.unsafeJson(body) })
  const poll = (id: string): Effect.Effect<unknown, unknown> =>
    Effect.flatMap(
      get(paths.pollRun(id)),
      (run) => pending.has((run as { readonly status: string }).status) ? poll(id) : Effect.succeed(run)
    )
  const name = `${transport} alone`
  return effectClient(name, "alone", transport, runtime, {
    getRun: Effect.suspend(() => get(paths.run)),
    getRunChunked: Effect.suspend(() => get(paths.runChunked)),
    modifyRun: Effect.suspend(() => Effect.flatMap(post(paths.run, { metadata }), json)),
    listRuns: Effect.suspend(() => get(paths.page)),
    pollRun: Effect.suspend(() => poll(pollRunId(name))),
    stream: Effect.suspend(() =>
      Effect.flatMap(
        post(paths.runs, streamBody, "text/event-stream"),
        (response) =>
          Stream.runFold(response.stream, 0, (bytes, chunk) => bytes + chunk.length).pipe(
            Effect.map((count): StreamRead => ({ unit: "bytes", count }))
          )
      )
    )
  })
}

/** What the option rows change from the defaults. */
interface OursOptions {
  readonly propagateTrace?: false
  readonly debugLogging?: true
}

/**
 * Our `RunsService` over `OpenAiClient.layer({ apiKey, apiUrl })` (defaults: 60 s per-attempt timeout, 2 retries, a
 * span per operation, trace propagation) over a transport, built once in a `ManagedRuntime`. With `debugLogging`, the
 * runtime's minimum log level is Debug and its logger drops every line; the client checks that lines do arrive.
 */
const ours = async (
  name: string,
  kind: Kind,
  module: RunsModule,
  transport: Transport,
  apiUrl: string,
  options: OursOptions = {}
): Promise<Client> => {
  const { OpenAiClient, RunsService } = module
  let logLines = 0
  const service = RunsService.layer.pipe(
    Layer.provide(OpenAiClient.layer({
      apiKey: Redacted.make(apiKey),
      apiUrl,
      ...(options.propagateTrace === false ? { propagateTrace: false } : {})
    })),
    Layer.provide(transportLayer(transport))
  )
  const layer = options.debugLogging === true
    ? Layer.mergeAll(
      service,
      Logger.replace(Logger.defaultLogger, Logger.make(() => void logLines++)),
      Logger.minimumLogLevel(LogLevel.Debug)
    )
    : service
  const runtime = ManagedRuntime.make(layer)
  const runs = await runtime.runPromise(RunsService.RunsService)
  const getRun = Effect.suspend(() => runs.getRun(threadId, runId))
  if (kind === "option") {
    if (options.debugLogging === true) {
      await runtime.runPromise(getRun)
      if (logLines === 0) throw new Error(`${name}: no log line reached the logger`)
    }
    return effectClient(name, kind, transport, runtime, { getRun })
  }
  const effects: Partial<Record<Operation, Effect.Effect<unknown, unknown>>> = {
    getRun,
    getRunChunked: Effect.suspend(() => runs.getRun(Fixtures.chunkedThreadId, runId)),
    modifyRun: Effect.suspend(() => runs.modifyRun(threadId, runId, { metadata }))
  }
  if (typeof runs.listRuns === "function") {
    effects.listRuns = Effect.suspend(() => runs.listRuns(threadId, { limit: 100 }))
  }
  if (typeof runs.pollRun === "function") {
    effects.pollRun = Effect.suspend(() =>
      runs.pollRun(Fixtures.pollThreadId, pollRunId(name), { schedule: Schedule.forever })
    )
  }
  if (typeof runs.createRunStream === "function") {
    effects.stream = Effect.suspend(() =>
      Effect.map(
        Stream.runCount(runs.createRunStream(threadId, { assistant_id: Fixtures.assistantId })),
        (count): StreamRead => ({ unit: "events", count })
      )
    )
  }
  return effectClient(name, kind, transport, runtime, effects)
}

/** Ours with the default options over a transport. */
export const oursOver = (module: RunsModule, transport: Transport, apiUrl: string): Promise<Client> =>
  ours(`ours over ${transport}`, "ours", module, transport, apiUrl)

/** How a client of the given name is built. */
type Build = (module: RunsModule, name: string, apiUrl: string) => Promise<Client>

/** Every client by name, in report order. */
const builds: ReadonlyArray<readonly [string, Build]> = [
  ["undici", (_module, _name, apiUrl) => Promise.resolve(undici(apiUrl))],
  ["fetch", (_module, _name, apiUrl) => Promise.resolve(fetch(apiUrl))],
  ["openai SDK", (_module, _name, apiUrl) => Promise.resolve(sdk(apiUrl))],
  ["openai SDK, raw events", (_module, _name, apiUrl) => Promise.resolve(sdkRawEvents(apiUrl))],
  ...transports.flatMap(({ name: transport }): Array<readonly [string, Build]> => [
    [`${transport} alone`, (_module, _name, apiUrl) => alone(transport, apiUrl)],
    [`ours over ${transport}`, (module, _name, apiUrl) => oursOver(module, transport, apiUrl)]
  ]),
  [
    `ours over ${optionsTransport}, propagateTrace: false`,
    (module, name, apiUrl) => ours(name, "option", module, optionsTransport, apiUrl, { propagateTrace: false })
  ],
  [
    `ours over ${optionsTransport}, Debug logging`,
    (module, name, apiUrl) => ours(name, "option", module, optionsTransport, apiUrl, { debugLogging: true })
  ]
]

/** The names of every client, in report order. */
export const names: ReadonlyArray<string> = builds.map(([name]) => name)

/** Builds the client of that name (one of {@link names}). */
export const make = (module: RunsModule, name: string, apiUrl: string): Promise<Client> => {
  const build = builds.find(([candidate]) => candidate === name)?.[1]
  return build === undefined
    ? Promise.reject(new Error(`No client named "${name}"; the clients are: ${names.join(", ")}`))
    : build(module, name, apiUrl)
}

/** Every client, in report order. */
export const makeAll = async (module: RunsModule, apiUrl: string): Promise<ReadonlyArray<Client>> => {
  const clients: Array<Client> = []
  for (const name of names) clients.push(await make(module, name, apiUrl))
  return clients
}
