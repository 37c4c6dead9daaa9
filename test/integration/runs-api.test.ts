import { Run, RunsService } from "@effect-openai/runs"
import { Emulator } from "@effect-openai/runs-emulator"
import { expect, layer } from "@effect/vitest"
import { Chunk, Clock, Effect, Exit, Schedule, Stream } from "effect"
import { emulatorLayer, requestsArrivedFromNow } from "../../packages/runs/test/support/emulator.js"
import { runOnTestClock } from "../../packages/runs/test/support/testClock.js"

/** Client timeouts far beyond any poll wait, so the TestClock only ever jumps to polls and backoffs. */
const clientOptions = { timeout: "1 hour" } as const
/** On the TestClock, jumping no time while a request is on its way (to the emulator or back). */
const onTestClock = <A, E>(effect: Effect.Effect<A, E>) =>
  Effect.flatMap(
    requestsArrivedFromNow,
    (ready) => runOnTestClock(effect, { horizonMillis: 10 * 60_000, ready })
  )

const weatherTool = { type: "function", function: { name: "get_weather", parameters: { type: "object" } } } as const

const weatherAssistant = (emulator: Emulator.Handle) =>
  emulator.seedAssistant({
    instructions: "You tell the weather.",
    tools: [weatherTool],
    script: [
      { type: "function_call", name: "get_weather", arguments: { city: "Paris" } },
      { type: "message", text: "It is sunny in Paris." }
    ]
  })

const successOf = <A, E>(exit: Exit.Exit<A, E>): A => {
  if (Exit.isSuccess(exit)) return exit.value
  throw new Error(`expected success, got ${String(exit.cause)}`)
}

layer(emulatorLayer({ transport: "socket", emulator: { pollAfterMs: 500 }, client: clientOptions }))(
  "the whole Runs API against the emulator",
  (it) => {
    it.effect("createAndPoll: queued → in_progress → completed, waiting what openai-poll-after-ms says", () =>
      Effect.gen(function*() {
        const emulator = yield* Emulator.Emulator
        const assistant = emulator.seedAssistant({ instructions: "Be brief." })
        const thread = emulator.seedThread()
        const runs = yield* RunsService.RunsService
        const started = yield* Clock.currentTimeMillis
        const run = successOf(yield* onTestClock(runs.createAndPoll(thread.id, { assistant_id: assistant.id })))
        expect(run.status).toBe("completed")
        expect(run.usage?.total_tokens).toBeGreaterThan(0)
        const polls = emulator.requests().filter((r) => r.method === "GET" && r.path.endsWith(run.id)).length
        expect(polls).toBeGreaterThanOrEqual(2)
        expect((yield* Clock.currentTimeMillis) - started).toBe(polls * 500)
      }))

    it.effect("a function tool: requires_action with the call, then submitToolOutputsAndPoll completes it", () =>
      Effect.gen(function*() {
        const emulator = yield* Emulator.Emulator
        const assistant = weatherAssistant(emulator)
        const thread = emulator.seedThread()
        const runs = yield* RunsService.RunsService
        const waiting = successOf(yield* onTestClock(runs.createAndPoll(thread.id, { assistant_id: assistant.id })))
        expect(waiting.status).toBe("requires_action")
        const [call] = waiting.required_action?.submit_tool_outputs.tool_calls ?? []
        expect(call?.function).toEqual({ name: "get_weather", arguments: JSON.stringify({ city: "Paris" }) })
        const done = successOf(
          yield* onTestClock(runs.submitToolOutputsAndPoll(thread.id, waiting.id, {
            tool_outputs: [{ tool_call_id: call!.id, output: "sunny" }]
          }))
        )
        expect(done.status).toBe("completed")
        const steps = yield* runs.listRunSteps(thread.id, done.id, { order: "asc" })
        expect(steps.data.map((step) => step.type)).toEqual(["tool_calls", "message_creation"])
        const toolStep = steps.data[0]!
        expect(toolStep.step_details).toMatchObject({
          tool_calls: [{ id: call!.id, type: "function", function: { name: "get_weather", output: "sunny" } }]
        })
        const one = yield* runs.getRunStep(thread.id, done.id, toolStep.id)
        expect(one.id).toBe(toolStep.id)
      }))

    it.effect("submitting outputs to a run that is not waiting is the server's 400, sent once", () =>
      Effect.gen(function*() {
        const emulator = yield* Emulator.Emulator
        const seeded = emulator.seedRun({ status: "in_progress" })
        emulator.clearRequests()
        const runs = yield* RunsService.RunsService
        const error = yield* Effect.flip(
          runs.submitToolOutputsToRun(seeded.thread_id, seeded.id, {
            tool_outputs: [{ tool_call_id: "call_1", output: "x" }]
          })
        )
        expect(error).toMatchObject({
          _tag: "BadRequestError",
          message: "Runs in status \"in_progress\" do not accept tool outputs."
        })
        expect(emulator.requests()).toHaveLength(1)
      }))

    it.effect("createThreadAndRunPoll creates the thread and runs it to the end", () =>
      Effect.gen(function*() {
        const emulator = yield* Emulator.Emulator
        const assistant = emulator.seedAssistant({ instructions: "Be brief." })
        const runs = yield* RunsService.RunsService
        const run = successOf(
          yield* onTestClock(runs.createThreadAndRunPoll({
            assistant_id: assistant.id,
            thread: { messages: [{ role: "user", content: "Hello" }] }
          }))
        )
        expect(run.status).toBe("completed")
        expect(run.thread_id).toMatch(/^thread_/)
      }))

    it.effect("cancelRun goes through cancelling to cancelled", () =>
      Effect.gen(function*() {
        const emulator = yield* Emulator.Emulator
        const seeded = emulator.seedRun({ status: "in_progress" })
        const runs = yield* RunsService.RunsService
        const cancelling = yield* runs.cancelRun(seeded.thread_id, seeded.id)
        expect(cancelling.status).toBe("cancelling")
        const cancelled = successOf(yield* onTestClock(runs.pollRun(seeded.thread_id, seeded.id)))
        expect(cancelled.status).toBe("cancelled")
        expect(cancelled.cancelled_at).not.toBeNull()
        const again = yield* Effect.flip(runs.cancelRun(seeded.thread_id, seeded.id))
        expect(again.message).toBe("Cannot cancel run with status 'cancelled'.")
      }))

    it.effect("watchRun emits each status once, in order, and ends at the terminal one", () =>
      Effect.gen(function*() {
        const emulator = yield* Emulator.Emulator
        const assistant = emulator.seedAssistant({ instructions: "Be brief." })
        const thread = emulator.seedThread()
        const runs = yield* RunsService.RunsService
        const created = yield* runs.createRun(thread.id, { assistant_id: assistant.id })
        const seen = successOf(yield* onTestClock(Stream.runCollect(runs.watchRun(thread.id, created.id))))
        expect(Chunk.toReadonlyArray(seen).map((run) => run.status)).toEqual(["in_progress", "completed"])
      }))

    it.effect("listRunsStream follows the cursors across pages, in both orders and backwards from before", () =>
      Effect.gen(function*() {
        const emulator = yield* Emulator.Emulator
        const thread = emulator.seedThread()
        const seeded = Array.from(
          { length: 7 },
          (_, i) => emulator.seedRun({ thread_id: thread.id, status: "completed", created_at: 1_700_000_000 + i })
        )
        const ids = seeded.map((run) => run.id)
        emulator.clearRequests()
        const runs = yield* RunsService.RunsService
        const desc = yield* Stream.runCollect(runs.listRunsStream(thread.id, { limit: 2 }))
        expect(Chunk.toReadonlyArray(desc).map((run) => run.id)).toEqual([...ids].reverse())
        expect(emulator.requests()).toHaveLength(4)
        const asc = yield* Stream.runCollect(runs.listRunsStream(thread.id, { limit: 3, order: "asc" }))
        expect(Chunk.toReadonlyArray(asc).map((run) => run.id)).toEqual(ids)
        const beforeFifth = yield* Stream.runCollect(
          runs.listRunsStream(thread.id, { limit: 2, order: "asc", before: ids[4]! })
        )
        expect(Chunk.toReadonlyArray(beforeFifth).map((run) => run.id).sort()).toEqual(ids.slice(0, 4).sort())
        const firstTwo = yield* Stream.runCollect(Stream.take(runs.listRunsStream(thread.id, { limit: 2 }), 2))
        expect(Chunk.size(firstTwo)).toBe(2)
        const page = yield* runs.listRuns(thread.id, { limit: 3, order: "asc" })
        expect(page).toMatchObject({ first_id: ids[0], last_id: ids[2], has_more: true })
      }))

    it.effect("an empty thread lists an empty page with null ids", () =>
      Effect.gen(function*() {
        const emulator = yield* Emulator.Emulator
        const thread = emulator.seedThread()
        const runs = yield* RunsService.RunsService
        expect(yield* runs.listRuns(thread.id)).toEqual({
          object: "list",
          data: [],
          first_id: null,
          last_id: null,
          has_more: false
        })
        expect(Chunk.size(yield* Stream.runCollect(runs.listRunsStream(thread.id)))).toBe(0)
      }))
  }
)

layer(
  emulatorLayer({
    transport: "socket",
    emulator: { lifecycle: { mode: "manual" }, pollAfterMs: 1000 },
    client: clientOptions
  })
)(
  "polling limits",
  (it) => {
    it.effect("pollRun's timeout fails with PollTimeoutError carrying the last run seen", () =>
      Effect.gen(function*() {
        const emulator = yield* Emulator.Emulator
        const seeded = emulator.seedRun({ status: "queued" })
        const runs = yield* RunsService.RunsService
        const exit = yield* onTestClock(runs.pollRun(seeded.thread_id, seeded.id, { timeout: "4500 millis" }))
        const error = Exit.isFailure(exit) && exit.cause._tag === "Fail" ? exit.cause.error : undefined
        expect(error?._tag).toBe("PollTimeoutError")
        if (error?._tag !== "PollTimeoutError") return
        expect([error.polls, error.lastRun?.id, error.lastRun?.status]).toEqual([5, seeded.id, "queued"])
        expect(error.message).toBe("The run did not settle within 4s 500ms")
      }))

    it.effect("a user Schedule decides the waits, and its end ends the poll", () =>
      Effect.gen(function*() {
        const emulator = yield* Emulator.Emulator
        const seeded = emulator.seedRun({ status: "queued" })
        const runs = yield* RunsService.RunsService
        const started = yield* Clock.currentTimeMillis
        const exit = yield* onTestClock(
          runs.pollRun(seeded.thread_id, seeded.id, {
            schedule: Schedule.spaced("200 millis").pipe(Schedule.upTo("1 second"))
          })
        )
        expect(Exit.isFailure(exit) && exit.cause._tag === "Fail" && exit.cause.error._tag).toBe("PollTimeoutError")
        expect((yield* Clock.currentTimeMillis) - started).toBeLessThanOrEqual(1_200)
      }))

    it.effect("interrupting a poll stops it during its wait", () =>
      Effect.gen(function*() {
        const emulator = yield* Emulator.Emulator
        const seeded = emulator.seedRun({ status: "in_progress" })
        const runs = yield* RunsService.RunsService
        const exit = yield* onTestClock(
          runs.pollRun(seeded.thread_id, seeded.id).pipe(Effect.timeoutTo({
            duration: "2500 millis",
            onTimeout: () => "stopped" as const,
            onSuccess: (run: Run.Run) => run.status
          }))
        )
        expect(successOf(exit)).toBe("stopped")
        const polls = emulator.requests().filter((r) => r.path.endsWith(seeded.id)).length
        expect(polls).toBe(3)
      }))
  }
)
