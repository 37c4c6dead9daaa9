/**
 * `Emulator.layerTest`: the test layer users give their programs, `RunsService`, `ThreadsService` and
 * `MessagesService` over an in-process emulator.
 */
import { MessagesService, type Run, RunsError, RunsService, RunStream, ThreadsService } from "@effect-openai/runs"
import { Emulator } from "@effect-openai/runs-emulator"
import { describe, expect, it } from "@effect/vitest"
import { Cause, Chunk, Effect, Stream } from "effect"
import { emulatorLayer } from "../../packages/runs/test/support/emulator.js"
import { runJson } from "../../packages/runs/test/support/runJson.js"

const service = RunsService.RunsService

describe("Emulator.layerTest", () => {
  const seeded = [runJson({ id: "run_1", thread_id: "thread_1", metadata: { a: "1" } }) as Run.RunJson]

  it.effect("serves seeded runs, given as wire JSON or Run values", () =>
    Effect.gen(function*() {
      const runs = yield* service
      const run = yield* runs.getRun("thread_1", "run_1")
      expect(run.metadata).toEqual({ a: "1" })
      const again = yield* Effect.provide(
        Effect.flatMap(service, (runs) => runs.getRun("thread_1", "run_1")),
        Emulator.layerTest([run])
      )
      expect(again).toEqual(run)
    }).pipe(Effect.provide(Emulator.layerTest(seeded))))

  it.effect("answers an unknown run or thread with NotFoundError, as the API words it", () =>
    Effect.gen(function*() {
      const runs = yield* service
      const missingRun = yield* Effect.flip(runs.getRun("thread_1", "run_x"))
      expect(missingRun).toMatchObject({ _tag: "NotFoundError", status: 404, message: "No run found with id 'run_x'." })
      const missingThread = yield* Effect.flip(runs.getRun("thread_x", "run_1"))
      expect(missingThread.message).toBe("No thread found with id 'thread_x'.")
    }).pipe(Effect.provide(Emulator.layerTest(seeded))))

  it.effect("modifyRun replaces the metadata, and later reads see it", () =>
    Effect.gen(function*() {
      const runs = yield* service
      const modified = yield* runs.modifyRun("thread_1", "run_1", { metadata: { b: "2" } })
      expect(modified.metadata).toEqual({ b: "2" })
      expect((yield* runs.getRun("thread_1", "run_1")).metadata).toEqual({ b: "2" })
    }).pipe(Effect.provide(Emulator.layerTest(seeded))))

  it.effect("validates like the real service, before anything is sent", () =>
    Effect.gen(function*() {
      const runs = yield* service
      const emulator = yield* Emulator.Emulator
      const error = yield* Effect.flip(runs.modifyRun("thread_1", "run_1", { metadata: { k: "v".repeat(600) } }))
      expect(error).toBeInstanceOf(RunsError.InvalidRequestError)
      const badId = yield* Effect.flip(runs.getRun("thread_1", "../x"))
      expect(badId._tag).toBe("InvalidRequestError")
      expect(emulator.requests()).toEqual([])
    }).pipe(Effect.provide(Emulator.layerTest(seeded))))

  it.effect("each layer build starts from the seed again", () =>
    Effect.gen(function*() {
      const runs = yield* service
      expect((yield* runs.getRun("thread_1", "run_1")).metadata).toEqual({ a: "1" })
    }).pipe(Effect.provide(Emulator.layerTest(seeded))))

  it.effect("a seed that is not a run is a defect, named", () =>
    Effect.gen(function*() {
      const exit = yield* Effect.exit(Effect.provide(service, Emulator.layerTest([{ id: "run_1" } as any])))
      expect(exit._tag === "Failure" && Cause.isDie(exit.cause)).toBe(true)
      expect(exit._tag === "Failure" && Cause.pretty(exit.cause)).toMatch(/Run[\s\S]*is missing/)
    }))

  it.live("provides ThreadsService and MessagesService over the same emulator: a conversation, read back", () =>
    Effect.gen(function*() {
      const threads = yield* ThreadsService.ThreadsService
      const messages = yield* MessagesService.MessagesService
      const runs = yield* service
      const emulator = yield* Emulator.Emulator
      const assistant = emulator.seedAssistant({ script: [{ type: "message", text: "Bonjour !" }] })
      const thread = yield* threads.createThread({ messages: [{ role: "user", content: "Say hello in French." }] })
      const run = yield* runs.createAndPoll(thread.id, { assistant_id: assistant.id }, { interval: "100 millis" })
      expect(yield* messages.getRunText(thread.id, run.id)).toBe("Bonjour !")
      expect(emulator.getMessages(thread.id).map((message) => message.role)).toEqual(["user", "assistant"])
      const refused = yield* Effect.flip(messages.createMessage("thread_1", { role: "user", content: [] }))
      expect(refused).toBeInstanceOf(RunsError.InvalidRequestError)
      const missing = yield* Effect.flip(threads.getThread("thread_x"))
      expect(missing).toMatchObject({ _tag: "NotFoundError", message: "No thread found with id 'thread_x'." })
    }).pipe(Effect.provide(Emulator.layerTest({}, { pollAfterMs: 0 }))))

  it.live("streams, and runs move through the emulator's lifecycle", () =>
    Effect.gen(function*() {
      const runs = yield* service
      const emulator = yield* Emulator.Emulator
      const assistant = emulator.seedAssistant({ script: [{ type: "message", text: "Hello from the emulator." }] })
      const events = runs.createThreadAndRunStream({ assistant_id: assistant.id })
      const text = yield* Stream.runCollect(RunStream.textDeltas(events))
      expect(Chunk.join(text, "")).toBe("Hello from the emulator.")
      const polled = yield* runs.createThreadAndRunPoll({ assistant_id: assistant.id }, { interval: "100 millis" })
      expect(polled.status).toBe("completed")
    }).pipe(Effect.provide(Emulator.layerTest({}, { pollAfterMs: 0 }))))
})

describe("Emulator.layerTest covers every operation", () => {
  const seed: Emulator.TestSeed = {
    runs: [
      runJson({ id: "run_1", thread_id: "thread_1", status: "completed", created_at: 1 }),
      runJson({
        id: "run_2",
        thread_id: "thread_1",
        status: "requires_action",
        created_at: 2,
        completed_at: null,
        required_action: {
          type: "submit_tool_outputs",
          submit_tool_outputs: {
            tool_calls: [{ id: "call_1", type: "function", function: { name: "f", arguments: "{}" } }]
          }
        }
      }),
      runJson({ id: "run_3", thread_id: "thread_2", status: "in_progress", created_at: 3, completed_at: null })
    ] as Array<Run.RunJson>,
    steps: [{
      id: "step_1",
      object: "thread.run.step",
      created_at: 1,
      assistant_id: "asst_abc123",
      thread_id: "thread_1",
      run_id: "run_1",
      type: "message_creation",
      status: "completed",
      step_details: { type: "message_creation", message_creation: { message_id: "msg_1" } }
    }] as any
  }

  it.effect("lists with cursors, creates, cancels, answers tool calls and serves steps", () =>
    Effect.gen(function*() {
      const runs = yield* service
      const page = yield* runs.listRuns("thread_1", { limit: 1 })
      expect(page).toMatchObject({ first_id: "run_2", last_id: "run_2", has_more: true })
      const all = yield* Stream.runCollect(runs.listRunsStream("thread_1", { limit: 1, order: "asc" }))
      expect(Chunk.toReadonlyArray(all).map((run) => run.id)).toEqual(["run_1", "run_2"])
      const cancelling = yield* runs.cancelRun("thread_2", "run_3")
      expect(cancelling.status).toBe("cancelling")
      const refused = yield* Effect.flip(runs.cancelRun("thread_1", "run_1"))
      expect(refused.message).toBe("Cannot cancel run with status 'completed'.")
      const resumed = yield* runs.submitToolOutputsToRun("thread_1", "run_2", {
        tool_outputs: [{ tool_call_id: "call_1", output: "ok" }]
      })
      expect(resumed.status).toBe("queued")
      const wrongStatus = yield* Effect.flip(
        runs.submitToolOutputsToRun("thread_1", "run_1", { tool_outputs: [{ tool_call_id: "call_1", output: "ok" }] })
      )
      expect(wrongStatus).toMatchObject({
        _tag: "BadRequestError",
        message: "Runs in status \"completed\" do not accept tool outputs."
      })
      const steps = yield* runs.listRunSteps("thread_1", "run_1")
      expect(steps.data.map((step) => step.id)).toEqual(["step_1"])
      expect((yield* runs.getRunStep("thread_1", "run_1", "step_1")).id).toBe("step_1")
      const noStep = yield* Effect.flip(runs.getRunStep("thread_1", "run_1", "step_x"))
      expect(noStep.message).toBe("No run step found with id 'step_x'.")
      const both = yield* runs.createThreadAndRun({ assistant_id: "asst_abc123" })
      expect((yield* runs.listRuns(both.thread_id)).data.map((run) => run.id)).toEqual([both.id])
      const created = yield* runs.createRun(both.thread_id, { assistant_id: "asst_abc123", metadata: { k: "v" } })
        .pipe(Effect.flip)
      expect(created.message).toContain("already has an active run")
      expect((yield* runs.pollRun("thread_1", "run_1")).status).toBe("completed")
    }).pipe(Effect.provide(Emulator.layerTest(seed, { lifecycle: { mode: "manual" } }))))
})

/** Ids and timestamps differ between two emulators; everything else must not. */
const normalise = (value: unknown): unknown =>
  JSON.parse(
    JSON.stringify(value)
      .replace(/"(asst|thread|run|step|msg|call|req)_[A-Za-z0-9]+"/g, "\"$1_*\"")
      .replace(
        /"(created_at|started_at|completed_at|expires_at|cancelled_at|failed_at|incomplete_at)":\d+/g,
        "\"$1\":0"
      )
  )

/** One program using every operation, streaming and failures included; what it saw, in order. */
const everyOperation = Effect.gen(function*() {
  const runs = yield* service
  const emulator = yield* Emulator.Emulator
  const assistant = emulator.seedAssistant({
    tools: [{ type: "function", function: { name: "lookup" } }],
    script: [
      { type: "function_call", name: "lookup", arguments: { q: "x" } },
      { type: "message", text: "Found it." }
    ]
  })
  const seen: Array<unknown> = []
  const created = yield* runs.createThreadAndRun({ assistant_id: assistant.id })
  const waiting = yield* runs.pollRun(created.thread_id, created.id, { interval: "100 millis" })
  seen.push(created, waiting)
  const callId = waiting.required_action!.submit_tool_outputs.tool_calls[0]!.id
  const done = yield* runs.submitToolOutputsAndPoll(created.thread_id, created.id, {
    tool_outputs: [{ tool_call_id: callId, output: "42" }]
  }, { interval: "100 millis" })
  seen.push(done)
  seen.push(yield* runs.modifyRun(done.thread_id, done.id, { metadata: { k: "v" } }))
  seen.push(yield* runs.listRuns(done.thread_id))
  const steps = yield* runs.listRunSteps(done.thread_id, done.id, { order: "asc" })
  seen.push(steps, yield* runs.getRunStep(done.thread_id, done.id, steps.data[0]!.id))
  seen.push(yield* Effect.flip(runs.cancelRun(done.thread_id, done.id)))
  seen.push(yield* Effect.flip(runs.getRun(done.thread_id, "run_missing")))
  const streamed = yield* Stream.runCollect(runs.createRunStream(done.thread_id, { assistant_id: assistant.id }))
  seen.push(Chunk.toReadonlyArray(streamed).map((event) => event.event))
  const threads = yield* ThreadsService.ThreadsService
  const messages = yield* MessagesService.MessagesService
  seen.push(yield* messages.getRunText(done.thread_id, done.id))
  seen.push(yield* messages.listMessages(done.thread_id, { order: "asc" }))
  const thread = yield* threads.createThread({ messages: [{ role: "user", content: "Hi" }], metadata: { a: "1" } })
  const added = yield* messages.createMessage(thread.id, { role: "assistant", content: "Hello." })
  seen.push(thread, added, yield* threads.getThread(thread.id), yield* messages.getMessage(thread.id, added.id))
  seen.push(yield* messages.modifyMessage(thread.id, added.id, { metadata: { k: "v" } }))
  seen.push(yield* threads.modifyThread(thread.id, { metadata: { b: "2" } }))
  seen.push(Chunk.toReadonlyArray(yield* Stream.runCollect(messages.listMessagesStream(thread.id, { limit: 1 }))))
  seen.push(yield* messages.deleteMessage(thread.id, added.id), yield* threads.deleteThread(thread.id))
  seen.push((yield* Effect.flip(messages.listMessages(thread.id)))._tag)
  return normalise(seen)
})

describe("Emulator.layerTest against the emulator over a socket", () => {
  it.live("every operation gives the same answers in process as over loopback HTTP", () =>
    Effect.gen(function*() {
      const inProcess = yield* Effect.provide(everyOperation, Emulator.layerTest({}, { pollAfterMs: 0 }))
      const overSocket = yield* Effect.provide(
        everyOperation,
        emulatorLayer({ transport: "socket", emulator: { pollAfterMs: 0 } })
      )
      expect(inProcess).toEqual(overSocket)
      expect(JSON.stringify(inProcess)).toContain("requires_action")
      expect(JSON.stringify(inProcess)).toContain("thread.run.step.delta")
      expect(JSON.stringify(inProcess)).toContain("\"Found it.\"")
      expect(JSON.stringify(inProcess)).toContain("thread.message.deleted")
    }))
})
