/**
 * The client wired to a fresh emulator on loopback, for integration tests.
 */
import { OpenAiClient, type RunsError, RunsService } from "@effect-openai/runs"
import { Emulator } from "@effect-openai/runs-emulator"
import { FetchHttpClient } from "@effect/platform"
import { Effect, Layer } from "effect"

/**
 * `RunsService` and `OpenAiClient` over `FetchHttpClient`, talking to the `Emulator` in context, with the
 * emulator's key unless `clientOptions` says otherwise.
 */
export const clientLayer = (
  clientOptions: Partial<OpenAiClient.OpenAiClientOptions> = {}
): Layer.Layer<RunsService.RunsService | OpenAiClient.OpenAiClient, RunsError.InvalidOptionError, Emulator.Emulator> =>
  Layer.unwrapEffect(Effect.map(Emulator.Emulator, (emulator) =>
    RunsService.layer.pipe(
      Layer.provideMerge(OpenAiClient.layer({ apiKey: emulator.apiKey, apiUrl: emulator.url, ...clientOptions })),
      Layer.provide(FetchHttpClient.layer)
    )))

/** A fresh emulator and a client for it. */
export const emulatorWithClient = (
  emulatorOptions: Emulator.EmulatorOptions = {},
  clientOptions: Partial<OpenAiClient.OpenAiClientOptions> = {}
): Layer.Layer<
  RunsService.RunsService | OpenAiClient.OpenAiClient | Emulator.Emulator,
  RunsError.InvalidOptionError
> => clientLayer(clientOptions).pipe(Layer.provideMerge(Layer.orDie(Emulator.layer(emulatorOptions))))
