import { RunsService } from "@effect-openai/runs"
import { Emulator, type Fault } from "@effect-openai/runs-emulator"
import { describe, expect, layer } from "@effect/vitest"
import { Cause, Effect, Inspectable, Logger, Schedule, Stream, TestServices } from "effect"
import { makeRecordingTracer } from "../../packages/runs/test/support/tracer.js"
import { emulatorWithClient } from "../support/emulator.js"

/** A key no text would contain by chance: any trace of it is a leak. */
const apiKey = "sk-leakcheck-7d1e9a2b4c6f8e0a1b3c5d7e9f"
const leaks = (text: string): Array<string> => {
  const found: Array<string> = []
  if (text.includes(apiKey.slice(0, 8))) found.push("an 8-character prefix")
  if (text.includes(Buffer.from(apiKey).toString("base64").slice(0, 16))) found.push("its base64")
  if (text.includes(apiKey.slice(-12))) found.push("its tail")
  return found
}

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
  ["a connection reset", { kind: "reset" }],
  ["404 as the real API words it", { status: 404, body: { error: { message: "No run found with id 'run_x'." } } }]
]

const captured = () => {
  const lines: Array<string> = []
  const logger = Logger.make(({ annotations, cause, message }) => {
    lines.push(Inspectable.format(message), Cause.pretty(cause), Inspectable.format(annotations))
  })
  return { lines, layer: Logger.replace(Logger.defaultLogger, logger) }
}

const scan = (texts: ReadonlyArray<string>) =>
  texts.flatMap((text) => leaks(text).map((leak) => `${leak} in: ${text.slice(0, 200)}`))

for (const httpSpans of [false, true]) {
  describe(`no trace of the API key anywhere (httpSpans: ${httpSpans})`, () => {
    layer(
      emulatorWithClient({ apiKey, lifecycle: { mode: "manual" } }, {
        httpSpans,
        maxRetries: 1,
        timeout: "1 hour",
        retrySchedule: Schedule.spaced("1 millis")
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
            const tracer = makeRecordingTracer()
            const logs = captured()
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
            const texts: Array<string> = []
            for (const operation of operations) {
              emulator.enqueueFault({ ...fault, ...("status" in fault ? {} : {}) })
              emulator.enqueueFault(fault)
              const exit = yield* operation.pipe(
                Effect.tapErrorCause((cause) => Effect.logError("operation failed", cause)),
                Effect.withSpan("test"),
                Effect.provide(tracer.layer),
                Effect.provide(logs.layer),
                Effect.exit
              )
              emulator.clearFaults()
              texts.push(String(exit), JSON.stringify(exit), Inspectable.format(exit))
              if (exit._tag === "Failure") {
                for (const error of Cause.failures(exit.cause)) {
                  texts.push(
                    String(error),
                    JSON.stringify(error),
                    (error as Error).message ?? "",
                    (error as Error).stack ?? ""
                  )
                }
              }
            }
            for (const span of tracer.spans) {
              texts.push(span.name, JSON.stringify([...span.attributes]), JSON.stringify(span.events))
              // The exit value of @effect/platform's own HTTP span (httpSpans: true) is the response, which holds the
              // request: Effect redacts its headers only when formatted inside a fiber. See SECURITY.md.
              if (span.status._tag === "Ended" && span.name.startsWith("RunsService.")) {
                texts.push(String(span.status.exit), JSON.stringify(span.status.exit))
              }
            }
            texts.push(...logs.lines)
            expect(logs.lines.length).toBeGreaterThan(0)
            expect(tracer.spans.length).toBeGreaterThan(operations.length)
            expect(scan(texts)).toEqual([])
          })))
      }
    })
  })
}
