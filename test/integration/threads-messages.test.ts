/**
 * The Threads and Messages services against the emulator over loopback HTTP: the SDK's standard flow (create a
 * thread, add a message, createAndPoll, read the answer), every operation, paging, validation, errors and retries.
 */
import {
  Message,
  MessagesService,
  RunsError,
  RunsService,
  RunStream,
  Thread,
  ThreadsService
} from "@effect-openai/runs"
import { Emulator, Fault } from "@effect-openai/runs-emulator"
import { expect, layer } from "@effect/vitest"
import { Chunk, Effect, Exit, Stream } from "effect"
import { emulatorLayer } from "../../packages/runs/test/support/emulator.js"
import { runOnTestClock } from "../../packages/runs/test/support/testClock.js"

const onTestClock = <A, E>(effect: Effect.Effect<A, E>) => runOnTestClock(effect, { horizonMillis: 10 * 60_000 })

const successOf = <A, E>(exit: Exit.Exit<A, E>): A => {
  if (Exit.isSuccess(exit)) return exit.value
  throw new Error(`expected success, got ${String(exit.cause)}`)
}

const services = Effect.all({
  threads: ThreadsService.ThreadsService,
  messages: MessagesService.MessagesService,
  runs: RunsService.RunsService,
  emulator: Emulator.Emulator
})

layer(emulatorLayer({ transport: "socket", emulator: { pollAfterMs: 200 }, client: { timeout: "1 hour" } }))(
  "threads and messages over HTTP",
  (it) => {
    it.effect("the standard flow: create a thread, add a message, createAndPoll, read the answer", () =>
      Effect.gen(function*() {
        const { emulator, messages, runs, threads } = yield* services
        const assistant = emulator.seedAssistant({
          script: [{ type: "message", text: "AI is software that learns patterns from data." }]
        })
        const thread = yield* threads.createThread()
        expect(thread).toBeInstanceOf(Thread.Thread)
        const question = yield* messages.createMessage(thread.id, { role: "user", content: "What is AI?" })
        expect(question).toMatchObject({ role: "user", thread_id: thread.id, run_id: null, status: "completed" })
        const run = successOf(yield* onTestClock(runs.createAndPoll(thread.id, { assistant_id: assistant.id })))
        expect(run.status).toBe("completed")
        expect(yield* messages.getRunText(thread.id, run.id)).toBe("AI is software that learns patterns from data.")
        const page = yield* messages.listMessages(thread.id, { run_id: run.id })
        expect(page.data).toHaveLength(1)
        expect(page.data[0]).toMatchObject({
          role: "assistant",
          run_id: run.id,
          assistant_id: assistant.id,
          status: "completed"
        })
        const transcript = yield* Stream.runCollect(messages.listMessagesStream(thread.id, { order: "asc" }))
        expect(Chunk.toReadonlyArray(transcript).map((message) => `${message.role}: ${Message.text(message)}`)).toEqual(
          [
            "user: What is AI?",
            "assistant: AI is software that learns patterns from data."
          ]
        )
      }))

    it.effect("two turns on one thread: each getRunText reads only its own run's answer", () =>
      Effect.gen(function*() {
        const { emulator, messages, runs, threads } = yield* services
        const assistant = emulator.seedAssistant({ script: [{ type: "message", text: "Noted." }] })
        const thread = yield* threads.createThread({ messages: [{ role: "user", content: "Remember 42." }] })
        const first = successOf(yield* onTestClock(runs.createAndPoll(thread.id, { assistant_id: assistant.id })))
        yield* messages.createMessage(thread.id, { role: "user", content: "And 43." })
        const second = successOf(yield* onTestClock(runs.createAndPoll(thread.id, { assistant_id: assistant.id })))
        expect(yield* messages.getRunText(thread.id, first.id)).toBe("Noted.")
        expect(yield* messages.getRunText(thread.id, second.id)).toBe("Noted.")
        const all = yield* messages.listMessages(thread.id, { order: "asc" })
        expect(all.data.map((message) => [message.role, message.run_id])).toEqual([
          ["user", null],
          ["assistant", first.id],
          ["user", null],
          ["assistant", second.id]
        ])
      }))

    it.effect("a run that writes several messages: getRunText joins them a blank line apart, oldest first", () =>
      Effect.gen(function*() {
        const { emulator, messages, runs, threads } = yield* services
        const assistant = emulator.seedAssistant({
          tools: [{ type: "function", function: { name: "get_weather" } }],
          script: [
            { type: "message", text: "Let me check." },
            { type: "function_call", name: "get_weather", arguments: { city: "Paris" } },
            { type: "message", text: "It is sunny in Paris." }
          ]
        })
        const thread = yield* threads.createThread({ messages: [{ role: "user", content: "Weather in Paris?" }] })
        const waiting = successOf(yield* onTestClock(runs.createAndPoll(thread.id, { assistant_id: assistant.id })))
        expect(waiting.status).toBe("requires_action")
        expect(yield* messages.getRunText(thread.id, waiting.id)).toBe("Let me check.")
        const call = waiting.required_action!.submit_tool_outputs.tool_calls[0]!
        const done = successOf(
          yield* onTestClock(runs.submitToolOutputsAndPoll(thread.id, waiting.id, {
            tool_outputs: [{ tool_call_id: call.id, output: "sunny" }]
          }))
        )
        expect(done.status).toBe("completed")
        expect(yield* messages.getRunText(thread.id, done.id)).toBe("Let me check.\n\nIt is sunny in Paris.")
      }))

    it.effect("getRunText equals the streamed text deltas of a one-message run", () =>
      Effect.gen(function*() {
        const { emulator, messages, runs } = yield* services
        const assistant = emulator.seedAssistant({
          script: [{ type: "message", text: "Streaming, word by word, and then stored." }]
        })
        const events = yield* Stream.runCollect(runs.createThreadAndRunStream({
          assistant_id: assistant.id,
          thread: { messages: [{ role: "user", content: "Go" }] }
        }))
        const streamed = Chunk.join(yield* Stream.runCollect(RunStream.textDeltas(Stream.fromChunk(events))), "")
        const run = yield* RunStream.finalRun(Stream.fromChunk(events))
        expect(yield* messages.getRunText(run.thread_id, run.id)).toBe(streamed)
      }))

    it.effect("getRunText reads every page of a long answer", () =>
      Effect.gen(function*() {
        const { emulator, messages, runs, threads } = yield* services
        const texts = Array.from({ length: 105 }, (_, i) => `Part ${i + 1}.`)
        const assistant = emulator.seedAssistant({ script: texts.map((text) => ({ type: "message", text })) })
        const thread = yield* threads.createThread({ messages: [{ role: "user", content: "Tell me everything." }] })
        const run = yield* runs.createRun(thread.id, { assistant_id: assistant.id })
        emulator.advance(thread.id, run.id, 300)
        emulator.clearRequests()
        expect(yield* messages.getRunText(thread.id, run.id)).toBe(texts.join("\n\n"))
        expect(emulator.requests().map((request) => request.query)).toEqual([
          { limit: "100", order: "asc", run_id: run.id },
          { limit: "100", order: "asc", after: expect.stringMatching(/^msg_/), run_id: run.id }
        ])
      }))

    it.effect("every thread operation: get, modify, delete; a deleted thread is a NotFoundError", () =>
      Effect.gen(function*() {
        const { threads } = yield* services
        const created = yield* threads.createThread({
          metadata: { user_id: "u_1" },
          tool_resources: { code_interpreter: { file_ids: ["file_1"] } }
        })
        expect(created.tool_resources).toEqual({ code_interpreter: { file_ids: ["file_1"] } })
        expect(yield* threads.getThread(created.id)).toEqual(created)
        const modified = yield* threads.modifyThread(created.id, {
          metadata: { user_id: "u_2" },
          tool_resources: { file_search: { vector_store_ids: ["vs_1"] } }
        })
        expect(modified.metadata).toEqual({ user_id: "u_2" })
        expect(modified.tool_resources?.file_search).toEqual({ vector_store_ids: ["vs_1"] })
        const deleted = yield* threads.deleteThread(created.id)
        expect(deleted).toEqual(new Thread.ThreadDeleted({ id: created.id, object: "thread.deleted", deleted: true }))
        const gone = yield* Effect.flip(threads.getThread(created.id))
        expect(gone).toMatchObject({
          _tag: "NotFoundError",
          status: 404,
          message: `No thread found with id '${created.id}'.`
        })
        expect(gone._tag === "NotFoundError" && gone.requestId).toMatch(/^req_/)
      }))

    it.effect("every message operation: get, modify, delete; parts, attachments and metadata round-trip", () =>
      Effect.gen(function*() {
        const { messages, threads } = yield* services
        const thread = yield* threads.createThread()
        const created = yield* messages.createMessage(thread.id, {
          role: "user",
          content: [
            { type: "text", text: "What is in this picture?" },
            { type: "image_url", image_url: { url: "https://example.com/cat.png", detail: "low" } }
          ],
          attachments: [{ file_id: "file_1", tools: [{ type: "code_interpreter" }] }],
          metadata: { source: "upload" }
        })
        expect(created.content).toEqual([
          { type: "text", text: { value: "What is in this picture?", annotations: [] } },
          { type: "image_url", image_url: { url: "https://example.com/cat.png", detail: "low" } }
        ])
        expect(created.attachments).toEqual([{ file_id: "file_1", tools: [{ type: "code_interpreter" }] }])
        expect(yield* messages.getMessage(thread.id, created.id)).toEqual(created)
        const modified = yield* messages.modifyMessage(thread.id, created.id, { metadata: { reviewed: "yes" } })
        expect(modified.metadata).toEqual({ reviewed: "yes" })
        const deleted = yield* messages.deleteMessage(thread.id, created.id)
        expect(deleted).toMatchObject({ id: created.id, object: "thread.message.deleted", deleted: true })
        const gone = yield* Effect.flip(messages.getMessage(thread.id, created.id))
        expect(gone).toMatchObject({ _tag: "NotFoundError", message: `No message found with id '${created.id}'.` })
        expect((yield* messages.listMessages(thread.id)).data).toEqual([])
      }))

    it.effect("listMessages pages with limit, order, after and before; listMessagesStream follows the cursors", () =>
      Effect.gen(function*() {
        const { emulator, messages, threads } = yield* services
        const thread = yield* threads.createThread({
          messages: ["one", "two", "three", "four", "five"].map((content) => ({ role: "user" as const, content }))
        })
        const texts = (page: { readonly data: ReadonlyArray<Message.Message> }) => page.data.map(Message.text)
        const newest = yield* messages.listMessages(thread.id, { limit: 2 })
        expect(texts(newest)).toEqual(["five", "four"])
        expect(newest.has_more).toBe(true)
        const older = yield* messages.listMessages(thread.id, { limit: 2, after: newest.last_id! })
        expect(texts(older)).toEqual(["three", "two"])
        const before = yield* messages.listMessages(thread.id, { limit: 2, order: "asc", before: newest.first_id! })
        expect(texts(before)).toEqual(["three", "four"])
        emulator.clearRequests()
        const all = yield* Stream.runCollect(messages.listMessagesStream(thread.id, { limit: 2, order: "asc" }))
        expect(Chunk.toReadonlyArray(all).map(Message.text)).toEqual(["one", "two", "three", "four", "five"])
        expect(emulator.requests()).toHaveLength(3)
        const empty = yield* messages.listMessages((yield* threads.createThread()).id)
        expect(empty).toEqual({ object: "list", data: [], first_id: null, last_id: null, has_more: false })
      }))

    it.effect("adding a message during a run is the server's BadRequestError, sent once", () =>
      Effect.gen(function*() {
        const { emulator, messages } = yield* services
        const run = emulator.seedRun({ status: "in_progress" })
        emulator.clearRequests()
        const error = yield* Effect.flip(messages.createMessage(run.thread_id, { role: "user", content: "Hello?" }))
        expect(error).toMatchObject({
          _tag: "BadRequestError",
          status: 400,
          message: `Can't add messages to ${run.thread_id} while a run ${run.id} is active.`
        })
        expect(emulator.requests()).toHaveLength(1)
      }))

    it.effect("bad input is refused before anything is sent", () =>
      Effect.gen(function*() {
        const { emulator, messages, threads } = yield* services
        emulator.clearRequests()
        const refusals = yield* Effect.all([
          Effect.flip(threads.getThread("../assistants")),
          Effect.flip(threads.modifyThread("thread_1", { metadata: { ["k".repeat(65)]: "v" } })),
          Effect.flip(threads.createThread({ messages: [{ role: "user", content: [] }] })),
          Effect.flip(messages.createMessage("thread_1", { role: "system", content: "x" } as never)),
          Effect.flip(messages.getMessage("thread_1", "msg 1")),
          Effect.flip(messages.listMessages("thread_1", { limit: 0 })),
          Effect.flip(messages.getRunText("thread_1", "run_1?x"))
        ])
        for (const error of refusals) expect(error).toBeInstanceOf(RunsError.InvalidRequestError)
        expect(emulator.requests()).toEqual([])
      }))

    it.effect("a server-side limit the client does not check (content length) comes back as BadRequestError", () =>
      Effect.gen(function*() {
        const { messages, threads } = yield* services
        const thread = yield* threads.createThread()
        const error = yield* Effect.flip(
          messages.createMessage(thread.id, { role: "user", content: "x".repeat(256_001) })
        )
        expect(error).toMatchObject({ _tag: "BadRequestError", param: "content", code: "string_above_max_length" })
      }))
  }
)

layer(
  emulatorLayer({ transport: "socket", emulator: { lifecycle: { mode: "manual" } }, client: { timeout: "1 hour" } })
)(
  "threads and messages retries: creates never twice, the rest like reads",
  (it) => {
    const serverError = {
      error: { message: "The server had an error.", type: "server_error", param: null, code: null }
    }

    it.effect("createThread and createMessage answered 500 are returned after one request each", () =>
      Effect.gen(function*() {
        const { emulator, messages, threads } = yield* services
        const thread = yield* threads.createThread()
        emulator.clearRequests()
        emulator.enqueueFault(Fault.status(500, { method: "POST", path: /\/threads$/, body: serverError }))
        const created = yield* onTestClock(threads.createThread())
        expect(Exit.isFailure(created) && created.cause._tag === "Fail" && created.cause.error._tag).toBe(
          "InternalServerError"
        )
        emulator.enqueueFault(Fault.status(500, { method: "POST", path: /\/messages$/, body: serverError }))
        const added = yield* onTestClock(messages.createMessage(thread.id, { role: "user", content: "x" }))
        expect(Exit.isFailure(added)).toBe(true)
        expect(emulator.requests().map((request) => request.method)).toEqual(["POST", "POST"])
        expect(emulator.getMessages(thread.id)).toEqual([])
      }))

    it.effect("reads, modifies and deletes are retried after a 500 and succeed", () =>
      Effect.gen(function*() {
        const { emulator, messages, threads } = yield* services
        const thread = yield* threads.createThread({ messages: [{ role: "user", content: "x" }] })
        const [message] = emulator.getMessages(thread.id)
        emulator.clearRequests()
        for (const method of ["GET", "POST", "DELETE"]) {
          emulator.enqueueFault(Fault.status(500, { method, path: /\/messages\/msg_/, body: serverError }))
        }
        successOf(yield* onTestClock(messages.getMessage(thread.id, message!.id)))
        successOf(yield* onTestClock(messages.modifyMessage(thread.id, message!.id, { metadata: { k: "v" } })))
        successOf(yield* onTestClock(messages.deleteMessage(thread.id, message!.id)))
        expect(emulator.requests().map((request) => request.method)).toEqual([
          "GET",
          "GET",
          "POST",
          "POST",
          "DELETE",
          "DELETE"
        ])
      }))
  }
)
