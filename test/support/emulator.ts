/**
 * The client wired to a fresh emulator on loopback, for integration tests.
 */
import { MessagesService, OpenAiClient, type RunsError, RunsService, ThreadsService } from "@effect-openai/runs"
import { Emulator } from "@effect-openai/runs-emulator"
import { FetchHttpClient } from "@effect/platform"
import { Effect, Layer } from "effect"

/** The services of the library. */
export type Services = RunsService.RunsService | ThreadsService.ThreadsService | MessagesService.MessagesService

/**
 * `RunsService`, `ThreadsService` and `MessagesService` over one `OpenAiClient` over `FetchHttpClient`, talking to
 * the `Emulator` in context, with the emulator's key unless `clientOptions` says otherwise.
 */
export const clientLayer = (
  clientOptions: Partial<OpenAiClient.OpenAiClientOptions> = {}
): Layer.Layer<Services | OpenAiClient.OpenAiClient, RunsError.InvalidOptionError, Emulator.Emulator> =>
  Layer.unwrapEffect(
    Effect.map(
      Emulator.Emulator,
      (emulator) =>
        Layer.mergeAll(RunsService.layer, ThreadsService.layer, MessagesService.layer).pipe(
          Layer.provideMerge(OpenAiClient.layer({ apiKey: emulator.apiKey, apiUrl: emulator.url, ...clientOptions })),
          Layer.provide(FetchHttpClient.layer)
        )
    )
  )

/** A fresh emulator and a client for it. */
export const emulatorWithClient = (
  emulatorOptions: Emulator.EmulatorOptions = {},
  clientOptions: Partial<OpenAiClient.OpenAiClientOptions> = {}
): Layer.Layer<Services | OpenAiClient.OpenAiClient | Emulator.Emulator, RunsError.InvalidOptionError> =>
  clientLayer(clientOptions).pipe(Layer.provideMerge(Emulator.layer(emulatorOptions)))
