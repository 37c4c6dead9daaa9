/**
 * The client under test wired to the emulator, the one fake: the services and `OpenAiClient` over an emulator in
 * process (`EmulatorHttpClient`, no socket) or on loopback (`FetchHttpClient` unless another `HttpClient` layer is
 * given), with the client options a test needs.
 */
import { Emulator, EmulatorHttpClient, type Fault, type Wire } from "@effect-openai/runs-emulator"
import { FetchHttpClient, HttpClient } from "@effect/platform"
import { Clock, Context, Effect, Layer } from "effect"
import { MessagesService, OpenAiClient, type RunsError, RunsService, ThreadsService } from "../../src/index.js"

/** The API key unit tests give the emulator and the client: distinctive, so a leak is easy to find. */
export const testApiKey = "sk-test-SECRETKEY0123456789abcdefghijklmnop"

/** How the client reaches the emulator: handing it requests in process, or over loopback HTTP. */
export type Transport = "inProcess" | "socket"

/**
 * When each request left the client, in milliseconds of the test's clock (the `TestClock` in `it.effect`); the
 * emulator's own log keeps wall-clock times, which a test that jumps the clock cannot compare.
 */
export class SentAt extends Context.Tag("test/SentAt")<SentAt, () => ReadonlyArray<number>>() {}

/** What the client is built with. */
export interface ClientOptions {
  /** Default: in process when the emulator was made in process, else over the socket. */
  readonly transport?: Transport | undefined
  /**
   * The `HttpClient` the socket transport sends with: `FetchHttpClient.layer` unless given (e.g.
   * `NodeHttpClient.layerUndici`, or `UndiciHttpClient.layer()` of `@effect-openai/http-undici`).
   */
  readonly http?: Layer.Layer<HttpClient.HttpClient> | undefined
  /** Any client option, over the emulator's key and URL; a function when they depend on the emulator (its `url`). */
  readonly client?:
    | Partial<OpenAiClient.OpenAiClientOptions>
    | ((emulator: Emulator.Handle) => Partial<OpenAiClient.OpenAiClientOptions>)
    | undefined
}

/** What the emulator is built with, and what it holds before the test starts. */
export interface EmulatorLayerOptions extends ClientOptions {
  /** Default: in process. */
  readonly transport?: Transport | undefined
  readonly emulator?: Emulator.EmulatorOptions | undefined
  /** Stored first, e.g. `{ id: "run_1", thread_id: "thread_1", status: "completed" }` (see `Emulator.Handle.seedRun`). */
  readonly runs?: ReadonlyArray<Partial<Wire.Run>> | undefined
  /** Anything else the test needs stored (assistants, threads, steps). */
  readonly seed?: ((emulator: Emulator.Handle) => void) | undefined
  /** Queued in order: with the default `nth`, the first answers the first request it matches, and so on. */
  readonly faults?: ReadonlyArray<Fault.Fault> | undefined
}

/** A finished run where unit tests look for one: `getRun("thread_1", "run_1")`. */
export const run1 = { id: "run_1", thread_id: "thread_1", status: "completed" } as const satisfies Partial<Wire.Run>

type Services =
  | RunsService.RunsService
  | ThreadsService.ThreadsService
  | MessagesService.MessagesService
  | OpenAiClient.OpenAiClient
  | SentAt

const inProcessUrl = /^http:\/\/in-process\.invalid\//

/** `RunsService`, `ThreadsService` and `MessagesService` over one `OpenAiClient`, for the `Emulator` in context. */
export const clientLayer = (
  options: ClientOptions = {}
): Layer.Layer<Services, RunsError.InvalidOptionError, Emulator.Emulator> =>
  Layer.unwrapEffect(Effect.map(Emulator.Emulator, (emulator) => {
    const transport = options.transport ?? (inProcessUrl.test(emulator.url) ? "inProcess" : "socket")
    const times: Array<number> = []
    const http = Layer.effect(
      HttpClient.HttpClient,
      Effect.map(
        HttpClient.HttpClient,
        HttpClient.tapRequest(() => Effect.map(Clock.currentTimeMillis, (now) => void times.push(now)))
      )
    ).pipe(Layer.provide(transport === "inProcess" ? EmulatorHttpClient.layer : options.http ?? FetchHttpClient.layer))
    return Layer.mergeAll(RunsService.layer, ThreadsService.layer, MessagesService.layer).pipe(
      Layer.provideMerge(OpenAiClient.layer({
        apiKey: emulator.apiKey,
        apiUrl: emulator.url,
        ...(typeof options.client === "function" ? options.client(emulator) : options.client)
      })),
      Layer.provide(http),
      Layer.merge(Layer.succeed(SentAt, () => times.slice()))
    )
  }))

/** A fresh emulator (in process unless `transport: "socket"`), seeded, its faults queued, and a client for it. */
export const emulatorLayer = (
  options: EmulatorLayerOptions = {}
): Layer.Layer<Services | Emulator.Emulator, RunsError.InvalidOptionError> => {
  const transport = options.transport ?? "inProcess"
  const emulator = Layer.scoped(
    Emulator.Emulator,
    Effect.tap(
      transport === "inProcess"
        ? Emulator.makeInProcess(options.emulator)
        : Effect.orDie(Emulator.make(options.emulator)),
      (handle) =>
        Effect.sync(() => {
          for (const run of options.runs ?? []) handle.seedRun(run)
          options.seed?.(handle)
          for (const fault of options.faults ?? []) handle.enqueueFault(fault)
        })
    )
  )
  return clientLayer({ transport, client: options.client, http: options.http }).pipe(Layer.provideMerge(emulator))
}

/** Runs an effect against a fresh emulator and its client: `emulatorLayer(options)`, provided. */
export const withEmulator = (options: EmulatorLayerOptions = {}) =>
<A, E, R>(
  effect: Effect.Effect<A, E, R>
): Effect.Effect<A, E | RunsError.InvalidOptionError, Exclude<R, Services | Emulator.Emulator>> =>
  Effect.provide(effect, emulatorLayer(options))

/**
 * Whether every request the client sent has reached the emulator: `runOnTestClock`'s `ready`, so that no timeout is
 * jumped to before its request has even arrived.
 */
export const requestsArrived: Effect.Effect<boolean, never, Emulator.Emulator | SentAt> = Effect.zipWith(
  Emulator.Emulator,
  SentAt,
  (emulator, sentAt) => emulator.requests().length >= sentAt().length
)

/**
 * `requestsArrived` counted from now on: for a layer shared by several tests, where an earlier test may have cleared
 * the emulator's log.
 */
export const requestsArrivedFromNow: Effect.Effect<
  Effect.Effect<boolean>,
  never,
  Emulator.Emulator | SentAt
> = Effect.zipWith(Emulator.Emulator, SentAt, (emulator, sentAt) => {
  const received = emulator.requests().length
  const sent = sentAt().length
  return Effect.sync(() => emulator.requests().length - received >= sentAt().length - sent)
})

/** Waits in real time (a few milliseconds, in process) until the emulator in context has received `count` requests. */
export const received = (count: number): Effect.Effect<void, never, Emulator.Emulator> =>
  Effect.flatMap(Emulator.Emulator, (emulator) =>
    Effect.promise(async () => {
      for (let waited = 0; emulator.requests().length < count; waited++) {
        if (waited === 5_000) {
          throw new Error(`the emulator received ${emulator.requests().length} of ${count} requests`)
        }
        await new Promise((resolve) => setTimeout(resolve, 1))
      }
    }))
