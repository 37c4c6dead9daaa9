import { Emulator, Fault } from "@effect-openai/runs-emulator"
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { dechunk, eventually, headerLines, open, outline, parseEvents, raw, readAll } from "./support.js"

/** An emulator with an assistant that answers `text`, and the path and body of a streamed createRun. */
const setup = (options: Emulator.EmulatorOptions = {}, text = "Hello! How can I help you today?") =>
  Effect.map(Emulator.make(options), (emulator) => {
    const assistant = emulator.seedAssistant({ script: [{ type: "message", text }] })
    const thread = emulator.seedThread()
    return { emulator, thread, path: `/threads/${thread.id}/runs`, body: { assistant_id: assistant.id, stream: true } }
  })

const streamed = (emulator: Emulator.Handle, path: string, body: unknown) =>
  Effect.promise(async () => {
    const response = await open(emulator, "POST", path, { body })
    return { response, ...await readAll(response) }
  })

/** Ids and timestamps replaced by placeholders, so that two runs of one script compare equal. */
const normalized = (text: string): string =>
  text.replace(/\b(run|thread|asst|step|msg|call)_[A-Za-z0-9]{24}\b/g, "$1_ID").replace(/\b\d{10}\b/g, "TIME")

describe("stream controls", () => {
  it.scoped("a cut stream fault drops the connection after n events, without done", () =>
    Effect.gen(function*() {
      const { body, emulator, path, thread } = yield* setup()
      emulator.enqueueStreamFault(Fault.cutStream(3))
      const cut = yield* streamed(emulator, path, body)
      expect(cut.response.status).toBe(200)
      expect(cut.error).toBeDefined()
      expect(outline(parseEvents(cut.text))).toEqual([
        "thread.run.created",
        "thread.run.queued",
        "thread.run.in_progress"
      ])
      expect(emulator.pendingFaults()).toBe(0)
      const run = parseEvents(cut.text)[0]!.data
      expect(emulator.getRun(thread.id, run.id)?.status).toBe("completed")
    }))

  it.scoped("an error stream fault sends an error event after n events and ends the stream", () =>
    Effect.gen(function*() {
      const { body, emulator, path } = yield* setup()
      emulator.enqueueStreamFault(Fault.streamError(2, { message: "Boom." }))
      const failed = yield* streamed(emulator, path, body)
      expect(failed.error).toBeUndefined()
      const events = parseEvents(failed.text)
      expect(events.map((event) => event.event)).toEqual(["thread.run.created", "thread.run.queued", "error"])
      expect(failed.text.endsWith(
        "event: error\ndata: {\"error\":{\"message\":\"Boom.\",\"type\":\"server_error\",\"param\":null,\"code\":null}}\n\n"
      )).toBe(true)
    }))

  it.scoped("stream faults match by path and nth, counting streaming answers only", () =>
    Effect.gen(function*() {
      const { body, emulator, path } = yield* setup()
      emulator.enqueueStreamFault(Fault.cutStream(1, { path: /\/submit_tool_outputs$/ }))
      emulator.enqueueStreamFault(Fault.streamError(1, { nth: 2 }))
      const first = yield* streamed(emulator, path, body)
      expect(first.text.endsWith("data: [DONE]\n\n")).toBe(true)
      const second = yield* streamed(emulator, path, body)
      expect(parseEvents(second.text).map((event) => event.event)).toEqual(["thread.run.created", "error"])
      expect(emulator.pendingFaults()).toBe(1)
    }))

  it.scoped("chunkBytes splits the output into small writes that join into the same bytes", () =>
    Effect.gen(function*() {
      const text = "Grüße aus Köln ☀️, à bientôt!"
      const whole = yield* setup({}, text)
      const chunked = yield* setup({ streaming: { chunkBytes: 7 } }, text)
      const [plain, pieces] = yield* Effect.promise(() =>
        Promise.all([
          raw(whole.emulator, "POST", whole.path, whole.body),
          raw(chunked.emulator, "POST", chunked.path, chunked.body)
        ])
      )
      expect(headerLines(pieces.head, "transfer-encoding")).toEqual(["chunked"])
      const writes = dechunk(pieces.body)
      expect(writes.length).toBeGreaterThan(100)
      expect(writes.every((write) => write.length > 0 && write.length <= 7)).toBe(true)
      const splitCharacter = writes.some((write) => write.toString("utf8").includes("\uFFFD"))
      expect(splitCharacter).toBe(true)
      const joined = Buffer.concat(writes).toString("utf8")
      expect(normalized(joined)).toBe(normalized(Buffer.concat(dechunk(plain.body)).toString("utf8")))
      const deltas = parseEvents(joined).filter((event) => event.event === "thread.message.delta")
      expect(deltas.map((delta) => delta.data.delta.content[0].text.value).join("")).toBe(text)
    }))

  it.scoped("without chunkBytes each event is one write", () =>
    Effect.gen(function*() {
      const { body, emulator, path } = yield* setup()
      const answer = yield* Effect.promise(() => raw(emulator, "POST", path, body))
      const writes = dechunk(answer.body).map((write) => write.toString("utf8"))
      expect(writes.every((write) => /^event: [^\n]+\ndata: [^\n]+\n\n$/.test(write))).toBe(true)
      expect(writes.at(-1)).toBe("event: done\ndata: [DONE]\n\n")
    }))

  it.scoped("eventDelayMs spaces the events out in real time", () =>
    Effect.gen(function*() {
      const { body, emulator, path } = yield* setup({ streaming: { eventDelayMs: 20 } }, "One two three.")
      const started = Date.now()
      const answer = yield* streamed(emulator, path, body)
      const events = parseEvents(answer.text)
      expect(Date.now() - started).toBeGreaterThanOrEqual(20 * (events.length - 1) - 5)
      expect(answer.reads).toBeGreaterThan(events.length / 2)
    }))

  it.scoped("a client closing a stream midway is counted", () =>
    Effect.gen(function*() {
      const { body, emulator, path } = yield* setup({ streaming: { eventDelayMs: 40 } })
      yield* streamed(emulator, path, body)
      expect(emulator.streamsClosedByClient()).toBe(0)
      const controller = new AbortController()
      yield* Effect.promise(async () => {
        const response = await open(emulator, "POST", path, { body, signal: controller.signal })
        await response.body!.getReader().read()
        controller.abort()
      })
      yield* eventually(() => emulator.streamsClosedByClient() === 1)
    }))

  it.scoped("a client gone before the head of a stream is counted", () =>
    Effect.gen(function*() {
      const { body, emulator, path } = yield* setup()
      emulator.enqueueFault(Fault.delay(50))
      const controller = new AbortController()
      const answer = open(emulator, "POST", path, { body, signal: controller.signal }).catch(() => undefined)
      yield* eventually(() => emulator.requests().length === 1)
      controller.abort()
      yield* Effect.promise(() => answer)
      yield* eventually(() => emulator.streamsClosedByClient() === 1)
    }))

  it.scoped("a stream cut by a fault is not counted as closed by the client", () =>
    Effect.gen(function*() {
      const { body, emulator, path } = yield* setup()
      emulator.enqueueStreamFault(Fault.cutStream(2))
      const cut = yield* streamed(emulator, path, body)
      expect(cut.error).toBeDefined()
      yield* eventually(() => emulator.openConnections() === 0)
      expect(emulator.streamsClosedByClient()).toBe(0)
    }))
})
