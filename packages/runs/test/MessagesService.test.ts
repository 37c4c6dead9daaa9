import { describe, expect, it } from "@effect/vitest"
import { Chunk, Effect, Exit, Layer, Stream } from "effect"
import { Message, MessagesService, RunsError } from "../src/index.js"
import { fakeClientLayer, type FakeReply } from "./support/fakeHttp.js"
import { runOnTestClock } from "./support/testClock.js"
import { messageJson, pageJson, replyJson } from "./support/threadJson.js"
import { makeRecordingTracer } from "./support/tracer.js"

const service = MessagesService.MessagesService

const withFake = (replies: ReadonlyArray<FakeReply>) => {
  const fake = fakeClientLayer(replies)
  return { sent: fake.sent, provide: Effect.provide(MessagesService.layer.pipe(Layer.provide(fake.layer))) }
}

const ok = (body: unknown): FakeReply => ({ status: 200, body })

describe("MessagesService requests", () => {
  it.effect("createMessage posts to /threads/{id}/messages and decodes a Message", () =>
    Effect.gen(function*() {
      const fake = withFake([ok(messageJson("What is AI?"))])
      const message = yield* Effect.flatMap(service, (messages) =>
        messages.createMessage("thread_abc123", {
          role: "user",
          content: [{ type: "text", text: "What is AI?" }, {
            type: "image_url",
            image_url: { url: "https://example.com/a.png" }
          }],
          attachments: [{ file_id: "file_1", tools: [{ type: "file_search" }] }],
          metadata: { source: "test" }
        })).pipe(fake.provide)
      expect(message).toBeInstanceOf(Message.Message)
      expect(Message.text(message)).toBe("What is AI?")
      const [request] = fake.sent
      expect(`${request?.method} ${request?.url}`).toBe("POST http://api.test/v1/threads/thread_abc123/messages")
      expect(JSON.parse(request!.body!)).toEqual({
        role: "user",
        content: [{ type: "text", text: "What is AI?" }, {
          type: "image_url",
          image_url: { url: "https://example.com/a.png" }
        }],
        attachments: [{ file_id: "file_1", tools: [{ type: "file_search" }] }],
        metadata: { source: "test" }
      })
    }))

  it.effect("listMessages sends paging and run_id in the query", () =>
    Effect.gen(function*() {
      const fake = withFake([ok(pageJson([messageJson("hi")]))])
      const page = yield* Effect.flatMap(service, (messages) =>
        messages.listMessages("thread_abc123", {
          limit: 5,
          order: "asc",
          after: "msg_a",
          before: "msg_b",
          run_id: "run_abc123"
        })).pipe(fake.provide)
      expect(page.data.map(Message.text)).toEqual(["hi"])
      expect(fake.sent[0]?.url).toBe(
        "http://api.test/v1/threads/thread_abc123/messages?limit=5&order=asc&after=msg_a&before=msg_b&run_id=run_abc123"
      )
    }))

  it.effect("listMessagesStream follows the after-cursors until has_more is false", () =>
    Effect.gen(function*() {
      const fake = withFake([
        ok(pageJson([messageJson("a", { id: "msg_1" }), messageJson("b", { id: "msg_2" })], true)),
        ok(pageJson([messageJson("c", { id: "msg_3" })]))
      ])
      const all = yield* Effect.flatMap(service, (messages) =>
        Stream.runCollect(messages.listMessagesStream("thread_abc123", { limit: 2, run_id: "run_1" }))).pipe(
          fake.provide
        )
      expect(Chunk.toReadonlyArray(all).map(Message.text)).toEqual(["a", "b", "c"])
      expect(fake.sent.map((request) =>
        new URL(request.url).search
      )).toEqual([
        "?limit=2&run_id=run_1",
        "?limit=2&after=msg_2&run_id=run_1"
      ])
    }))

  it.effect("getMessage, modifyMessage and deleteMessage address /threads/{id}/messages/{id}", () =>
    Effect.gen(function*() {
      const fake = withFake([
        ok(messageJson("hi")),
        ok(messageJson("hi", { metadata: { flagged: "true" } })),
        ok({ id: "msg_abc123", object: "thread.message.deleted", deleted: true })
      ])
      const [got, modified, deleted] = yield* Effect.flatMap(service, (messages) =>
        Effect.all([
          messages.getMessage("thread_abc123", "msg_abc123"),
          messages.modifyMessage("thread_abc123", "msg_abc123", { metadata: { flagged: "true" } }),
          messages.deleteMessage("thread_abc123", "msg_abc123")
        ])).pipe(fake.provide)
      expect(got.id).toBe("msg_abc123")
      expect(modified.metadata).toEqual({ flagged: "true" })
      expect(deleted).toBeInstanceOf(Message.MessageDeleted)
      expect(deleted.deleted).toBe(true)
      expect(fake.sent.map((request) => `${request.method} ${request.url}`)).toEqual([
        "GET http://api.test/v1/threads/thread_abc123/messages/msg_abc123",
        "POST http://api.test/v1/threads/thread_abc123/messages/msg_abc123",
        "DELETE http://api.test/v1/threads/thread_abc123/messages/msg_abc123"
      ])
      expect(JSON.parse(fake.sent[1]!.body!)).toEqual({ metadata: { flagged: "true" } })
    }))

  it.effect("a server's refusal to add a message during a run is a BadRequestError with its words", () =>
    Effect.gen(function*() {
      const message = "Can't add messages to thread_abc123 while a run run_abc123 is active."
      const fake = withFake([{
        status: 400,
        body: { error: { message, type: "invalid_request_error", param: null, code: null } }
      }])
      const error = yield* Effect.flip(
        Effect.flatMap(service, (messages) => messages.createMessage("thread_abc123", { role: "user", content: "x" }))
      ).pipe(fake.provide)
      expect(error).toMatchObject({ _tag: "BadRequestError", status: 400, message })
      expect(fake.sent).toHaveLength(1)
    }))
})

describe("MessagesService.getRunText", () => {
  it.effect("joins the run's assistant messages, oldest first, a blank line apart; asks for them by run, ascending", () =>
    Effect.gen(function*() {
      const fake = withFake([ok(pageJson([
        replyJson("msg_1", "Let me check the weather."),
        replyJson("msg_2", "It is sunny in Paris.")
      ]))])
      const text = yield* Effect.flatMap(service, (messages) => messages.getRunText("thread_abc123", "run_abc123"))
        .pipe(fake.provide)
      expect(text).toBe("Let me check the weather.\n\nIt is sunny in Paris.")
      expect(text.split(MessagesService.runTextSeparator)).toHaveLength(2)
      expect(fake.sent[0]?.url).toBe(
        "http://api.test/v1/threads/thread_abc123/messages?limit=100&order=asc&run_id=run_abc123"
      )
    }))

  it.effect("reads every page", () =>
    Effect.gen(function*() {
      const first = Array.from({ length: 100 }, (_, i) => replyJson(`msg_${i}`, `part ${i}`))
      const fake = withFake([ok(pageJson(first, true)), ok(pageJson([replyJson("msg_100", "the end")]))])
      const text = yield* Effect.flatMap(service, (messages) => messages.getRunText("thread_abc123", "run_abc123"))
        .pipe(fake.provide)
      const paragraphs = text.split("\n\n")
      expect(paragraphs).toHaveLength(101)
      expect([paragraphs[0], paragraphs[100]]).toEqual(["part 0", "the end"])
      expect(new URL(fake.sent[1]!.url).searchParams.get("after")).toBe("msg_99")
    }))

  it.effect("within a message, text parts join with nothing between; images, refusals and user messages add nothing", () =>
    Effect.gen(function*() {
      const fake = withFake([ok(pageJson([
        messageJson("a question the server should not have listed", { id: "msg_0", run_id: "run_abc123" }),
        replyJson("msg_1", "unused"),
        { ...replyJson("msg_2", "unused"), content: [{ type: "image_file", image_file: { file_id: "file_1" } }] },
        {
          ...replyJson("msg_3", "unused"),
          content: [
            { type: "text", text: { value: "Here is the chart", annotations: [] } },
            { type: "image_file", image_file: { file_id: "file_2" } },
            { type: "text", text: { value: ", as asked.", annotations: [] } }
          ]
        }
      ]))])
      const text = yield* Effect.flatMap(service, (messages) => messages.getRunText("thread_abc123", "run_abc123"))
        .pipe(fake.provide)
      expect(text).toBe("unused\n\nHere is the chart, as asked.")
    }))

  it.effect("messages of another run are dropped, should a server ignore the run_id filter", () =>
    Effect.gen(function*() {
      const fake = withFake([ok(pageJson([
        replyJson("msg_1", "An earlier answer.", "run_earlier"),
        replyJson("msg_2", "This answer.")
      ]))])
      const text = yield* Effect.flatMap(service, (messages) => messages.getRunText("thread_abc123", "run_abc123"))
        .pipe(fake.provide)
      expect(text).toBe("This answer.")
    }))

  it.effect("a run that wrote nothing gives an empty text", () =>
    Effect.gen(function*() {
      const fake = withFake([ok(pageJson([]))])
      const text = yield* Effect.flatMap(service, (messages) => messages.getRunText("thread_abc123", "run_abc123"))
        .pipe(fake.provide)
      expect(text).toBe("")
    }))

  it.effect("is traced with the thread and run ids, one listMessages span per page", () =>
    Effect.gen(function*() {
      const tracer = makeRecordingTracer()
      const fake = withFake([ok(pageJson([replyJson("msg_1", "a")], true)), ok(pageJson([replyJson("msg_2", "b")]))])
      yield* Effect.flatMap(service, (messages) => messages.getRunText("thread_abc123", "run_abc123")).pipe(
        fake.provide,
        Effect.provide(tracer.layer)
      )
      const span = tracer.spans.find((span) => span.name === "MessagesService.getRunText")
      expect(span?.attributes.get("openai.thread_id")).toBe("thread_abc123")
      expect(span?.attributes.get("openai.run_id")).toBe("run_abc123")
      expect(tracer.spans.filter((span) => span.name === "MessagesService.listMessages")).toHaveLength(2)
    }))
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
        const fake = withFake([ok(messageJson("x"))])
        const error = yield* Effect.flip(Effect.flatMap(service, operation)).pipe(fake.provide)
        expect(error).toBeInstanceOf(RunsError.InvalidRequestError)
        const reported = error._tag === "InvalidRequestError" ? error.field : ""
        expect(reported.startsWith(field), `${reported} is under ${field}`).toBe(true)
        expect(fake.sent).toHaveLength(0)
      }))
  }
})

describe("MessagesService retries", () => {
  it.effect("createMessage is not sent again after a 5xx: it may have added the message", () =>
    Effect.gen(function*() {
      const fake = withFake([{ status: 502, body: "" }, ok(messageJson("x"))])
      const exit = yield* runOnTestClock(
        Effect.flatMap(service, (messages) => messages.createMessage("thread_1", { role: "user", content: "x" })).pipe(
          fake.provide
        )
      )
      expect(Exit.isFailure(exit)).toBe(true)
      expect(fake.sent).toHaveLength(1)
    }))

  it.effect("createMessage is sent again after a 429: the server did not act on it", () =>
    Effect.gen(function*() {
      const fake = withFake([{ status: 429, body: "", headers: { "retry-after-ms": "10" } }, ok(messageJson("x"))])
      const exit = yield* runOnTestClock(
        Effect.flatMap(service, (messages) => messages.createMessage("thread_1", { role: "user", content: "x" })).pipe(
          fake.provide
        )
      )
      expect(Exit.isSuccess(exit)).toBe(true)
      expect(fake.sent).toHaveLength(2)
    }))

  const idempotent: ReadonlyArray<
    readonly [string, (messages: MessagesService.Service) => Effect.Effect<unknown, RunsError.RunsError>, unknown]
  > = [
    ["getMessage", (messages) => messages.getMessage("thread_1", "msg_1"), messageJson("x")],
    ["listMessages", (messages) => messages.listMessages("thread_1"), pageJson([])],
    ["modifyMessage", (messages) => messages.modifyMessage("thread_1", "msg_1", { metadata: {} }), messageJson("x")],
    ["deleteMessage", (messages) => messages.deleteMessage("thread_1", "msg_1"), {
      id: "msg_1",
      object: "thread.message.deleted",
      deleted: true
    }],
    ["getRunText", (messages) => messages.getRunText("thread_1", "run_1"), pageJson([])]
  ]
  for (const [name, operation, answer] of idempotent) {
    it.effect(`${name} is retried after a 5xx`, () =>
      Effect.gen(function*() {
        const fake = withFake([{ status: 500, body: "" }, ok(answer)])
        const exit = yield* runOnTestClock(Effect.flatMap(service, operation).pipe(fake.provide))
        expect(Exit.isSuccess(exit)).toBe(true)
        expect(fake.sent).toHaveLength(2)
      }))
  }
})
