import { Emulator, Fault } from "@effect-openai/runs-emulator"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Exit } from "effect"
import { RunsError, Thread, ThreadsService } from "../src/index.js"
import { type EmulatorLayerOptions, requestsArrived, withEmulator } from "./support/emulator.js"
import { runOnTestClock } from "./support/testClock.js"
import { makeRecordingTracer } from "./support/tracer.js"

const service = ThreadsService.ThreadsService

/** What the emulator received. */
const requests = Effect.map(Emulator.Emulator, (emulator) => emulator.requests())

/** An emulator holding thread_abc123 and thread_1 (no messages), and the client for it. */
const seeded = (options: EmulatorLayerOptions = {}) =>
  withEmulator({
    seed: (emulator) => {
      emulator.seedThread({ id: "thread_abc123" })
      emulator.seedThread({ id: "thread_1" })
    },
    ...options
  })

const bodyOf = (request: { readonly body: string } | undefined) =>
  request === undefined || request.body === "" ? undefined : JSON.parse(request.body)

describe("ThreadsService requests", () => {
  it.effect("createThread posts the thread to /threads and decodes a Thread; no params sends {}", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.Emulator
      const thread = yield* Effect.flatMap(service, (threads) =>
        threads.createThread({
          messages: [{ role: "user", content: "Hello" }],
          metadata: { user: "u_1" },
          tool_resources: { code_interpreter: { file_ids: ["file_1"] } }
        }))
      expect(thread).toBeInstanceOf(Thread.Thread)
      expect(thread.id).toMatch(/^thread_/)
      expect(thread.metadata).toEqual({ user: "u_1" })
      expect(thread.tool_resources?.code_interpreter?.file_ids).toEqual(["file_1"])
      // The server took the message with the thread.
      expect(emulator.getMessages(thread.id).map((message) => message.content)).toEqual([
        [{ type: "text", text: { value: "Hello", annotations: [] } }]
      ])
      const [request] = yield* requests
      expect([request?.method, request?.path]).toEqual(["POST", "/v1/threads"])
      expect(request?.headers["content-type"]).toBe("application/json")
      expect(bodyOf(request)).toEqual({
        messages: [{ role: "user", content: "Hello" }],
        metadata: { user: "u_1" },
        tool_resources: { code_interpreter: { file_ids: ["file_1"] } }
      })
      const empty = yield* Effect.flatMap(service, (threads) => threads.createThread())
      expect(empty.id).not.toBe(thread.id)
      const sent = yield* requests
      expect(sent).toHaveLength(2)
      expect(bodyOf(sent[1])).toEqual({})
    }).pipe(withEmulator()))

  it.effect("getThread, modifyThread and deleteThread address /threads/{id}", () =>
    Effect.gen(function*() {
      const [got, modified, deleted] = yield* Effect.flatMap(service, (threads) =>
        Effect.all([
          threads.getThread("thread_abc123"),
          threads.modifyThread("thread_abc123", { metadata: { topic: "billing" } }),
          threads.deleteThread("thread_abc123")
        ]))
      expect(got.id).toBe("thread_abc123")
      expect(got.metadata).toEqual({})
      expect(modified.metadata).toEqual({ topic: "billing" })
      expect(deleted).toEqual(
        new Thread.ThreadDeleted({ id: "thread_abc123", object: "thread.deleted", deleted: true })
      )
      const sent = yield* requests
      expect(sent.map((request) => `${request.method} ${request.path}`)).toEqual([
        "GET /v1/threads/thread_abc123",
        "POST /v1/threads/thread_abc123",
        "DELETE /v1/threads/thread_abc123"
      ])
      expect(bodyOf(sent[1])).toEqual({ metadata: { topic: "billing" } })
      for (const request of sent) expect(request.headers["openai-beta"]).toBe("assistants=v2")
      // The server deleted it: it is gone, and the other thread is not.
      const gone = yield* Effect.flip(Effect.flatMap(service, (threads) => threads.getThread("thread_abc123")))
      expect(gone._tag).toBe("NotFoundError")
      expect((yield* Effect.flatMap(service, (threads) => threads.getThread("thread_1"))).id).toBe("thread_1")
    }).pipe(seeded()))

  it.effect("a 404 is a NotFoundError", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(Effect.flatMap(service, (threads) => threads.getThread("thread_x")))
      expect(error).toMatchObject({
        _tag: "NotFoundError",
        status: 404,
        message: "No thread found with id 'thread_x'."
      })
      expect(yield* requests).toHaveLength(1)
    }).pipe(seeded()))
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
        const error = yield* Effect.flip(Effect.flatMap(service, operation))
        expect(error).toBeInstanceOf(RunsError.InvalidRequestError)
        const reported = error._tag === "InvalidRequestError" ? error.field : ""
        expect(reported.startsWith(field), `${reported} is under ${field}`).toBe(true)
        expect(error.message.startsWith(reported)).toBe(true)
        expect(yield* requests).toHaveLength(0)
      }).pipe(seeded()))
  }
})

describe("ThreadsService retries", () => {
  /** Runs `effect` on the TestClock (retry backoffs jumped to, the 60 s request timeout not): its exit. */
  const retried = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
    runOnTestClock(effect, { horizonMillis: 30_000, ready: requestsArrived })

  it.effect("createThread is not sent again after a 5xx: it may have created the thread", () =>
    Effect.gen(function*() {
      const exit = yield* retried(Effect.flatMap(service, (threads) => threads.createThread()))
      expect(Exit.isFailure(exit) && exit.cause._tag === "Fail" && exit.cause.error).toMatchObject({
        _tag: "InternalServerError",
        status: 500
      })
      expect((yield* requests).map((request) => `${request.method} ${request.path}`)).toEqual(["POST /v1/threads"])
    }).pipe(seeded({ faults: [Fault.status(500)] })))

  const idempotent: ReadonlyArray<
    readonly [string, (threads: ThreadsService.Service) => Effect.Effect<unknown, RunsError.RunsError>, string]
  > = [
    ["getThread", (threads) => threads.getThread("thread_1"), "GET"],
    ["modifyThread", (threads) => threads.modifyThread("thread_1", { metadata: {} }), "POST"],
    ["deleteThread", (threads) => threads.deleteThread("thread_1"), "DELETE"]
  ]
  for (const [name, operation, method] of idempotent) {
    it.effect(`${name} is retried after a 5xx`, () =>
      Effect.gen(function*() {
        const exit = yield* retried(Effect.flatMap(service, operation))
        expect(Exit.isSuccess(exit)).toBe(true)
        const sent = yield* requests
        expect(sent.map((request) => `${request.method} ${request.path}`)).toEqual([
          `${method} /v1/threads/thread_1`,
          `${method} /v1/threads/thread_1`
        ])
        expect(sent[1]?.body).toBe(sent[0]?.body)
      }).pipe(seeded({ faults: [Fault.status(500)] })))
  }
})

describe("ThreadsService tracing", () => {
  it.effect("each operation has its span with the thread id; createThread's carries the id it got", () =>
    Effect.gen(function*() {
      const tracer = makeRecordingTracer()
      const created = yield* Effect.flatMap(
        service,
        (threads) => Effect.zipLeft(threads.createThread(), threads.getThread("thread_abc123"))
      ).pipe(Effect.provide(tracer.layer))
      const span = (name: string) => tracer.spans.find((span) => span.name === name)
      expect(created.id).toMatch(/^thread_/)
      expect(span("ThreadsService.createThread")?.attributes.get("openai.thread_id")).toBe(created.id)
      expect(span("ThreadsService.getThread")?.attributes.get("openai.thread_id")).toBe("thread_abc123")
      expect(span("ThreadsService.getThread")?.attributes.get("openai.attempts")).toBe(1)
    }).pipe(seeded()))
})
