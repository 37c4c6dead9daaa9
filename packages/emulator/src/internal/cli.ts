import { parseArgs } from "node:util"
import type * as Lifecycle from "../Lifecycle.js"
import type * as Wire from "../Wire.js"

/** @internal */
export const usage = `Usage: runs-emulator [options]

Runs the OpenAI Assistants Runs API emulator on loopback until Ctrl-C (SIGINT) or SIGTERM. It seeds an assistant
that answers with a message, one that calls a get_weather function, and a thread with no run, and prints the
environment variables that point the examples (or your program) at it.

Options:
  --port <n>             port to listen on, 0 for any free one (default 4010)
  --host <address>       address to listen on (default 127.0.0.1)
  --api-key <key>        the API key it accepts (default sk-emulator)
  --lifecycle <mode>     how runs move on: time (on the clock, default), perRequest (one status per read),
                         manual (never, unless a test moves them)
  --event-delay-ms <n>   pause between streamed events, in milliseconds (default 0)
  -h, --help             print this help and exit

Exit codes: 0 after Ctrl-C or SIGTERM, 2 for a bad option or a port it cannot listen on.`

/** @internal */
export interface Options {
  readonly port: number
  readonly host: string
  readonly apiKey: string
  readonly lifecycle: Lifecycle.Lifecycle
  readonly eventDelayMs: number
}

/** @internal */
export type Parsed =
  | { readonly _tag: "Help" }
  | { readonly _tag: "Invalid"; readonly message: string }
  | { readonly _tag: "Run"; readonly options: Options }

const lifecycles: Record<string, Lifecycle.Lifecycle> = {
  time: { mode: "time" },
  perRequest: { mode: "perRequest" },
  manual: { mode: "manual" }
}

const wholeNumber = (value: string, max: number): number | undefined =>
  /^\d+$/.test(value) && Number(value) <= max ? Number(value) : undefined

/** The first sentence of a `parseArgs` error, e.g. `Unknown option '--bogus'`. */
const firstSentence = (message: string): string => message.split(/\.(\s|$)/)[0] ?? message

/**
 * The command line, checked: `--help`, or the options, or what is wrong with them in one line.
 *
 * @internal
 */
export const parse = (argv: ReadonlyArray<string>): Parsed => {
  // `pnpm emulator -- --port 4011` passes the `--` through: it is not an argument of ours.
  const args = argv.filter((arg, index) => !(index === 0 && arg === "--"))
  let values: Record<string, string | boolean | undefined>
  try {
    values = parseArgs({
      args,
      strict: true,
      allowPositionals: false,
      options: {
        port: { type: "string", default: "4010" },
        host: { type: "string", default: "127.0.0.1" },
        "api-key": { type: "string", default: "sk-emulator" },
        lifecycle: { type: "string", default: "time" },
        "event-delay-ms": { type: "string", default: "0" },
        help: { type: "boolean", short: "h", default: false }
      }
    }).values
  } catch (error) {
    return { _tag: "Invalid", message: firstSentence(error instanceof Error ? error.message : String(error)) }
  }
  if (values.help === true) return { _tag: "Help" }
  const port = wholeNumber(String(values.port), 65535)
  if (port === undefined) {
    return { _tag: "Invalid", message: `--port must be a whole number from 0 to 65535, got '${values.port}'` }
  }
  const lifecycle = lifecycles[String(values.lifecycle)]
  if (lifecycle === undefined) {
    return {
      _tag: "Invalid",
      message: `--lifecycle must be time, perRequest or manual, got '${values.lifecycle}'`
    }
  }
  const eventDelayMs = wholeNumber(String(values["event-delay-ms"]), 60_000)
  if (eventDelayMs === undefined) {
    return {
      _tag: "Invalid",
      message: `--event-delay-ms must be a whole number of milliseconds up to 60000, got '${values["event-delay-ms"]}'`
    }
  }
  const apiKey = String(values["api-key"])
  if (apiKey === "") return { _tag: "Invalid", message: "--api-key must not be empty" }
  return { _tag: "Run", options: { port, host: String(values.host), apiKey, lifecycle, eventDelayMs } }
}

/** @internal */
export interface Seeded {
  readonly url: string
  readonly apiKey: string
  readonly lifecycle: Lifecycle.Lifecycle
  readonly assistant: Wire.Assistant
  readonly toolsAssistant: Wire.Assistant
  readonly thread: Wire.Thread
}

/**
 * What the CLI prints once it listens: what it seeded, the variables to export, and requests to try.
 *
 * @internal
 */
export const banner = ({ apiKey, assistant, lifecycle, thread, toolsAssistant, url }: Seeded): string => {
  const curl =
    `curl -s -H "Authorization: Bearer ${apiKey}" -H "OpenAI-Beta: assistants=v2" -H "Content-Type: application/json"`
  return `Runs API emulator listening on ${url} (lifecycle: ${lifecycle.mode})

Seeded:
  ${assistant.id}  ${assistant.name}: answers with a message
  ${toolsAssistant.id}  ${toolsAssistant.name}: calls get_weather, then answers
  ${thread.id}  a thread with no run yet

Point the examples (or your program) at it:
  export OPENAI_API_KEY=${apiKey}
  export OPENAI_BASE_URL=${url}
  export OPENAI_ASSISTANT_ID=${assistant.id}
  export OPENAI_TOOLS_ASSISTANT_ID=${toolsAssistant.id}
  export OPENAI_THREAD_ID=${thread.id}

Try:
  ${curl} -d '{"assistant_id":"${assistant.id}"}' ${url}/threads/${thread.id}/runs
  ${curl} "${url}/threads/${thread.id}/messages?order=asc"
  ${curl} -N -d '{"assistant_id":"${assistant.id}","stream":true}' ${url}/threads/runs

Ctrl-C stops it.`
}
