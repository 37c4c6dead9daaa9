/**
 * Where the examples send their requests: an emulator of their own on loopback by default, or a server when
 * `OPENAI_API_KEY` is set: a real Assistants-compatible one, or the CLI emulator (`npx -y pnpm@10 emulator` prints
 * the variables to export). They read:
 *
 * - `OPENAI_API_KEY`: the key; unset, the example starts its own emulator and reads nothing else.
 * - `OPENAI_BASE_URL`: the server's base URL, `/v1` included (default `https://api.openai.com/v1`).
 * - `OPENAI_ASSISTANT_ID`: the assistant the runs use.
 * - `OPENAI_TOOLS_ASSISTANT_ID`: the assistant of the tool-calling examples, one given the `get_weather` function
 *   (default: `OPENAI_ASSISTANT_ID`).
 * - `OPENAI_THREAD_ID`: a thread with no active run, for the examples that run on an existing thread.
 * - `OPENAI_ORG_ID`, `OPENAI_PROJECT_ID`, `OPENAI_MAX_RETRIES`, `OPENAI_TIMEOUT_MS`: optional, as
 *   `RunsService.layerConfig` reads them.
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
  /** The example needs an assistant that calls `get_weather`: on a server, `OPENAI_TOOLS_ASSISTANT_ID`. */
  readonly callsTools?: boolean
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
    const emulator = yield* Effect.orDie(Emulator.make({
      lifecycle: options.lifecycle ?? { mode: "time" },
      pollAfterMs: 300,
      ...(options.streaming === undefined ? {} : { streaming: options.streaming })
    }))
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

const assistantIdConfig = Config.string("OPENAI_ASSISTANT_ID").pipe(
  Config.withDescription("the assistant the example runs (create one on your server first)")
)

const real = (options: ExampleOptions) =>
  Layer.unwrapEffect(Effect.gen(function*() {
    const assistantId = yield* (options.callsTools === true
      ? Config.string("OPENAI_TOOLS_ASSISTANT_ID").pipe(Config.orElse(() => assistantIdConfig))
      : assistantIdConfig)
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
      (key) => Option.isSome(key) ? real(options) : emulated(options)
    )
  ).pipe(
    Layer.provide(FetchHttpClient.layer),
    Layer.tap((context) => Console.log(`→ talking to ${Context.get(context, Target).description}\n`))
  )
