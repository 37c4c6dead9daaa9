/**
 * The clients under comparison, each as the calls it makes per workload. A client without a workload (our
 * `listRuns` / `pollRun` before they existed) simply lacks the entry and is reported as skipped.
 */
import type * as Runs from "@effect-openai/runs"
import { FetchHttpClient } from "@effect/platform"
import { NodeHttpClient } from "@effect/platform-node"
import type * as HttpClient from "@effect/platform/HttpClient"
import { Layer, ManagedRuntime, Redacted, Schedule } from "effect"
import OpenAI from "openai"
import * as Undici from "undici"
import { pollThreadId } from "./fixtures.js"
import type { Call, WorkloadName } from "./workloads.js"

/** The clients, in report order. */
export type ClientName = "undici" | "fetch" | "openai SDK" | "ours (fetch)" | "ours (undici)"

/** A client ready to call the server. */
export interface Client {
  readonly name: ClientName
  readonly calls: Partial<Record<WorkloadName, Call>>
  readonly close: () => Promise<void>
}

/** The module of our client: `@effect-openai/runs`, or a patched copy (see the README). */
export type RunsModule = typeof Runs

const apiKey = "sk-bench"
const threadId = "thread_abc123"
const runId = "run_abc123"
const metadata = { bench: "true" }

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

const rawHeaders = { authorization: `Bearer ${apiKey}`, "openai-beta": "assistants=v2" }
const jsonHeaders = { ...rawHeaders, "content-type": "application/json" }

/** `undici.request` on its own `Agent`, then `JSON.parse` of the body text. */
export const undici = (apiUrl: string): Client => {
  const dispatcher = new Undici.Agent()
  const call = async (path: string, method: "GET" | "POST" = "GET", body?: unknown) => {
    const response = await Undici.request(`${apiUrl}${path}`, {
      dispatcher,
      method,
      headers: body === undefined ? rawHeaders : jsonHeaders,
      body: body === undefined ? null : JSON.stringify(body)
    })
    const text = await response.body.text()
    if (response.statusCode !== 200) throw new Error(`HTTP ${response.statusCode}: ${text}`)
    return JSON.parse(text)
  }
  const getRun = () => call(`/threads/${threadId}/runs/${runId}`)
  return {
    name: "undici",
    calls: {
      getRun,
      "getRun c64": getRun,
      modifyRun: () => call(`/threads/${threadId}/runs/${runId}`, "POST", { metadata }),
      "listRuns 100": () => call(`/threads/${threadId}/runs?limit=100`),
      "pollRun 50": () => pollLoop((id) => call(`/threads/${pollThreadId}/runs/${id}`), pollRunId("undici"))
    },
    close: () => dispatcher.close()
  }
}

/** The global `fetch`, then `response.json()`. */
export const fetch = (apiUrl: string): Client => {
  const call = async (path: string, method: "GET" | "POST" = "GET", body?: unknown) => {
    const response = await globalThis.fetch(`${apiUrl}${path}`, {
      method,
      headers: body === undefined ? rawHeaders : jsonHeaders,
      body: body === undefined ? null : JSON.stringify(body)
    })
    if (!response.ok) throw new Error(`HTTP ${response.status}: ${await response.text()}`)
    return response.json()
  }
  const getRun = () => call(`/threads/${threadId}/runs/${runId}`)
  return {
    name: "fetch",
    calls: {
      getRun,
      "getRun c64": getRun,
      modifyRun: () => call(`/threads/${threadId}/runs/${runId}`, "POST", { metadata }),
      "listRuns 100": () => call(`/threads/${threadId}/runs?limit=100`),
      "pollRun 50": () => pollLoop((id) => call(`/threads/${pollThreadId}/runs/${id}`), pollRunId("fetch"))
    },
    close: () => Promise.resolve()
  }
}

/**
 * The `openai` SDK without retries. Its polling helper (`runs.poll`) sleeps at least one timer tick between GETs,
 * so polling is the same loop of `retrieve` calls as the raw clients'.
 */
export const sdk = (apiUrl: string): Client => {
  const runs = new OpenAI({ apiKey, baseURL: apiUrl, maxRetries: 0 }).beta.threads.runs
  const getRun = () => runs.retrieve(runId, { thread_id: threadId })
  return {
    name: "openai SDK",
    calls: {
      getRun,
      "getRun c64": getRun,
      modifyRun: () => runs.update(runId, { thread_id: threadId, metadata }),
      "listRuns 100": async () => (await runs.list(threadId, { limit: 100 })).data,
      "pollRun 50": () => pollLoop((id) => runs.retrieve(id, { thread_id: pollThreadId }), pollRunId("sdk"))
    },
    close: () => Promise.resolve()
  }
}

/** Our `RunsService` over an `HttpClient` layer, built once; calls run with `runtime.runPromise`. */
const ours = async (
  name: ClientName,
  module: RunsModule,
  apiUrl: string,
  http: Layer.Layer<HttpClient.HttpClient>
): Promise<Client> => {
  const { OpenAiClient, RunsService } = module
  const layer = RunsService.layer.pipe(
    Layer.provide(OpenAiClient.layer({ apiKey: Redacted.make(apiKey), apiUrl })),
    Layer.provide(http)
  )
  const runtime = ManagedRuntime.make(layer)
  const runs = await runtime.runPromise(RunsService.RunsService)
  const getRun = () => runtime.runPromise(runs.getRun(threadId, runId))
  const calls: Partial<Record<WorkloadName, Call>> = {
    getRun,
    "getRun c64": getRun,
    modifyRun: () => runtime.runPromise(runs.modifyRun(threadId, runId, { metadata }))
  }
  if (typeof runs.listRuns === "function") {
    calls["listRuns 100"] = () => runtime.runPromise(runs.listRuns(threadId, { limit: 100 }))
  }
  if (typeof runs.pollRun === "function") {
    calls["pollRun 50"] = () =>
      runtime.runPromise(runs.pollRun(pollThreadId, pollRunId(name), { schedule: Schedule.forever }))
  }
  return { name, calls, close: () => runtime.dispose() }
}

/** Ours over `FetchHttpClient.layer`. */
export const oursFetch = (module: RunsModule, apiUrl: string): Promise<Client> =>
  ours("ours (fetch)", module, apiUrl, FetchHttpClient.layer)

/** Ours over `NodeHttpClient.layerUndici`. */
export const oursUndici = (module: RunsModule, apiUrl: string): Promise<Client> =>
  ours("ours (undici)", module, apiUrl, NodeHttpClient.layerUndici)

/** Every client, in report order. */
export const makeAll = async (module: RunsModule, apiUrl: string): Promise<ReadonlyArray<Client>> => [
  undici(apiUrl),
  fetch(apiUrl),
  sdk(apiUrl),
  await oursFetch(module, apiUrl),
  await oursUndici(module, apiUrl)
]
