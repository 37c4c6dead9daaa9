/**
 * The Runs API emulator: a real HTTP server on loopback answering like the OpenAI Assistants v2 Runs API, or the
 * same emulator without a socket for `EmulatorHttpClient` (`makeInProcess`).
 *
 * @example
 * ```ts
 * import { Emulator } from "@effect-openai/runs-emulator"
 *
 * const emulator = await Emulator.start()
 * const run = emulator.seedRun()
 * const response = await fetch(`${emulator.url}/threads/${run.thread_id}/runs/${run.id}`, {
 *   headers: { authorization: `Bearer ${emulator.apiKey}`, "openai-beta": "assistants=v2" }
 * })
 * await emulator.close()
 * ```
 *
 * @since 0.1.0
 */
import { MessagesService, OpenAiClient, Run, RunsService, RunStep, ThreadsService } from "@effect-openai/runs"
import * as HttpClient from "@effect/platform/HttpClient"
import * as Cause from "effect/Cause"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as ExecutionStrategy from "effect/ExecutionStrategy"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import * as Schema from "effect/Schema"
import * as Scope from "effect/Scope"
import type { ListenError } from "./EmulatorError.js"
import type * as Fault from "./Fault.js"
import * as Core from "./internal/core.js"
import * as Engine from "./internal/engine.js"
import * as Faults from "./internal/faults.js"
import * as InProcess from "./internal/inProcess.js"
import * as Pipeline from "./internal/pipeline.js"
import * as RequestLog from "./internal/requestLog.js"
import * as Seed from "./internal/seed.js"
import * as Server from "./internal/server.js"
import * as Store from "./internal/store.js"
import * as Lifecycle from "./Lifecycle.js"
import type { EmulatorOptions, InProcessOptions, StreamingOptions } from "./Options.js"
import type { RecordedRequest } from "./RecordedRequest.js"
import type { SeedAssistantOptions, SeedThreadOptions } from "./Seed.js"
import type * as Wire from "./Wire.js"

export type {
  /**
   * How `make`, `layer` and `start` build an emulator (the `Options` module's type, here too).
   *
   * @since 0.1.0
   * @category models
   */
  EmulatorOptions,
  /**
   * How `makeInProcess` and `layerInProcess` build an emulator (the `Options` module's type, here too).
   *
   * @since 0.1.0
   * @category models
   */
  InProcessOptions,
  /**
   * A request the emulator received, as `requests()` gives it (the `RecordedRequest` module's type, here too).
   *
   * @since 0.1.0
   * @category models
   */
  RecordedRequest,
  /**
   * The options of `seedAssistant` (the `Seed` module's type, here too).
   *
   * @since 0.1.0
   * @category models
   */
  SeedAssistantOptions,
  /**
   * The options of `seedThread` (the `Seed` module's type, here too).
   *
   * @since 0.1.0
   * @category models
   */
  SeedThreadOptions,
  /**
   * How streamed answers are paced (the `Options` module's type, here too).
   *
   * @since 0.1.0
   * @category models
   */
  StreamingOptions
}

/**
 * A running emulator.
 *
 * @since 0.1.0
 * @category models
 */
export interface Handle {
  /** The base URL, `/v1` included, e.g. `http://127.0.0.1:41234/v1`; in process `http://in-process.invalid/v1`. */
  readonly url: string
  readonly apiKey: string
  readonly seedAssistant: (options?: SeedAssistantOptions) => Wire.Assistant
  readonly seedThread: (options?: SeedThreadOptions) => Wire.Thread
  /**
   * Stores a run: the fields given over realistic defaults for its status. A missing thread or assistant is
   * created (with the given id). A `requires_action` run without `required_action` waits on its assistant's
   * first function call.
   */
  readonly seedRun: (run?: Partial<Wire.Run>) => Wire.Run
  /** Stores a step of a stored run, as given (in `created_at` order among its steps); throws if there is no such run. */
  readonly seedRunStep: (step: Wire.RunStep) => Wire.RunStep
  /** The stored run, without moving it. */
  readonly getRun: (threadId: string, runId: string) => Wire.Run | undefined
  /** The stored steps of a run, oldest first, without moving it. */
  readonly getRunSteps: (threadId: string, runId: string) => ReadonlyArray<Wire.RunStep>
  /**
   * The messages of a thread, oldest first: those added (with the thread, on their own, or with a run) and the
   * assistant's replies.
   */
  readonly getMessages: (threadId: string) => ReadonlyArray<Wire.Message>
  /** Replaces fields of a stored run, e.g. its `status`; throws if there is no such run. */
  readonly updateRun: (threadId: string, runId: string, patch: Partial<Wire.Run>) => Wire.Run
  /** Moves a run `transitions` (default 1) statuses on, in any lifecycle mode; throws if there is no such run. */
  readonly advance: (threadId: string, runId: string, transitions?: number) => Wire.Run
  /** Moves every run `transitions` (default 1) statuses on. */
  readonly advanceAll: (transitions?: number) => void
  /** Every request received so far, oldest first. */
  readonly requests: () => ReadonlyArray<RecordedRequest>
  readonly clearRequests: () => void
  /** Queues a fault for the requests it matches (by default the next one). */
  readonly enqueueFault: (fault: Fault.Fault) => void
  /** Queues a fault for the streaming answers it matches (by default the next one). */
  readonly enqueueStreamFault: (fault: Fault.StreamFault) => void
  /** Drops every queued fault, stream faults included. */
  readonly clearFaults: () => void
  /** How many queued faults (stream faults included) are not used up yet. */
  readonly pendingFaults: () => number
  /** How many client connections are open; always 0 in process. */
  readonly openConnections: () => number
  /** How many streaming answers the client closed before the emulator finished writing them. */
  readonly streamsClosedByClient: () => number
  /** Stops the emulator and cuts the answers being written (closing every connection); closing again does nothing. */
  readonly close: () => Promise<void>
}

/**
 * The emulator as a service.
 *
 * @example
 * ```ts
 * import { Emulator } from "@effect-openai/runs-emulator"
 * import { Effect } from "effect"
 *
 * // in a test that provides Emulator.layer(...) or Emulator.layerTest(...)
 * const seeded = Effect.map(Emulator.Emulator, (emulator) => emulator.seedRun({ status: "completed" }))
 * ```
 *
 * @since 0.1.0
 * @category tags
 */
export class Emulator extends Context.Tag("@effect-openai/runs-emulator/Emulator")<Emulator, Handle>() {}

/** How an emulator is reached. */
interface Transport {
  readonly url: string
  readonly openConnections: () => number
}

/** An emulator until the scope closes (or `close` is called), reached through `transport`. */
const build = <E>(
  options: InProcessOptions,
  transport: (core: Core.Core) => Effect.Effect<Transport, E, Scope.Scope>
): Effect.Effect<Handle, E, Scope.Scope> =>
  Effect.gen(function*() {
    const scope = yield* Scope.fork(yield* Effect.scope, ExecutionStrategy.sequential)
    const apiKey = options.apiKey ?? "sk-emulator"
    const store = Store.make()
    const engine = Engine.make(options.lifecycle ?? Lifecycle.perRequest)
    const log = RequestLog.make()
    const faults = Faults.make<Fault.Fault>()
    const streamFaults = Faults.make<Fault.StreamFault>()
    const core = yield* Scope.extend(
      Core.make(Pipeline.make({
        store,
        engine,
        apiKey,
        apiKeyHeader: options.apiKeyHeader?.toLowerCase(),
        pollAfterMs: options.pollAfterMs ?? 500,
        log,
        faults,
        streamFaults,
        streaming: options.streaming ?? {}
      })),
      scope
    )
    const { openConnections, url } = yield* Scope.extend(transport(core), scope)
    const stored = (threadId: string, runId: string): Store.RunRecord => {
      const record = Store.findRun(store, threadId, runId)
      if (record === undefined) throw new Error(`No run ${runId} in thread ${threadId}`)
      return record
    }
    const handle: Handle = {
      url,
      apiKey,
      seedAssistant: (seed = {}) => Seed.assistant(store, seed).assistant,
      seedThread: (seed = {}) => Seed.thread(store, seed).thread,
      seedRun: (run = {}) => Seed.run(store, run).run,
      seedRunStep: (step) => Seed.step(store, step),
      getRun: (threadId, runId) => Store.findRun(store, threadId, runId)?.run,
      getRunSteps: (threadId, runId) => Store.findRun(store, threadId, runId)?.steps.slice() ?? [],
      getMessages: (threadId) => store.threads.get(threadId)?.messages.slice() ?? [],
      updateRun: (threadId, runId, patch) => {
        const record = stored(threadId, runId)
        const at = Date.now()
        Engine.update(record, at, patch)
        Engine.reconcile(record, at)
        return record.run
      },
      advance: (threadId, runId, transitions = 1) => {
        const record = stored(threadId, runId)
        engine.advance(record, transitions)
        return record.run
      },
      advanceAll: (transitions = 1) => Store.allRuns(store).forEach((record) => engine.advance(record, transitions)),
      requests: log.all,
      clearRequests: log.clear,
      enqueueFault: faults.enqueue,
      enqueueStreamFault: streamFaults.enqueue,
      clearFaults: () => {
        faults.clear()
        streamFaults.clear()
      },
      pendingFaults: () => faults.size() + streamFaults.size(),
      openConnections,
      streamsClosedByClient: core.streamsClosedByClient,
      close: () => Effect.runPromise(Scope.close(scope, Exit.void))
    }
    return Core.attach(handle, core)
  })

const baseUrl = (host: string, port: number): string => `http://${host.includes(":") ? `[${host}]` : host}:${port}/v1`

/**
 * Starts an emulator, listening until the scope closes (or `close` is called). It fails with a `ListenError` when
 * it cannot listen (a port in use, an address not this machine's). Port 0, the default, picks a free port.
 *
 * @example
 * ```ts
 * import { Emulator } from "@effect-openai/runs-emulator"
 * import { Console, Effect } from "effect"
 *
 * const program = Effect.gen(function*() {
 *   const emulator = yield* Emulator.make({ lifecycle: { mode: "perRequest" } })
 *   const run = emulator.seedRun({ status: "completed" })
 *   yield* Console.log(`GET ${emulator.url}/threads/${run.thread_id}/runs/${run.id}`)
 * })
 *
 * Effect.runPromise(Effect.scoped(program))
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: EmulatorOptions = {}): Effect.Effect<Handle, ListenError, Scope.Scope> => {
  const host = options.host ?? "127.0.0.1"
  return build(options, (core) =>
    Effect.map(Server.listen(core, { host, port: options.port ?? 0 }), (server) => ({
      url: baseUrl(host, server.port),
      openConnections: server.openConnections
    })))
}

/**
 * An emulator without a socket, until the scope closes (or `close` is called): `EmulatorHttpClient` hands it
 * requests in the same process, and it answers as `make`'s does. Its `url` is never resolved.
 *
 * @example
 * ```ts
 * import { Emulator, EmulatorHttpClient } from "@effect-openai/runs-emulator"
 * import { HttpClient } from "@effect/platform"
 * import { Effect } from "effect"
 *
 * const program = Effect.gen(function*() {
 *   const emulator = yield* Emulator.makeInProcess()
 *   const client = yield* Effect.provideService(EmulatorHttpClient.make, Emulator.Emulator, emulator)
 *   const run = emulator.seedRun()
 *   const response = yield* client.get(`${emulator.url}/threads/${run.thread_id}/runs/${run.id}`, {
 *     headers: { authorization: `Bearer ${emulator.apiKey}`, "openai-beta": "assistants=v2" }
 *   })
 *   return response.status // 200
 * })
 *
 * Effect.runPromise(Effect.scoped(program))
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeInProcess = (options: InProcessOptions = {}): Effect.Effect<Handle, never, Scope.Scope> =>
  build(options, () => Effect.succeed({ url: "http://in-process.invalid/v1", openConnections: () => 0 }))

/**
 * The emulator as a scoped layer: `Emulator.Emulator` for the layer's lifetime; it fails with a `ListenError` when
 * it cannot listen.
 *
 * @example
 * ```ts
 * import { OpenAiClient, RunsService } from "@effect-openai/runs"
 * import { Emulator } from "@effect-openai/runs-emulator"
 * import { FetchHttpClient } from "@effect/platform"
 * import { Effect, Layer } from "effect"
 *
 * // RunsService over real loopback HTTP to an emulator that lives as long as the layer
 * const RunsLive = Layer.unwrapEffect(Effect.map(Emulator.Emulator, (emulator) =>
 *   RunsService.layer.pipe(
 *     Layer.provide(OpenAiClient.layer({ apiKey: emulator.apiKey, apiUrl: emulator.url })),
 *     Layer.provide(FetchHttpClient.layer)
 *   ))).pipe(Layer.provideMerge(Emulator.layer({ lifecycle: { mode: "perRequest" } })))
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options?: EmulatorOptions): Layer.Layer<Emulator, ListenError> =>
  Layer.scoped(Emulator, make(options))

/**
 * The emulator without a socket as a scoped layer; provide `EmulatorHttpClient.layer` with it.
 *
 * @example
 * ```ts
 * import { Emulator, EmulatorHttpClient } from "@effect-openai/runs-emulator"
 * import { Layer } from "effect"
 *
 * // an HttpClient that hands every request to the emulator, and the emulator itself to seed and inspect
 * const TestLayer = EmulatorHttpClient.layer.pipe(Layer.provideMerge(Emulator.layerInProcess()))
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layerInProcess = (options?: InProcessOptions): Layer.Layer<Emulator> =>
  Layer.scoped(Emulator, makeInProcess(options))

/**
 * Starts an emulator outside Effect (benchmarks, scripts); stop it with `close`. The promise rejects with the
 * `ListenError` when it cannot listen.
 *
 * @example
 * ```ts
 * import { Emulator } from "@effect-openai/runs-emulator"
 *
 * const emulator = await Emulator.start({ port: 0 })
 * console.log(`listening on ${emulator.url}, key ${emulator.apiKey}`)
 * await emulator.close()
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const start = async (options?: EmulatorOptions): Promise<Handle> => {
  const scope = Effect.runSync(Scope.make())
  const exit = await Effect.runPromiseExit(Scope.extend(make(options), scope))
  if (Exit.isSuccess(exit)) return exit.value
  await Effect.runPromise(Scope.close(scope, exit))
  throw Cause.squash(exit.cause)
}

/**
 * What {@link layerTest} stores before the test starts: runs, and steps of those runs, as `Run.Run` /
 * `RunStep.RunStep` values or their wire JSON. A run's thread and assistant are created when missing.
 *
 * @since 0.2.0
 * @category models
 */
export interface TestSeed {
  readonly runs?: Iterable<Run.Run | Run.RunJson> | undefined
  readonly steps?: Iterable<RunStep.RunStep | RunStep.RunStepJson> | undefined
}

/**
 * How {@link layerTest} builds its emulator (`lifecycle`, `pollAfterMs`, `streaming`, …) and its client (`client`:
 * any `OpenAiClient` option but the key and base URL, e.g. `maxRetries: 0`).
 *
 * @since 0.2.0
 * @category models
 */
export interface TestOptions extends InProcessOptions {
  readonly client?: Omit<OpenAiClient.OpenAiClientOptions, "apiKey" | "apiUrl"> | undefined
}

const toWireRun = (run: Run.Run | Run.RunJson): Wire.Run =>
  Schema.encodeSync(Run.Run)(run instanceof Run.Run ? run : Schema.decodeUnknownSync(Run.Run)(run)) as Wire.Run

const toWireStep = (step: RunStep.RunStep | RunStep.RunStepJson): Wire.RunStep =>
  Schema.encodeSync(RunStep.RunStep)(
    step instanceof RunStep.RunStep ? step : Schema.decodeUnknownSync(RunStep.RunStep)(step)
  ) as Wire.RunStep

/**
 * The test layer of `@effect-openai/runs`: `RunsService`, `ThreadsService` and `MessagesService` (and their one
 * `OpenAiClient`) talking, without a socket, to an in-process emulator, which the layer provides too (`Emulator`) so the test can seed it, move runs on, queue faults
 * and read the requests it received. Everything the real service does happens: the same validation, retries,
 * decoding, typed errors, polling and streaming, against the emulator's lifecycle. Each build starts a fresh emulator
 * from the seed; a seed that does not decode is a defect.
 *
 * Answers and the `time` lifecycle run in real time: under a `TestClock`, a poll's wait only passes when the test
 * adjusts the clock (or use `it.live`).
 *
 * @since 0.2.0
 * @category layers
 * @example
 * ```ts
 * import { MessagesService, RunsService, ThreadsService } from "@effect-openai/runs"
 * import { Emulator } from "@effect-openai/runs-emulator"
 * import { Effect } from "effect"
 *
 * const answer = Effect.gen(function*() {
 *   const emulator = yield* Emulator.Emulator
 *   const assistant = emulator.seedAssistant({ script: [{ type: "message", text: "Bonjour !" }] })
 *   const threads = yield* ThreadsService.ThreadsService
 *   const runs = yield* RunsService.RunsService
 *   const messages = yield* MessagesService.MessagesService
 *   const thread = yield* threads.createThread({ messages: [{ role: "user", content: "Say hello in French." }] })
 *   const run = yield* runs.createAndPoll(thread.id, { assistant_id: assistant.id })
 *   return yield* messages.getRunText(thread.id, run.id) // "Bonjour !"
 * }).pipe(Effect.provide(Emulator.layerTest({}, { pollAfterMs: 0 })))
 * ```
 */
export const layerTest = (
  seed: TestSeed | Iterable<Run.Run | Run.RunJson> = {},
  options: TestOptions = {}
): Layer.Layer<
  | RunsService.RunsService
  | ThreadsService.ThreadsService
  | MessagesService.MessagesService
  | OpenAiClient.OpenAiClient
  | Emulator
> => {
  const { client, ...emulatorOptions } = options
  const emulator = Layer.scoped(
    Emulator,
    Effect.tap(makeInProcess(emulatorOptions), (handle) =>
      Effect.sync(() => {
        const { runs = [], steps = [] } = Symbol.iterator in seed ? { runs: seed } : seed
        for (const run of runs) handle.seedRun(toWireRun(run))
        for (const step of steps) handle.seedRunStep(toWireStep(step))
      }))
  )
  const services = Layer.unwrapEffect(
    Effect.map(
      Emulator,
      (handle) =>
        Layer.mergeAll(RunsService.layer, ThreadsService.layer, MessagesService.layer).pipe(
          Layer.provideMerge(OpenAiClient.layer({ ...client, apiKey: handle.apiKey, apiUrl: handle.url })),
          Layer.provide(Layer.succeed(HttpClient.HttpClient, InProcess.make(Core.of(handle)!))),
          Layer.orDie
        )
    )
  )
  return services.pipe(Layer.provideMerge(emulator))
}
