import { Emulator } from "@effect-openai/runs-emulator"
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { call, fixture } from "./support.js"

const errorOf = (answer: { readonly body: any }) => answer.body.error

describe("threads endpoints", () => {
  it.scoped("createThread with no body answers an empty thread with the fields of the spec's example", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      const answer = yield* call(emulator, "POST", "/threads")
      expect(answer.status).toBe(200)
      expect(answer.headers.get("x-request-id")).toMatch(/^req_/)
      expect(answer.body).toMatchObject({ object: "thread", metadata: {}, tool_resources: {} })
      expect(answer.body.id).toMatch(/^thread_[A-Za-z0-9]{24}$/)
      const example = fixture("spec-examples/createThread.empty.response.json") as object
      expect(Object.keys(answer.body).sort()).toEqual(Object.keys(example).sort())
      expect(emulator.getMessages(answer.body.id)).toEqual([])
    }))

  it.scoped("createThread stores its messages, oldest first, with its metadata and tool resources", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      const request = fixture("spec-examples/createThread.messages.request.json") as object
      const answer = yield* call(emulator, "POST", "/threads", {
        body: {
          ...request,
          metadata: { user: "u_1" },
          tool_resources: {
            code_interpreter: { file_ids: ["file_1"] },
            file_search: { vector_stores: [{ file_ids: ["file_2"] }] }
          }
        }
      })
      expect(answer.status).toBe(200)
      expect(answer.body.metadata).toEqual({ user: "u_1" })
      expect(answer.body.tool_resources.code_interpreter).toEqual({ file_ids: ["file_1"] })
      expect(answer.body.tool_resources.file_search.vector_store_ids).toEqual([
        expect.stringMatching(/^vs_[A-Za-z0-9]{24}$/)
      ])
      const messages = emulator.getMessages(answer.body.id)
      expect(messages.map((message) => message.content)).toEqual([
        [{ type: "text", text: { value: "Hello, what is AI?", annotations: [] } }],
        [{ type: "text", text: { value: "How does AI work? Explain it in simple terms.", annotations: [] } }]
      ])
      expect(messages[0]).toMatchObject({
        object: "thread.message",
        thread_id: answer.body.id,
        role: "user",
        run_id: null,
        assistant_id: null,
        status: "completed",
        attachments: [],
        metadata: {}
      })
    }))

  it.scoped("getThread answers the thread; an unknown one is the real API's 404", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      const thread = emulator.seedThread({ metadata: { a: "1" } })
      const got = yield* call(emulator, "GET", `/threads/${thread.id}`)
      expect(got.body).toEqual(thread)
      const missing = yield* call(emulator, "GET", "/threads/thread_x")
      expect(missing.status).toBe(404)
      expect(missing.body).toEqual({
        error: {
          message: "No thread found with id 'thread_x'.",
          type: "invalid_request_error",
          param: null,
          code: null
        }
      })
    }))

  it.scoped("modifyThread replaces the metadata and sets tool resources; later reads see it", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      const thread = emulator.seedThread({ metadata: { old: "1" } })
      const path = `/threads/${thread.id}`
      const request = fixture("spec-examples/modifyThread.request.json")
      const modified = yield* call(emulator, "POST", path, { body: request })
      expect(modified.status).toBe(200)
      expect(modified.body.metadata).toEqual({ modified: "true", user: "abc123" })
      const resources = yield* call(emulator, "POST", path, {
        body: { tool_resources: { file_search: { vector_store_ids: ["vs_1"] } } }
      })
      expect(resources.body).toMatchObject({
        metadata: { modified: "true", user: "abc123" },
        tool_resources: { file_search: { vector_store_ids: ["vs_1"] } }
      })
      expect((yield* call(emulator, "GET", path)).body).toEqual(resources.body)
    }))

  it.scoped("modifyThread validates like the real API", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      const path = `/threads/${emulator.seedThread().id}`
      const error = (body: unknown) => Effect.map(call(emulator, "POST", path, { body }), errorOf)
      expect(yield* error({ messages: [] })).toMatchObject({
        message: "Unrecognized request argument supplied: messages"
      })
      expect(yield* error({ metadata: { modified: 1 } })).toMatchObject({
        param: "metadata.modified",
        code: "invalid_type"
      })
      expect(yield* error({ metadata: Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`k${i}`, "v"])) }))
        .toMatchObject({ param: "metadata", code: "object_above_max_properties" })
      expect(yield* error({ metadata: { ["k".repeat(65)]: "v" } })).toMatchObject({ param: "metadata" })
      expect(yield* error({ metadata: { k: "v".repeat(513) } })).toMatchObject({
        param: "metadata.k",
        code: "string_above_max_length"
      })
      expect(yield* error({ tool_resources: { file_search: { vector_store_ids: ["vs_1", "vs_2"] } } })).toMatchObject({
        param: "tool_resources.file_search.vector_store_ids",
        code: "array_above_max_length"
      })
      expect(yield* error({ tool_resources: { file_search: { vector_stores: [{}] } } })).toMatchObject({
        message: "Unrecognized request argument supplied: tool_resources.file_search.vector_stores"
      })
      const files = Array.from({ length: 21 }, (_, i) => `file_${i}`)
      expect(yield* error({ tool_resources: { code_interpreter: { file_ids: files } } })).toMatchObject({
        param: "tool_resources.code_interpreter.file_ids",
        code: "array_above_max_length"
      })
      const missing = yield* call(emulator, "POST", "/threads/thread_x", { body: { metadata: {} } })
      expect(missing.status).toBe(404)
    }))

  it.scoped("deleteThread answers thread.deleted, and the thread, its messages and runs are gone", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      const run = emulator.seedRun({ status: "completed" })
      const path = `/threads/${run.thread_id}`
      const deleted = yield* call(emulator, "DELETE", path)
      expect(deleted.status).toBe(200)
      expect(deleted.body).toEqual({ id: run.thread_id, object: "thread.deleted", deleted: true })
      expect(Object.keys(deleted.body).sort()).toEqual(
        Object.keys(fixture("spec-examples/deleteThread.response.json") as object).sort()
      )
      expect((yield* call(emulator, "GET", path)).status).toBe(404)
      expect((yield* call(emulator, "GET", `${path}/runs/${run.id}`)).status).toBe(404)
      expect((yield* call(emulator, "GET", `${path}/messages`)).status).toBe(404)
      expect(emulator.getRun(run.thread_id, run.id)).toBeUndefined()
      expect((yield* call(emulator, "DELETE", path)).status).toBe(404)
    }))

  it.scoped("createThread validates its messages like the real API", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      const error = (body: unknown) => Effect.map(call(emulator, "POST", "/threads", { body }), errorOf)
      expect(yield* error({ messages: [{ role: "system", content: "x" }] })).toEqual({
        message: "Invalid value: 'system'. Supported values are: 'user' and 'assistant'.",
        type: "invalid_request_error",
        param: "messages[0].role",
        code: "invalid_value"
      })
      expect(yield* error({ messages: [{ role: "user" }] })).toMatchObject({
        param: "messages[0].content",
        code: "missing_required_parameter"
      })
      expect(yield* error({ messages: [{ role: "user", content: "x", name: "n" }] })).toMatchObject({
        message: "Unrecognized request argument supplied: messages[0].name"
      })
      expect(yield* error({ messages: [{ role: "user", content: "x".repeat(256_001) }] })).toMatchObject({
        param: "messages[0].content",
        code: "string_above_max_length"
      })
      expect(yield* error({ name: "x" })).toMatchObject({ message: "Unrecognized request argument supplied: name" })
      expect(yield* error({ metadata: { k: 1 } })).toMatchObject({ param: "metadata.k", code: "invalid_type" })
      expect(emulator.requests()).toHaveLength(6)
    }))

  it.scoped("createThreadAndRun keeps the thread's tool resources, and its messages are the thread's", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      const assistant = emulator.seedAssistant()
      const run = yield* call(emulator, "POST", "/threads/runs", {
        body: {
          assistant_id: assistant.id,
          thread: {
            messages: [{ role: "user", content: "Hi" }],
            tool_resources: { code_interpreter: { file_ids: ["file_1"] } }
          }
        }
      })
      const thread = yield* call(emulator, "GET", `/threads/${run.body.thread_id}`)
      expect(thread.body.tool_resources).toEqual({ code_interpreter: { file_ids: ["file_1"] } })
      const listed = yield* call(emulator, "GET", `/threads/${run.body.thread_id}/messages`)
      expect(listed.body.data.map((message: any) => message.content[0].text.value)).toEqual(["Hi"])
    }))
})
