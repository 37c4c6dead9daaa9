/**
 * An `HttpClient` that hands each request to an emulator in the same process: no socket, no port, the same answers
 * (authentication, validation, lifecycle, scripts, the request log, faults and streams) as over loopback HTTP.
 *
 * @example
 * ```ts
 * import { Emulator, EmulatorHttpClient } from "@effect-openai/runs-emulator"
 * import { Layer } from "effect"
 *
 * // An HttpClient for code under test, and the emulator (its `url` as the base URL) for the test itself.
 * const TestLayer = EmulatorHttpClient.layer.pipe(Layer.provideMerge(Emulator.layerInProcess()))
 * ```
 *
 * @since 0.1.0
 */
import * as HttpClient from "@effect/platform/HttpClient"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Emulator from "./Emulator.js"
import * as Core from "./internal/core.js"
import * as InProcess from "./internal/inProcess.js"

/**
 * A client for the emulator in context, made by `Emulator.makeInProcess` or `Emulator.make` (the requests then skip
 * its socket). Answers are written in real time, even under a `TestClock`. A dropped connection fails the request
 * with a `RequestError` of reason `"Transport"`; an answer cut midway fails reading its body, as fetch does, with a
 * `ResponseError` caused by such a `RequestError`.
 *
 * @example
 * ```ts
 * import { Emulator, EmulatorHttpClient } from "@effect-openai/runs-emulator"
 * import { Effect } from "effect"
 *
 * const client = Effect.gen(function*() {
 *   const emulator = yield* Emulator.makeInProcess()
 *   return yield* Effect.provideService(EmulatorHttpClient.make, Emulator.Emulator, emulator)
 * })
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: Effect.Effect<HttpClient.HttpClient, never, Emulator.Emulator> = Effect.flatMap(
  Emulator.Emulator,
  (handle) => {
    const core = Core.of(handle)
    return core === undefined
      ? Effect.dieMessage("EmulatorHttpClient needs an emulator made by Emulator.make or Emulator.makeInProcess")
      : Effect.succeed(InProcess.make(core))
  }
)

/**
 * @example
 * ```ts
 * import { OpenAiClient, RunsService } from "@effect-openai/runs"
 * import { Emulator, EmulatorHttpClient } from "@effect-openai/runs-emulator"
 * import { Effect, Layer } from "effect"
 *
 * // RunsService over the in-process emulator, which the test can seed too
 * const TestLayer = Layer.unwrapEffect(Effect.map(Emulator.Emulator, (emulator) =>
 *   RunsService.layer.pipe(Layer.provide(OpenAiClient.layer({ apiKey: emulator.apiKey, apiUrl: emulator.url })))))
 *   .pipe(Layer.provide(EmulatorHttpClient.layer), Layer.provideMerge(Emulator.layerInProcess()))
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<HttpClient.HttpClient, never, Emulator.Emulator> = Layer.effect(
  HttpClient.HttpClient,
  make
)
