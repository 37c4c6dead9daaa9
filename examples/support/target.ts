/**
 * Where the examples send their requests: the project's emulator on loopback by default, or a real
 * Assistants-compatible server when `OPENAI_API_KEY` (and optionally `OPENAI_BASE_URL`) is set.
 */
import { MessagesService, OpenAiClient, type RunsError, RunsService, ThreadsService } from "@effect-openai/runs"
import { Emulator } from "@effect-openai/runs-emulator"
import { FetchHttpClient } from "@effect/platform"
import { Config, type ConfigError, Console, Context, Effect, Layer, Option } from "effect"

/** What an example needs to know about the server it talks to. */
export class Target extends Context.Tag("examples/Target")<Target, {
  /** The assistant the example's runs use. */
  readonly assistantId: string
  /** A thread to run on: seeded on the emulator, `OPENAI_THREAD_ID` on a real server. */
  readonly threadId: Effect.Effect<string, ConfigError.ConfigError>
  /** A line saying where requests go. */
  readonly description: string
}>() {}

/** How the emulator's assistant behaves for an example; a real server's assistant is configured on that server. */
export interface ExampleOptions {
  readonly assistant?: Emulator.SeedAssistantOptions
  readonly lifecycle?: Emulator.EmulatorOptions["lifecycle"]
  readonly streaming?: Emulator.EmulatorOptions["streaming"]
}

/** The services an example uses. */
export type Services = RunsService.RunsService | ThreadsService.ThreadsService | MessagesService.MessagesService

/** The three services over one client. */
const services = Layer.mergeAll(RunsService.layer, ThreadsService.layer, MessagesService.layer)

const emulated = (options: ExampleOptions) =>
  Layer.unwrapScoped(Effect.gen(function*() {
    const emulator = yield* Emulator.make({
      lifecycle: options.lifecycle ?? { mode: "time" },
      pollAfterMs: 300,
      ...(options.streaming === undefined ? {} : { streaming: options.streaming })
    })
    const assistant = emulator.seedAssistant(options.assistant ?? { instructions: "You are a helpful assistant." })
    const client = OpenAiClient.layer({ apiKey: emulator.apiKey, apiUrl: emulator.url })
    return Layer.merge(
      services.pipe(Layer.provide(client)),
      Layer.succeed(Target, {
        assistantId: assistant.id,
        threadId: Effect.sync(() => emulator.seedThread().id),
        description: `the emulator at ${emulator.url}`
      })
    )
  }))

const real = Layer.unwrapEffect(Effect.gen(function*() {
  const assistantId = yield* Config.string("OPENAI_ASSISTANT_ID").pipe(
    Config.withDescription("the assistant the example runs (create one on your server first)")
  )
  const baseUrl = yield* Config.option(Config.string("OPENAI_BASE_URL"))
  return Layer.merge(
    services.pipe(Layer.provide(OpenAiClient.layerConfig())),
    Layer.succeed(Target, {
      assistantId,
      threadId: Config.string("OPENAI_THREAD_ID"),
      description: Option.getOrElse(baseUrl, () => OpenAiClient.defaultApiUrl)
    })
  )
}))

/**
 * `RunsService`, `ThreadsService` and `MessagesService` (over one client) and the `Target` for an example: the
 * emulator unless `OPENAI_API_KEY` is set.
 */
export const exampleLayer = (
  options: ExampleOptions = {}
): Layer.Layer<Services | Target, ConfigError.ConfigError | RunsError.InvalidOptionError> =>
  Layer.unwrapEffect(
    Effect.map(
      Config.option(Config.redacted("OPENAI_API_KEY")),
      (key) => Option.isSome(key) ? real : emulated(options)
    )
  ).pipe(
    Layer.provide(FetchHttpClient.layer),
    Layer.tap((context) => Console.log(`→ talking to ${Context.get(context, Target).description}\n`))
  )
