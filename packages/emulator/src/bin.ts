#!/usr/bin/env node
/**
 * `pnpm emulator [--port 4010] [--host 127.0.0.1] [--api-key sk-emulator] [--lifecycle perRequest|time|manual]
 * [--event-delay-ms 0]`: runs the emulator with a demo assistant, thread and run, until SIGINT or SIGTERM.
 *
 * @since 0.1.0
 */
import { parseArgs } from "node:util"
import * as Emulator from "./Emulator.js"
import type * as Lifecycle from "./Lifecycle.js"

// `pnpm emulator -- --port 4011` passes the `--` through: it is not an argument of ours.
const args = process.argv.slice(2).filter((arg, index) => !(index === 0 && arg === "--"))

const { values } = parseArgs({
  args,
  options: {
    port: { type: "string", default: "4010" },
    host: { type: "string", default: "127.0.0.1" },
    "api-key": { type: "string", default: "sk-emulator" },
    lifecycle: { type: "string", default: "time" },
    "event-delay-ms": { type: "string", default: "0" }
  }
})

const lifecycles: Record<string, Lifecycle.Lifecycle> = {
  perRequest: { mode: "perRequest" },
  time: { mode: "time" },
  manual: { mode: "manual" }
}

const lifecycle = lifecycles[values.lifecycle]
if (lifecycle === undefined) {
  console.error(`Unknown --lifecycle ${values.lifecycle}: use perRequest, time or manual.`)
  process.exit(2)
}

const emulator = await Emulator.start({
  port: Number(values.port),
  host: values.host,
  apiKey: values["api-key"],
  lifecycle,
  streaming: { eventDelayMs: Number(values["event-delay-ms"]) }
})

const assistant = emulator.seedAssistant({
  name: "Weather bot",
  tools: [{
    type: "function",
    function: {
      name: "get_weather",
      description: "The current weather in a city",
      parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] }
    }
  }],
  script: [
    { type: "function_call", name: "get_weather", arguments: { city: "Paris" } },
    { type: "message", text: "It is sunny in Paris." }
  ]
})
const thread = emulator.seedThread()
const run = emulator.seedRun({ thread_id: thread.id, assistant_id: assistant.id })

const curl = `curl -s -H "Authorization: Bearer ${emulator.apiKey}" -H "OpenAI-Beta: assistants=v2"`
console.log(`Runs API emulator listening on ${emulator.url} (lifecycle: ${lifecycle.mode})
API key: ${emulator.apiKey}
Assistant: ${assistant.id} (calls get_weather, then answers)
Thread: ${thread.id}
Run: ${run.id}

Try:
  ${curl} ${emulator.url}/threads/${thread.id}/runs/${run.id}
  ${curl} "${emulator.url}/threads/${thread.id}/messages?order=asc"
  ${curl} -H "Content-Type: application/json" -d '{"assistant_id":"${assistant.id}"}' ${emulator.url}/threads/runs
  ${curl} -N -H "Content-Type: application/json" -d '{"assistant_id":"${assistant.id}","stream":true}' ${emulator.url}/threads/runs
`)

const stop = () => {
  emulator.close().then(() => process.exit(0))
}
process.once("SIGINT", stop)
process.once("SIGTERM", stop)
