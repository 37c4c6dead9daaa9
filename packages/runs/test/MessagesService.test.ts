import { Emulator, Fault, type Wire } from "@effect-openai/runs-emulator"
import { describe, expect, it } from "@effect/vitest"
import { Chunk, Effect, Exit, Stream } from "effect"
import { Message, MessagesService, RunsError } from "../src/index.js"
import { requestsArrived, withEmulator } from "./support/emulator.js"
import { runOnTestClock } from "./support/testClock.js"
import { makeRecordingTracer } from "./support/tracer.js"

const service = MessagesService.MessagesService

/** What the emulator received. */
const requests = Effect.map(Emulator.Emulator, (emulator) => emulator.requests())

/**
 * Has run `runId` of `threadId` (both created when missing) write `texts`, one assistant message each, oldest first,
 * and end `completed`; `[]` makes a run that wrote nothing.
 */
const seedReplies = (
  emulator: Emulator.Handle,
  texts: ReadonlyArray<string>,
  { runId = "run_abc123", threadId = "thread_abc123" }: { readonly runId?: string; readonly threadId?: string } = {}
): void => {
  const assistant = emulator.seedAssistant({ script: texts.map((text) => ({ type: "message" as const, text })) })
  emulator.seedRun({ id: runId, thread_id: threadId, assistant_id: assistant.id, status: "queued" })
  emulator.advance(threadId, runId, texts.length + 2)
  expect(emulator.getRun(threadId, runId)?.status).toBe("completed")
}

/** The messages `runId` wrote in `threadId`, oldest first, as the emulator stores them. */
const repliesOf = (runId = "run_abc123", threadId = "thread_abc123") =>
  Effect.map(
    Emulator.Emulator,
    (emulator) => emulator.getMessages(threadId).filter((message) => message.run_id === runId)
  )

/** A list page holding `data`, as a server sends it. */
const page = (data: ReadonlyArray<Wire.Message>) => ({
  object: "list",
  data,
  first_id: data[0]?.id ?? null,
  last_id: data[data.length - 1]?.id ?? null,
  has_more: false
})

/** An emulator holding thread_abc123, where `seed` puts more. */
const seeded = (seed: (emulator: Emulator.Handle) => void = () => {}) =>
  withEmulator({
    seed: (emulator) => {
      emulator.seedThread({ id: "thread_abc123" })
      seed(emulator)
    }
  })

const getRunText = (runId = "run_abc123") =>
  Effect.flatMap(service, (messages) => messages.getRunText("thread_abc123", runId))

describe("MessagesService requests", () => {
  it.effect("createMessage posts to /threads/{id}/messages and decodes a Message", () =>
    Effect.gen(function*() {
      const params = {
        role: "user",
        content: [{ type: "text", text: "What is AI?" }, {
          type: "image_url",
          image_url: { url: "https://example.com/a.png" }
        }],
        attachments: [{ file_id: "file_1", tools: [{ type: "file_search" }] }],
        metadata: { source: "test" }
      } as const
      const message = yield* Effect.flatMap(service, (messages) => messages.createMessage("thread_abc123", params))
      expect(message).toBeInstanceOf(Message.Message)
      expect(Message.text(message)).toBe("What is AI?")
      expect(message).toMatchObject({
        thread_id: "thread_abc123",
        role: "user",
        attachments: [{ file_id: "file_1", tools: [{ type: "file_search" }] }],
        metadata: { source: "test" }
      })
      expect(message.content[1]).toEqual({ type: "image_url", image_url: { url: "https://example.com/a.png" } })
      expect((yield* Emulator.Emulator).getMessages("thread_abc123").map((stored) => stored.id)).toEqual([message.id])
      const [request, ...more] = yield* requests
      expect(more).toEqual([])
      expect(`${request?.method} ${request?.path}`).toBe("POST /v1/threads/thread_abc123/messages")
      expect(request?.headers["content-type"]).toBe("application/json")
      expect(JSON.parse(request!.body)).toEqual(params)
    }).pipe(seeded()))

  it.effect("listMessages sends paging and run_id in the query", () =>
    Effect.gen(function*() {
      const [a, , b] = (yield* repliesOf()).map((message) => message.id)
      const page = yield* Effect.flatMap(service, (messages) =>
        messages.listMessages("thread_abc123", {
          limit: 5,
          order: "asc",
          after: a!,
          before: b!,
          run_id: "run_abc123"
        }))
      // Between the run's first and last replies, oldest first: the other run's message is not the run's.
      expect(page.data.map(Message.text)).toEqual(["hi"])
      const [request] = yield* requests
      expect(`${request?.method} ${request?.path}`).toBe("GET /v1/threads/thread_abc123/messages")
      expect(Object.entries(request?.query ?? {})).toEqual([
        ["limit", "5"],
        ["order", "asc"],
        ["after", a],
        ["before", b],
        ["run_id", "run_abc123"]
      ])
    }).pipe(seeded((emulator) => {
      // run_abc123 writes "a", run_other a message of its own, then run_abc123 "hi" and "b".
      const script = (...texts: ReadonlyArray<string>) =>
        emulator.seedAssistant({ script: texts.map((text) => ({ type: "message" as const, text })) }).id
      emulator.seedRun({ id: "run_abc123", thread_id: "thread_abc123", assistant_id: script("a", "hi", "b") })
      emulator.seedRun({ id: "run_other", thread_id: "thread_abc123", assistant_id: script("another run's") })
      emulator.advance("thread_abc123", "run_abc123", 2)
      emulator.advance("thread_abc123", "run_other", 2)
      emulator.advance("thread_abc123", "run_abc123", 2)
      expect(emulator.getMessages("thread_abc123").map((message) => message.run_id)).toEqual([
        "run_abc123",
        "run_other",
        "run_abc123",
        "run_abc123"
      ])
    })))

  it.effect("listMessagesStream follows the after-cursors until has_more is false", () =>
    Effect.gen(function*() {
      const ids = (yield* repliesOf("run_1")).map((message) => message.id)
      const all = yield* Effect.flatMap(service, (messages) =>
        Stream.runCollect(messages.listMessagesStream("thread_abc123", { limit: 2, run_id: "run_1" })))
      // Newest first, as the API lists by default; the other run's message is not among them.
      expect(Chunk.toReadonlyArray(all).map(Message.text)).toEqual(["c", "b", "a"])
      expect((yield* requests).map((request) =>
        Object.entries(request.query)
      )).toEqual([
        [["limit", "2"], ["run_id", "run_1"]],
        [["limit", "2"], ["after", ids[1]], ["run_id", "run_1"]]
      ])
    }).pipe(seeded((emulator) => {
      seedReplies(emulator, ["elsewhere"], { runId: "run_0" })
      seedReplies(emulator, ["a", "b", "c"], { runId: "run_1" })
    })))

  it.effect("getMessage, modifyMessage and deleteMessage address /threads/{id}/messages/{id}", () =>
    Effect.gen(function*() {
      const [{ id }] = (yield* repliesOf()) as [Wire.Message]
      const [got, modified, deleted] = yield* Effect.flatMap(service, (messages) =>
        Effect.all([
          messages.getMessage("thread_abc123", id),
          messages.modifyMessage("thread_abc123", id, { metadata: { flagged: "true" } }),
          messages.deleteMessage("thread_abc123", id)
        ]))
      expect(got.id).toBe(id)
      expect(Message.text(got)).toBe("hi")
      expect(got.metadata).toEqual({})
      expect(modified.metadata).toEqual({ flagged: "true" })
      expect(deleted).toBeInstanceOf(Message.MessageDeleted)
      expect(deleted).toMatchObject({ id, deleted: true })
      const sent = yield* requests
      expect(sent.map((request) => `${request.method} ${request.path}`)).toEqual([
        `GET /v1/threads/thread_abc123/messages/${id}`,
        `POST /v1/threads/thread_abc123/messages/${id}`,
        `DELETE /v1/threads/thread_abc123/messages/${id}`
      ])
      expect(JSON.parse(sent[1]!.body)).toEqual({ metadata: { flagged: "true" } })
      expect((yield* Emulator.Emulator).getMessages("thread_abc123")).toEqual([])
    }).pipe(seeded((emulator) => seedReplies(emulator, ["hi"]))))

  it.effect("a server's refusal to add a message during a run is a BadRequestError with its words", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(
        Effect.flatMap(service, (messages) => messages.createMessage("thread_abc123", { role: "user", content: "x" }))
      )
      expect(error).toMatchObject({
        _tag: "BadRequestError",
        status: 400,
        message: "Can't add messages to thread_abc123 while a run run_abc123 is active."
      })
      expect(yield* requests).toHaveLength(1)
    }).pipe(withEmulator({
      emulator: { lifecycle: { mode: "manual" } },
      runs: [{ id: "run_abc123", thread_id: "thread_abc123", status: "in_progress" }]
    })))
})

describe("MessagesService.getRunText", () => {
  it.effect("joins the run's assistant messages, oldest first, a blank line apart; asks for them by run, ascending", () =>
    Effect.gen(function*() {
      const text = yield* getRunText()
      expect(text).toBe("Let me check the weather.\n\nIt is sunny in Paris.")
      expect(text.split(MessagesService.runTextSeparator)).toHaveLength(2)
      const [request, ...more] = yield* requests
      expect(more).toEqual([])
      expect(`${request?.method} ${request?.path}`).toBe("GET /v1/threads/thread_abc123/messages")
      expect(Object.entries(request?.query ?? {})).toEqual([
        ["limit", "100"],
        ["order", "asc"],
        ["run_id", "run_abc123"]
      ])
    }).pipe(seeded((emulator) => {
      seedReplies(emulator, ["An earlier answer."], { runId: "run_earlier" })
      seedReplies(emulator, ["Let me check the weather.", "It is sunny in Paris."])
    })))

  const longRun = (emulator: Emulator.Handle) =>
    seedReplies(emulator, [...Array.from({ length: 100 }, (_, i) => `part ${i}`), "the end"])

  it.effect("reads every page", () =>
    Effect.gen(function*() {
      const text = yield* getRunText()
      const paragraphs = text.split("\n\n")
      expect(paragraphs).toHaveLength(101)
      expect([paragraphs[0], paragraphs[100]]).toEqual(["part 0", "the end"])
      const sent = yield* requests
      expect(sent).toHaveLength(2)
      expect(sent[1]?.query.after).toBe((yield* repliesOf())[99]?.id)
    }).pipe(seeded(longRun)))

  it.effect("within a message, text parts join with nothing between; images, refusals and user messages add nothing", () =>
    Effect.gen(function*() {
      // The emulator's runs write text only: a compatible server's page, from the run's real reply.
      const [reply] = (yield* repliesOf()) as [Wire.Message]
      const text = (value: string) => ({ type: "text", text: { value, annotations: [] } }) as const
      const image = (file_id: string) => ({ type: "image_file", image_file: { file_id } }) as const
      ;(yield* Emulator.Emulator).enqueueFault(Fault.status(200, {
        body: page([
          {
            ...reply,
            id: "msg_0",
            role: "user",
            assistant_id: null,
            content: [text("a question the server should not have listed")]
          },
          reply,
          { ...reply, id: "msg_2", content: [image("file_1")] },
          { ...reply, id: "msg_3", content: [text("Here is the chart"), image("file_2"), text(", as asked.")] }
        ])
      }))
      expect(yield* getRunText()).toBe("unused\n\nHere is the chart, as asked.")
    }).pipe(seeded((emulator) => seedReplies(emulator, ["unused"]))))

  it.effect("messages of another run are dropped, should a server ignore the run_id filter", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.Emulator
      // The thread's whole list, as a server that ignores run_id answers.
      const all = emulator.getMessages("thread_abc123")
      expect(all.map((message) => message.run_id)).toEqual(["run_earlier", "run_abc123"])
      emulator.enqueueFault(Fault.status(200, { body: page(all) }))
      expect(yield* getRunText()).toBe("This answer.")
      expect((yield* requests)[0]?.query.run_id).toBe("run_abc123")
    }).pipe(seeded((emulator) => {
      seedReplies(emulator, ["An earlier answer."], { runId: "run_earlier" })
      seedReplies(emulator, ["This answer."])
    })))

  it.effect("a run that wrote nothing gives an empty text", () =>
    Effect.gen(function*() {
      expect(yield* getRunText()).toBe("")
      expect(yield* requests).toHaveLength(1)
    }).pipe(seeded((emulator) => {
      seedReplies(emulator, ["An earlier answer."], { runId: "run_earlier" })
      seedReplies(emulator, [])
    })))

  it.effect("is traced with the thread and run ids, one listMessages span per page", () =>
    Effect.gen(function*() {
      const tracer = makeRecordingTracer()
      yield* getRunText().pipe(Effect.provide(tracer.layer))
      const span = tracer.spans.find((span) => span.name === "MessagesService.getRunText")
      expect(span?.attributes.get("openai.thread_id")).toBe("thread_abc123")
      expect(span?.attributes.get("openai.run_id")).toBe("run_abc123")
      expect(tracer.spans.filter((span) => span.name === "MessagesService.listMessages")).toHaveLength(2)
      expect(yield* requests).toHaveLength(2)
    }).pipe(seeded(longRun)))
})

describe("MessagesService input validation: nothing is sent for bad input", () => {
  const cases: ReadonlyArray<
    readonly [string, (messages: MessagesService.Service) => Effect.Effect<unknown, RunsError.RunsError>, string]
  > = [
    ["a thread id with a slash", (messages) => messages.getMessage("../x", "msg_1"), "threadId"],
    ["a message id with a query", (messages) => messages.getMessage("thread_1", "msg_1?x=1"), "messageId"],
    ["a message id with whitespace", (messages) => messages.deleteMessage("thread_1", "msg 1"), "messageId"],
    ["a run id with a fragment", (messages) => messages.getRunText("thread_1", "run_1#x"), "runId"],
    ["a bad run_id filter", (messages) => messages.listMessages("thread_1", { run_id: "" }), "params.run_id"],
    ["a limit of 101", (messages) => messages.listMessages("thread_1", { limit: 101 }), "params.limit"],
    ["an unknown order", (messages) => messages.listMessages("thread_1", { order: "up" } as never), "params.order"],
    [
      "a bad role",
      (messages) => messages.createMessage("thread_1", { role: "system", content: "x" } as never),
      "params.role"
    ],
    ["no content", (messages) => messages.createMessage("thread_1", { role: "user" } as never), "params.content"],
    [
      "an empty list of parts",
      (messages) => messages.createMessage("thread_1", { role: "user", content: [] }),
      "params.content"
    ],
    [
      "a part of an unknown type",
      (messages) => messages.createMessage("thread_1", { role: "user", content: [{ type: "audio" }] } as never),
      "params.content"
    ],
    ["17 metadata pairs", (messages) =>
      messages.createMessage("thread_1", {
        role: "user",
        content: "x",
        metadata: Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`k${i}`, "v"]))
      }), "params.metadata"],
    [
      "a 513-character metadata value",
      (messages) => messages.modifyMessage("thread_1", "msg_1", { metadata: { k: "v".repeat(513) } }),
      "params.metadata.k"
    ],
    [
      "a field modifyMessage does not take",
      (messages) => messages.modifyMessage("thread_1", "msg_1", { content: "x" } as never),
      "params.content"
    ],
    [
      "a field createMessage does not take",
      (messages) => messages.createMessage("thread_1", { role: "user", content: "x", run_id: "run_1" } as never),
      "params.run_id"
    ]
  ]
  for (const [name, operation, field] of cases) {
    it.effect(name, () =>
      Effect.gen(function*() {
        const error = yield* Effect.flip(Effect.flatMap(service, operation))
        expect(error).toBeInstanceOf(RunsError.InvalidRequestError)
        const reported = error._tag === "InvalidRequestError" ? error.field : ""
        expect(reported.startsWith(field), `${reported} is under ${field}`).toBe(true)
        expect(yield* requests).toHaveLength(0)
      }).pipe(withEmulator()))
  }
})

describe("MessagesService retries", () => {
  /** Runs `effect` on the TestClock (retry backoffs jumped to, the 60 s request timeout not): its exit. */
  const retried = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
    runOnTestClock(effect, { horizonMillis: 30_000, ready: requestsArrived })

  const create = Effect.flatMap(
    service,
    (messages) => messages.createMessage("thread_1", { role: "user", content: "x" })
  )

  /** thread_1, where run_1 wrote one reply, and `faults` queued. */
  const thread1 = (faults: ReadonlyArray<Fault.Fault>) =>
    withEmulator({ seed: (emulator) => seedReplies(emulator, ["x"], { runId: "run_1", threadId: "thread_1" }), faults })

  it.effect("createMessage is not sent again after a 5xx: it may have added the message", () =>
    Effect.gen(function*() {
      const exit = yield* retried(create)
      expect(Exit.isFailure(exit) && exit.cause._tag === "Fail" && exit.cause.error).toMatchObject({
        _tag: "InternalServerError",
        status: 502
      })
      expect(yield* requests).toHaveLength(1)
    }).pipe(thread1([Fault.status(502)])))

  it.effect("createMessage is sent again after a 429: the server did not act on it", () =>
    Effect.gen(function*() {
      const exit = yield* retried(create)
      expect(Exit.isSuccess(exit)).toBe(true)
      const sent = yield* requests
      expect(sent.map((request) => `${request.method} ${request.path}`)).toEqual([
        "POST /v1/threads/thread_1/messages",
        "POST /v1/threads/thread_1/messages"
      ])
      expect(sent[1]?.body).toBe(sent[0]?.body)
      // The message was added once: by the request the server acted on.
      const users = (yield* Emulator.Emulator).getMessages("thread_1").filter((message) => message.role === "user")
      expect(users.map((message) => message.id)).toEqual([Exit.isSuccess(exit) ? exit.value.id : ""])
    }).pipe(thread1([Fault.status(429, { headers: { "retry-after-ms": "10" } })])))

  const idempotent: ReadonlyArray<
    readonly [
      string,
      (messages: MessagesService.Service, messageId: string) => Effect.Effect<unknown, RunsError.RunsError>
    ]
  > = [
    ["getMessage", (messages, messageId) => messages.getMessage("thread_1", messageId)],
    ["listMessages", (messages) => messages.listMessages("thread_1")],
    ["modifyMessage", (messages, messageId) => messages.modifyMessage("thread_1", messageId, { metadata: {} })],
    ["deleteMessage", (messages, messageId) => messages.deleteMessage("thread_1", messageId)],
    ["getRunText", (messages) => messages.getRunText("thread_1", "run_1")]
  ]
  for (const [name, operation] of idempotent) {
    it.effect(`${name} is retried after a 5xx`, () =>
      Effect.gen(function*() {
        const [{ id }] = (yield* repliesOf("run_1", "thread_1")) as [Wire.Message]
        const exit = yield* retried(Effect.flatMap(service, (messages) => operation(messages, id)))
        expect(Exit.isSuccess(exit)).toBe(true)
        const [first, second, ...more] = (yield* requests).map(({ time: _, ...request }) => request)
        expect(more).toEqual([])
        expect(second).toEqual(first)
      }).pipe(thread1([Fault.status(500)])))
  }
})
