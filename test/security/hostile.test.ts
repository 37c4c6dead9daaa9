/**
 * Hostile servers, played by the emulator over loopback, against the whole client: what the building blocks of the
 * internal modules already guarantee through today's `OpenAiClient`. (The bounds that need the client itself,
 * `maxResponseBytes` and `streamIdleTimeout`, are TODO(client) in SECURITY.md.)
 */
import { RunsService } from "@effect-openai/runs"
import { Emulator, Fault } from "@effect-openai/runs-emulator"
import { describe, expect, layer } from "@effect/vitest"
import { Effect, Exit, Stream, TestServices } from "effect"
import { emulatorLayer } from "../../packages/runs/test/support/emulator.js"

const failureTag = <A, E extends { readonly _tag: string }>(exit: Exit.Exit<A, E>): string =>
  Exit.isSuccess(exit)
    ? "Success"
    : exit.cause._tag === "Fail"
    ? exit.cause.error._tag
    : `defect: ${String(exit.cause)}`

describe("hostile servers against the whole client", () => {
  layer(emulatorLayer({ transport: "socket", emulator: { lifecycle: { mode: "manual" } }, client: { maxRetries: 0 } }))(
    (it) => {
      const streamOf = (faultOrFaults: Fault.Fault) =>
        Effect.gen(function*() {
          const emulator = yield* Emulator.Emulator
          const runs = yield* RunsService.RunsService
          const seeded = emulator.seedRun({ status: "completed" })
          emulator.enqueueFault({ ...faultOrFaults, method: "POST" })
          const events: Array<string> = []
          const exit = yield* Effect.exit(
            Stream.runForEach(
              runs.createRunStream(seeded.thread_id, { assistant_id: seeded.assistant_id }),
              (event) => Effect.sync(() => events.push(event.event))
            )
          )
          emulator.clearFaults()
          return { exit, events }
        }).pipe(TestServices.provideLive)

      it.effect("an endless data line: ResponseTooLargeError at 10 MiB, after the events before it", () =>
        Effect.gen(function*() {
          const created = `event: thread.run.created\ndata: ${JSON.stringify(runLike())}\n\n`
          const { events, exit } = yield* streamOf(Fault.endlessDataLine({ head: created }))
          expect(events).toEqual(["thread.run.created"])
          expect(failureTag(exit)).toBe("ResponseTooLargeError")
          expect(Exit.isFailure(exit) && JSON.stringify(exit.cause)).toContain("\"limitBytes\":10485760")
        }))

      it.effect("endless data lines without a blank line: ResponseTooLargeError", () =>
        Effect.gen(function*() {
          const { exit } = yield* streamOf(Fault.endlessDataLines())
          expect(failureTag(exit)).toBe("ResponseTooLargeError")
        }))

      it.effect("an error event nested 100,000 deep: ResponseDecodeError, not a stack overflow", () =>
        Effect.gen(function*() {
          const { exit } = yield* streamOf(Fault.eventStream([{ event: "error", data: Fault.nestedJson(100_000) }]))
          expect(failureTag(exit)).toBe("ResponseDecodeError")
        }))

      it.effect("a 2xx body, or a run's metadata, nested 100,000 deep: ResponseDecodeError", () =>
        Effect.gen(function*() {
          const emulator = yield* Emulator.Emulator
          const runs = yield* RunsService.RunsService
          const seeded = emulator.seedRun({ status: "completed" })
          emulator.enqueueFault(Fault.deeplyNested(100_000, { kind: "object" }))
          expect(failureTag(yield* Effect.exit(runs.getRun(seeded.thread_id, seeded.id)))).toBe("ResponseDecodeError")
          const body = JSON.stringify(seeded).replace(
            /"metadata":\{[^}]*\}/,
            `"metadata":${Fault.nestedJson(100_000, "object")}`
          )
          emulator.enqueueFault(Fault.status(200, { body }))
          expect(failureTag(yield* Effect.exit(runs.getRun(seeded.thread_id, seeded.id)))).toBe("ResponseDecodeError")
        }).pipe(TestServices.provideLive))

      it.effect("an error body nested 100,000 deep: the status error", () =>
        Effect.gen(function*() {
          const emulator = yield* Emulator.Emulator
          const runs = yield* RunsService.RunsService
          const seeded = emulator.seedRun({ status: "completed" })
          emulator.enqueueFault(Fault.status(500, { body: `{"error":${Fault.nestedJson(100_000, "object")}}` }))
          expect(failureTag(yield* Effect.exit(runs.getRun(seeded.thread_id, seeded.id)))).toBe("InternalServerError")
        }).pipe(TestServices.provideLive))

      it.effect("a tool's parameters with __proto__ from the server: a plain object, Object.prototype untouched", () =>
        Effect.gen(function*() {
          const emulator = yield* Emulator.Emulator
          const runs = yield* RunsService.RunsService
          const seeded = emulator.seedRun({ status: "completed" })
          const body = JSON.stringify({
            ...seeded,
            tools: [{ type: "function", function: { name: "f", parameters: { type: "object" } } }]
          }).replace(`"parameters":{`, `"parameters":{"__proto__":{"polluted":"yes"},"constructor":{"prototype":1},`)
          emulator.enqueueFault(Fault.status(200, { body }))
          const run = yield* runs.getRun(seeded.thread_id, seeded.id)
          const tool = run.tools[0] as { readonly function: { readonly parameters: Record<string, unknown> } }
          expect(Object.getPrototypeOf(tool.function.parameters)).toBe(Object.prototype)
          expect(tool.function.parameters.polluted).toBeUndefined()
          expect(tool.function.parameters.type).toBe("object")
          expect(({} as Record<string, unknown>).polluted).toBeUndefined()
        }).pipe(TestServices.provideLive))
    }
  )
})

/** A run event's data as a server sends it. */
const runLike = () => ({
  id: "run_1",
  object: "thread.run",
  created_at: 1,
  assistant_id: "asst_1",
  thread_id: "thread_1",
  status: "queued",
  started_at: null,
  expires_at: null,
  cancelled_at: null,
  failed_at: null,
  completed_at: null,
  required_action: null,
  last_error: null,
  model: "gpt-4o",
  instructions: null,
  tools: [],
  metadata: {},
  incomplete_details: null,
  usage: null,
  temperature: 1,
  top_p: 1,
  max_prompt_tokens: null,
  max_completion_tokens: null,
  truncation_strategy: { type: "auto", last_messages: null },
  response_format: "auto",
  tool_choice: "auto",
  parallel_tool_calls: true
})
