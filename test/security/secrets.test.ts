import { RunsService } from "@effect-openai/runs"
import { Emulator, Fault } from "@effect-openai/runs-emulator"
import { describe, expect, layer } from "@effect/vitest"
import { Effect, Schedule, Stream, TestServices } from "effect"
import { emulatorLayer } from "../../packages/runs/test/support/emulator.js"
import { leaksIn, observe, recognisableKey } from "../support/leaks.js"

const apiKey = recognisableKey

const base64 = (text: string) => Buffer.from(text).toString("base64")

/** Server answers that echo the key back in every place a server or proxy could put it. */
const echoes: ReadonlyArray<readonly [string, Fault.Fault]> = [
  ["401 quoting the key", {
    status: 401,
    body: {
      error: {
        message: `Incorrect API key provided: ${apiKey}.`,
        type: "invalid_request_error",
        code: "invalid_api_key"
      }
    }
  }],
  ["401 quoting a masked prefix", {
    status: 401,
    body: { error: { message: `Incorrect API key provided: ${apiKey.slice(0, 10)}****${apiKey.slice(-4)}` } }
  }],
  ["403 with the key as param", { status: 403, body: { error: { message: "denied", param: apiKey, code: apiKey } } }],
  ["500 HTML page dumping the headers", { status: 500, body: `<pre>Authorization: Bearer ${apiKey}</pre>` }],
  ["502 with the key in base64", { status: 502, body: `proxy auth ${Buffer.from(apiKey).toString("base64")}` }],
  ["429 with the key in a header", {
    status: 429,
    headers: { "x-debug-key": apiKey, "retry-after-ms": "0" },
    body: ""
  }],
  ["200 that is not JSON but holds the key", { status: 200, body: `oops ${apiKey}` }],
  ["200 JSON that does not decode, holding the key", { status: 200, body: { id: apiKey, object: "thread.run" } }],
  ["502 with `Bearer <key>` in base64", { status: 502, body: `auth: ${base64(`Bearer ${apiKey}`)}` }],
  ["500 with the base64 of the Authorization line across the 512-character cut", {
    status: 500,
    // The key's part of the encoding starts 30 characters in: 20 of them come before the cut.
    body: `${"<p>".padEnd(462, ".")}${base64(`Authorization: Bearer ${apiKey}`)}${"</p>".repeat(200)}`
  }],
  ["200 that is not JSON, the key's base64url across the cut", {
    status: 200,
    body: `${"x".repeat(500)}${Buffer.from(apiKey).toString("base64url")}${"y".repeat(1000)}`
  }],
  ["200 JSON that does not decode, `Bearer <key>` in base64 across the cut", {
    status: 200,
    // Quoted as {"object":"thread.run","id":"rrr…: the key's part of the encoding starts at 482, before the cut.
    body: { object: "thread.run", id: `${"r".repeat(443)}${base64(`Bearer ${apiKey}`)}` }
  }],
  ["the request's Authorization echoed in x-request-id", Fault.echoRequestHeader("authorization")],
  ["the key in base64 echoed in x-request-id over a 500", {
    status: 500,
    headers: { "x-request-id": base64(`Bearer ${apiKey}`) },
    body: { error: { message: "oops" } }
  }],
  ["a connection reset", { kind: "reset" }],
  ["404 as the real API words it", { status: 404, body: { error: { message: "No run found with id 'run_x'." } } }]
]

for (const httpSpans of [false, true]) {
  describe(`no trace of the API key anywhere (httpSpans: ${httpSpans})`, () => {
    layer(
      emulatorLayer({
        transport: "socket",
        emulator: { apiKey, lifecycle: { mode: "manual" } },
        client: {
          httpSpans,
          maxRetries: 1,
          timeout: "1 hour",
          retrySchedule: Schedule.spaced("1 millis")
        }
      })
    )((it) => {
      for (const [name, fault] of echoes) {
        it.effect(name, () =>
          TestServices.provideLive(Effect.gen(function*() {
            const emulator = yield* Emulator.Emulator
            const runs = yield* RunsService.RunsService
            const seeded = emulator.seedRun({
              status: "requires_action",
              required_action: {
                type: "submit_tool_outputs",
                submit_tool_outputs: {
                  tool_calls: [{ id: "call_1", type: "function", function: { name: "f", arguments: "{}" } }]
                }
              }
            })
            const operations = [
              runs.getRun(seeded.thread_id, seeded.id),
              runs.modifyRun(seeded.thread_id, seeded.id, { metadata: { a: "b" } }),
              runs.listRuns(seeded.thread_id),
              runs.createRun(seeded.thread_id, { assistant_id: seeded.assistant_id }),
              runs.submitToolOutputsToRun(seeded.thread_id, seeded.id, {
                tool_outputs: [{ tool_call_id: "call_1", output: "x" }]
              }),
              Stream.runDrain(runs.createThreadAndRunStream({ assistant_id: seeded.assistant_id }))
            ]
            for (const operation of operations) {
              emulator.enqueueFault(fault)
              emulator.enqueueFault(fault)
              const observed = yield* observe(operation)
              emulator.clearFaults()
              expect(observed.spans).toBeGreaterThan(1)
              expect(leaksIn(observed.texts)).toEqual([])
            }
          })))
      }
    })
  })
}
