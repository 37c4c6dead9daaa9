import { describe, expect, it } from "@effect/vitest"
import { Effect, Exit, Layer } from "effect"
import { RunsError, Thread, ThreadsService } from "../src/index.js"
import { fakeClientLayer, type FakeReply } from "./support/fakeHttp.js"
import { runOnTestClock } from "./support/testClock.js"
import { threadJson } from "./support/threadJson.js"
import { makeRecordingTracer } from "./support/tracer.js"

const service = ThreadsService.ThreadsService

const withFake = (replies: ReadonlyArray<FakeReply>) => {
  const fake = fakeClientLayer(replies)
  return { sent: fake.sent, provide: Effect.provide(ThreadsService.layer.pipe(Layer.provide(fake.layer))) }
}

const bodyOf = (request: { readonly body: string | undefined } | undefined) =>
  request?.body === undefined ? undefined : JSON.parse(request.body)

describe("ThreadsService requests", () => {
  it.effect("createThread posts the thread to /threads and decodes a Thread; no params sends {}", () =>
    Effect.gen(function*() {
      const fake = withFake([{ status: 200, body: threadJson({ metadata: { user: "u_1" } }) }])
      const thread = yield* Effect.flatMap(service, (threads) =>
        threads.createThread({
          messages: [{ role: "user", content: "Hello" }],
          metadata: { user: "u_1" },
          tool_resources: { code_interpreter: { file_ids: ["file_1"] } }
        })).pipe(fake.provide)
      expect(thread).toBeInstanceOf(Thread.Thread)
      expect(thread.metadata).toEqual({ user: "u_1" })
      const [request] = fake.sent
      expect([request?.method, request?.url]).toEqual(["POST", "http://api.test/v1/threads"])
      expect(bodyOf(request)).toEqual({
        messages: [{ role: "user", content: "Hello" }],
        metadata: { user: "u_1" },
        tool_resources: { code_interpreter: { file_ids: ["file_1"] } }
      })
      const empty = withFake([{ status: 200, body: threadJson() }])
      yield* Effect.flatMap(service, (threads) => threads.createThread()).pipe(empty.provide)
      expect(bodyOf(empty.sent[0])).toEqual({})
    }))

  it.effect("getThread, modifyThread and deleteThread address /threads/{id}", () =>
    Effect.gen(function*() {
      const fake = withFake([
        { status: 200, body: threadJson() },
        { status: 200, body: threadJson({ metadata: { topic: "billing" } }) },
        { status: 200, body: { id: "thread_abc123", object: "thread.deleted", deleted: true } }
      ])
      const [got, modified, deleted] = yield* Effect.flatMap(service, (threads) =>
        Effect.all([
          threads.getThread("thread_abc123"),
          threads.modifyThread("thread_abc123", { metadata: { topic: "billing" } }),
          threads.deleteThread("thread_abc123")
        ])).pipe(fake.provide)
      expect(got.id).toBe("thread_abc123")
      expect(modified.metadata).toEqual({ topic: "billing" })
      expect(deleted).toEqual(
        new Thread.ThreadDeleted({ id: "thread_abc123", object: "thread.deleted", deleted: true })
      )
      expect(fake.sent.map((request) => `${request.method} ${request.url}`)).toEqual([
        "GET http://api.test/v1/threads/thread_abc123",
        "POST http://api.test/v1/threads/thread_abc123",
        "DELETE http://api.test/v1/threads/thread_abc123"
      ])
      expect(bodyOf(fake.sent[1])).toEqual({ metadata: { topic: "billing" } })
      expect(fake.sent[0]?.headers["openai-beta"]).toBe("assistants=v2")
    }))

  it.effect("a 404 is a NotFoundError", () =>
    Effect.gen(function*() {
      const fake = withFake([{
        status: 404,
        body: {
          error: {
            message: "No thread found with id 'thread_x'.",
            type: "invalid_request_error",
            param: null,
            code: null
          }
        }
      }])
      const error = yield* Effect.flip(Effect.flatMap(service, (threads) => threads.getThread("thread_x"))).pipe(
        fake.provide
      )
      expect(error).toMatchObject({
        _tag: "NotFoundError",
        status: 404,
        message: "No thread found with id 'thread_x'."
      })
    }))
})

describe("ThreadsService input validation: nothing is sent for bad input", () => {
  const cases: ReadonlyArray<
    readonly [string, (threads: ThreadsService.Service) => Effect.Effect<unknown, RunsError.RunsError>, string]
  > = [
    ["a thread id with a slash", (threads) => threads.getThread("../files"), "threadId"],
    ["an empty thread id", (threads) => threads.deleteThread(""), "threadId"],
    [
      "17 metadata pairs",
      (threads) =>
        threads.modifyThread("thread_1", {
          metadata: Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`k${i}`, "v"]))
        }),
      "params.metadata"
    ],
    [
      "a 65-character metadata key",
      (threads) => threads.createThread({ metadata: { ["k".repeat(65)]: "v" } }),
      "params.metadata"
    ],
    [
      "a 513-character metadata value",
      (threads) => threads.createThread({ metadata: { k: "v".repeat(513) } }),
      "params.metadata.k"
    ],
    [
      "a message with a bad role",
      (threads) => threads.createThread({ messages: [{ role: "system", content: "x" } as never] }),
      "params.messages.0.role"
    ],
    [
      "a message without parts",
      (threads) => threads.createThread({ messages: [{ role: "user", content: [] }] }),
      "params.messages.0.content"
    ],
    ["21 code interpreter files", (threads) =>
      threads.modifyThread("thread_1", {
        tool_resources: { code_interpreter: { file_ids: Array.from({ length: 21 }, (_, i) => `file_${i}`) } }
      }), "params.tool_resources.code_interpreter.file_ids"],
    ["vector_stores on modify (only creating a thread may make one)", (threads) =>
      threads.modifyThread("thread_1", {
        tool_resources: { file_search: { vector_stores: [{}] } }
      } as never), "params.tool_resources.file_search.vector_stores"],
    ["a field the API does not know", (threads) => threads.createThread({ name: "x" } as never), "params.name"]
  ]
  for (const [name, operation, field] of cases) {
    it.effect(name, () =>
      Effect.gen(function*() {
        const fake = withFake([{ status: 200, body: threadJson() }])
        const error = yield* Effect.flip(Effect.flatMap(service, operation)).pipe(fake.provide)
        expect(error).toBeInstanceOf(RunsError.InvalidRequestError)
        const reported = error._tag === "InvalidRequestError" ? error.field : ""
        expect(reported.startsWith(field), `${reported} is under ${field}`).toBe(true)
        expect(error.message.startsWith(reported)).toBe(true)
        expect(fake.sent).toHaveLength(0)
      }))
  }
})

describe("ThreadsService retries", () => {
  const failing: ReadonlyArray<FakeReply> = [{ status: 500, body: "" }, { status: 200, body: threadJson() }]

  it.effect("createThread is not sent again after a 5xx: it may have created the thread", () =>
    Effect.gen(function*() {
      const fake = withFake(failing)
      const exit = yield* runOnTestClock(
        Effect.flatMap(service, (threads) => threads.createThread()).pipe(fake.provide)
      )
      expect(Exit.isFailure(exit)).toBe(true)
      expect(fake.sent).toHaveLength(1)
    }))

  const idempotent: ReadonlyArray<
    readonly [string, (threads: ThreadsService.Service) => Effect.Effect<unknown, RunsError.RunsError>, unknown]
  > = [
    ["getThread", (threads) => threads.getThread("thread_1"), threadJson()],
    ["modifyThread", (threads) => threads.modifyThread("thread_1", { metadata: {} }), threadJson()],
    ["deleteThread", (threads) => threads.deleteThread("thread_1"), {
      id: "thread_1",
      object: "thread.deleted",
      deleted: true
    }]
  ]
  for (const [name, operation, answer] of idempotent) {
    it.effect(`${name} is retried after a 5xx`, () =>
      Effect.gen(function*() {
        const fake = withFake([failing[0]!, { status: 200, body: answer }])
        const exit = yield* runOnTestClock(Effect.flatMap(service, operation).pipe(fake.provide))
        expect(Exit.isSuccess(exit)).toBe(true)
        expect(fake.sent).toHaveLength(2)
      }))
  }
})

describe("ThreadsService tracing", () => {
  it.effect("each operation has its span with the thread id; createThread's carries the id it got", () =>
    Effect.gen(function*() {
      const tracer = makeRecordingTracer()
      const fake = withFake([{ status: 200, body: threadJson({ id: "thread_new" }) }, {
        status: 200,
        body: threadJson()
      }])
      yield* Effect.flatMap(
        service,
        (threads) => Effect.zipRight(threads.createThread(), threads.getThread("thread_abc123"))
      ).pipe(
        fake.provide,
        Effect.provide(tracer.layer)
      )
      const span = (name: string) => tracer.spans.find((span) => span.name === name)
      expect(span("ThreadsService.createThread")?.attributes.get("openai.thread_id")).toBe("thread_new")
      expect(span("ThreadsService.getThread")?.attributes.get("openai.thread_id")).toBe("thread_abc123")
      expect(span("ThreadsService.getThread")?.attributes.get("openai.attempts")).toBe(1)
    }))
})
