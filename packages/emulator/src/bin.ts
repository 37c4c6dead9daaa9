#!/usr/bin/env node
/**
 * The `runs-emulator` command (`npx -y pnpm@10 emulator` in this repository): runs the emulator with a plain
 * assistant, a tool-calling one and a free thread, and prints the variables to export, until SIGINT or SIGTERM.
 * `--help` lists the options; a bad option or a port it cannot listen on is one line on stderr and exit code 2.
 *
 * @since 0.1.0
 */
import * as Cause from "effect/Cause"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as Emulator from "./Emulator.js"
import * as Cli from "./internal/cli.js"

// The process ends by running out of work, with `process.exitCode` set, rather than by `process.exit()`: exiting in
// the middle of module evaluation can hang under a module loader hook (`tsx` as `npx -y pnpm@10 emulator` runs it).
const fail = (message: string): void => {
  process.stderr.write(`runs-emulator: ${message}\n`)
  process.exitCode = 2
}

const weatherTool = {
  type: "function",
  function: {
    name: "get_weather",
    description: "The current weather in a city",
    parameters: {
      type: "object",
      properties: { city: { type: "string" }, unit: { type: "string", enum: ["celsius", "fahrenheit"] } },
      required: ["city"]
    }
  }
} as const

const serve = (options: Cli.Options) =>
  Effect.gen(function*() {
    const emulator = yield* Emulator.make({
      port: options.port,
      host: options.host,
      apiKey: options.apiKey,
      lifecycle: options.lifecycle,
      streaming: { eventDelayMs: options.eventDelayMs }
    })
    const assistant = emulator.seedAssistant({
      name: "Helper",
      instructions: "You are a helpful assistant.",
      script: [{ type: "message", text: "Hello! I am the emulator's assistant. How can I help you today?" }]
    })
    const toolsAssistant = emulator.seedAssistant({
      name: "Weather bot",
      instructions: "You answer weather questions with the get_weather tool.",
      tools: [weatherTool],
      script: [
        { type: "function_call", name: "get_weather", arguments: { city: "Paris" } },
        { type: "message", text: "It is sunny in Paris." }
      ]
    })
    const thread = emulator.seedThread()
    yield* Console.log(Cli.banner({
      url: emulator.url,
      apiKey: emulator.apiKey,
      lifecycle: options.lifecycle,
      assistant,
      toolsAssistant,
      thread
    }))
    return yield* Effect.never
  })

const parsed = Cli.parse(process.argv.slice(2))
if (parsed._tag === "Help") {
  process.stdout.write(`${Cli.usage}\n`)
} else if (parsed._tag === "Invalid") {
  fail(`${parsed.message} (see --help)`)
} else {
  const fiber = Effect.runFork(Effect.scoped(serve(parsed.options)))
  const stop = () => {
    Effect.runFork(Fiber.interrupt(fiber))
    // Closing cuts every connection; should anything still hold the process, do not wait for it.
    setTimeout(() => process.exit(), 5_000).unref()
  }
  process.once("SIGINT", stop)
  process.once("SIGTERM", stop)
  fiber.addObserver((exit) => {
    process.off("SIGINT", stop)
    process.off("SIGTERM", stop)
    if (Exit.isSuccess(exit) || Cause.isInterruptedOnly(exit.cause)) return
    const failure = Cause.failureOption(exit.cause)
    if (failure._tag === "Some") {
      fail(
        failure.value.code === "EADDRINUSE"
          ? `${failure.value.message}; pick another with --port`
          : failure.value.message
      )
    } else {
      process.stderr.write(`runs-emulator: ${Cause.pretty(exit.cause)}\n`)
      process.exitCode = 1
    }
  })
}
