import { Emulator } from "@effect-openai/runs-emulator"
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { call, fixture, fixtureText, parseEvents, runPath } from "./support.js"

const errorOf = (answer: { readonly body: any }) => answer.body.error

const texts = (answer: { readonly body: any }): Array<string> =>
  answer.body.data.map((message: any) => message.content[0].text.value)

/** The keys of a complete message, as a real server streams it. */
const messageKeys = () => {
  const recorded = fixtureText("recorded-openai-dotnet/submitToolOutputs.stream.2025-10-30.completed.response.sse.txt")
  const completed = parseEvents(recorded).find((event) => event.event === "thread.message.completed")
  return Object.keys(completed!.data).sort()
}

describe("messages endpoints", () => {
  it.scoped("createMessage answers a complete message, as the spec's example and real servers have it", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      const thread = emulator.seedThread()
      const request = fixture("spec-examples/createMessage.request.json")
      const answer = yield* call(emulator, "POST", `/threads/${thread.id}/messages`, { body: request })
      expect(answer.status).toBe(200)
      expect(answer.body).toMatchObject({
        object: "thread.message",
        thread_id: thread.id,
        role: "user",
        assistant_id: null,
        run_id: null,
        status: "completed",
        incomplete_details: null,
        incomplete_at: null,
        content: [{ type: "text", text: { value: "How does AI work? Explain it in simple terms.", annotations: [] } }],
        attachments: [],
        metadata: {}
      })
      expect(answer.body.id).toMatch(/^msg_[A-Za-z0-9]{24}$/)
      expect(Object.keys(answer.body).sort()).toEqual(messageKeys())
      const example = fixture("spec-examples/createMessage.response.json") as object
      expect(Object.keys(example).every((key) => key in answer.body)).toBe(true)
      expect(emulator.getMessages(thread.id)).toEqual([answer.body])
    }))

  it.scoped("createMessage keeps content parts, attachments and metadata as given", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      const thread = emulator.seedThread()
      const body = {
        role: "assistant",
        content: [
          { type: "text", text: "Look:" },
          { type: "image_file", image_file: { file_id: "file_1", detail: "low" } },
          { type: "image_url", image_url: { url: "https://example.com/a.png" } }
        ],
        attachments: [{ file_id: "file_2", tools: [{ type: "file_search" }, { type: "code_interpreter" }] }],
        metadata: { source: "import" }
      }
      const answer = yield* call(emulator, "POST", `/threads/${thread.id}/messages`, { body })
      expect(answer.body).toMatchObject({
        role: "assistant",
        assistant_id: null,
        content: [
          { type: "text", text: { value: "Look:", annotations: [] } },
          { type: "image_file", image_file: { file_id: "file_1", detail: "low" } },
          { type: "image_url", image_url: { url: "https://example.com/a.png" } }
        ],
        attachments: body.attachments,
        metadata: { source: "import" }
      })
    }))

  it.scoped("createMessage validates like the real API", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      const path = `/threads/${emulator.seedThread().id}/messages`
      const error = (body: unknown) => Effect.map(call(emulator, "POST", path, { body }), errorOf)
      expect(yield* error({ content: "x" })).toMatchObject({ param: "role", code: "missing_required_parameter" })
      expect(yield* error({ role: "user" })).toEqual({
        message: "Missing required parameter: 'content'.",
        type: "invalid_request_error",
        param: "content",
        code: "missing_required_parameter"
      })
      expect(yield* error({ role: "system", content: "x" })).toMatchObject({
        message: "Invalid value: 'system'. Supported values are: 'user' and 'assistant'.",
        param: "role",
        code: "invalid_value"
      })
      expect(yield* error({ role: "user", content: "x".repeat(256_001) })).toEqual({
        message: "Invalid 'content': string too long. Expected a string with maximum length 256000, but got a " +
          "string with length 256001 instead.",
        type: "invalid_request_error",
        param: "content",
        code: "string_above_max_length"
      })
      expect(yield* error({ role: "user", content: [] })).toMatchObject({ param: "content", code: "empty_array" })
      expect(yield* error({ role: "user", content: 42 })).toMatchObject({ param: "content", code: "invalid_type" })
      expect(yield* error({ role: "user", content: [{ type: "audio" }] })).toMatchObject({
        param: "content[0].type",
        code: "invalid_value"
      })
      expect(yield* error({ role: "user", content: [{ type: "image_file", image_file: {} }] })).toMatchObject({
        param: "content[0].image_file.file_id",
        code: "missing_required_parameter"
      })
      expect(yield* error({ role: "user", content: [{ type: "text", text: "x".repeat(256_001) }] })).toMatchObject({
        param: "content[0].text",
        code: "string_above_max_length"
      })
      expect(yield* error({ role: "user", content: "x", attachments: [{ tools: [] }] })).toMatchObject({
        param: "attachments[0].file_id",
        code: "missing_required_parameter"
      })
      expect(yield* error({ role: "user", content: "x", attachments: [{ file_id: "f", tools: [{ type: "web" }] }] }))
        .toMatchObject({ param: "attachments[0].tools[0].type", code: "invalid_value" })
      expect(yield* error({ role: "user", content: "x", run_id: "run_1" })).toMatchObject({
        message: "Unrecognized request argument supplied: run_id"
      })
      expect(yield* error({ role: "user", content: "x", metadata: { k: "v".repeat(513) } })).toMatchObject({
        param: "metadata.k",
        code: "string_above_max_length"
      })
      const accepted = yield* call(emulator, "POST", path, { body: { role: "user", content: "x".repeat(256_000) } })
      expect(accepted.status).toBe(200)
      const missing = yield* call(emulator, "POST", "/threads/thread_x/messages", {
        body: { role: "user", content: "x" }
      })
      expect(missing.status).toBe(404)
      expect(errorOf(missing).message).toBe("No thread found with id 'thread_x'.")
    }))

  it.scoped("a thread with an active run takes no message, in the real API's words, until the run ends", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make({ lifecycle: { mode: "manual" } })
      const run = emulator.seedRun({ status: "in_progress" })
      const path = `/threads/${run.thread_id}/messages`
      const refused = yield* call(emulator, "POST", path, { body: { role: "user", content: "Are you there?" } })
      expect(refused.status).toBe(400)
      expect(refused.body).toEqual({
        error: {
          message: `Can't add messages to ${run.thread_id} while a run ${run.id} is active.`,
          type: "invalid_request_error",
          param: null,
          code: null
        }
      })
      emulator.updateRun(run.thread_id, run.id, { status: "cancelled" })
      const accepted = yield* call(emulator, "POST", path, { body: { role: "user", content: "Are you there?" } })
      expect(accepted.status).toBe(200)
    }))

  it.scoped("a run's reply is listed with its run_id, assistant_id and status completed, and run_id filters", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      const assistant = emulator.seedAssistant({
        script: [{ type: "message", text: "Let me see." }, { type: "message", text: "It is sunny." }]
      })
      const thread = emulator.seedThread()
      const messagesPath = `/threads/${thread.id}/messages`
      yield* call(emulator, "POST", messagesPath, { body: { role: "user", content: "Weather?" } })
      const run = yield* call(emulator, "POST", `/threads/${thread.id}/runs`, { body: { assistant_id: assistant.id } })
      emulator.advance(thread.id, run.body.id, 10)
      expect(emulator.getRun(thread.id, run.body.id)?.status).toBe("completed")
      const all = yield* call(emulator, "GET", `${messagesPath}?order=asc`)
      expect(texts(all)).toEqual(["Weather?", "Let me see.", "It is sunny."])
      const replies = yield* call(emulator, "GET", `${messagesPath}?order=asc&run_id=${run.body.id}`)
      expect(texts(replies)).toEqual(["Let me see.", "It is sunny."])
      for (const reply of replies.body.data) {
        expect(reply).toMatchObject({
          role: "assistant",
          run_id: run.body.id,
          assistant_id: assistant.id,
          status: "completed"
        })
        expect(reply.completed_at).toEqual(expect.any(Number))
      }
      const steps = yield* call(emulator, "GET", `${runPath(run.body)}/steps?order=asc`)
      expect(steps.body.data.map((step: any) => step.step_details.message_creation.message_id)).toEqual(
        replies.body.data.map((reply: any) => reply.id)
      )
      const other = yield* call(emulator, "GET", `${messagesPath}?run_id=run_other`)
      expect(other.body).toEqual({ object: "list", data: [], first_id: null, last_id: null, has_more: false })
    }))

  it.scoped("a scripted reply may follow the conversation: its text is a function of the thread's messages", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make({ lifecycle: { mode: "manual" } })
      const assistant = emulator.seedAssistant({
        script: [{
          type: "message",
          text: ({ messages }) => {
            const asked = messages.filter((message) => message.role === "user")
            const last = asked[asked.length - 1]?.content[0]
            return `Answer ${asked.length}: ${last?.type === "text" ? last.text.value.toUpperCase() : ""}`
          }
        }]
      })
      const thread = emulator.seedThread()
      const path = `/threads/${thread.id}/messages`
      const turn = (question: string) =>
        Effect.gen(function*() {
          yield* call(emulator, "POST", path, { body: { role: "user", content: question } })
          const run = yield* call(emulator, "POST", `/threads/${thread.id}/runs`, {
            body: { assistant_id: assistant.id }
          })
          emulator.advance(thread.id, run.body.id, 5)
          return texts(yield* call(emulator, "GET", `${path}?run_id=${run.body.id}`))
        })
      expect(yield* turn("hello")).toEqual(["Answer 1: HELLO"])
      expect(yield* turn("again")).toEqual(["Answer 2: AGAIN"])
    }))

  it.scoped("reading messages does not move a run, in perRequest mode; reading the run does", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      const assistant = emulator.seedAssistant()
      const thread = emulator.seedThread()
      yield* call(emulator, "POST", `/threads/${thread.id}/messages`, { body: { role: "user", content: "Hi" } })
      const run = yield* call(emulator, "POST", `/threads/${thread.id}/runs`, { body: { assistant_id: assistant.id } })
      for (let i = 0; i < 3; i++) yield* call(emulator, "GET", `/threads/${thread.id}/messages`)
      expect(emulator.getRun(thread.id, run.body.id)?.status).toBe("queued")
      yield* call(emulator, "GET", runPath(run.body))
      yield* call(emulator, "GET", runPath(run.body))
      expect(emulator.getRun(thread.id, run.body.id)?.status).toBe("completed")
      const listed = yield* call(emulator, "GET", `/threads/${thread.id}/messages?run_id=${run.body.id}`)
      expect(texts(listed)).toEqual(["Hello! How can I help you today?"])
    }))

  it.scoped("a streamed run's reply is the message the stream completed", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      const assistant = emulator.seedAssistant({ script: [{ type: "message", text: "Streamed, then stored." }] })
      const streamed = yield* call(emulator, "POST", "/threads/runs", {
        body: { assistant_id: assistant.id, stream: true, thread: { messages: [{ role: "user", content: "Go" }] } }
      })
      const completed = parseEvents(streamed.text).find((event) => event.event === "thread.message.completed")!
      const listed = yield* call(
        emulator,
        "GET",
        `/threads/${completed.data.thread_id}/messages?run_id=${completed.data.run_id}`
      )
      expect(listed.body.data).toEqual([completed.data])
    }))

  it.scoped("listMessages pages like every list: newest first, limit, after, before", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      const thread = emulator.seedThread()
      const path = `/threads/${thread.id}/messages`
      const ids: Array<string> = []
      for (const text of ["one", "two", "three", "four", "five"]) {
        ids.push((yield* call(emulator, "POST", path, { body: { role: "user", content: text } })).body.id)
      }
      const newest = yield* call(emulator, "GET", path)
      expect(texts(newest)).toEqual(["five", "four", "three", "two", "one"])
      expect(newest.body).toMatchObject({ first_id: ids[4], last_id: ids[0], has_more: false })
      const first = yield* call(emulator, "GET", `${path}?order=asc&limit=2`)
      expect(texts(first)).toEqual(["one", "two"])
      expect(first.body.has_more).toBe(true)
      const next = yield* call(emulator, "GET", `${path}?order=asc&limit=2&after=${first.body.last_id}`)
      expect(texts(next)).toEqual(["three", "four"])
      const before = yield* call(emulator, "GET", `${path}?order=asc&limit=2&before=${ids[4]}`)
      expect(texts(before)).toEqual(["three", "four"])
      expect(errorOf(yield* call(emulator, "GET", `${path}?limit=0`))).toMatchObject({
        param: "limit",
        code: "integer_below_min_value"
      })
      expect(errorOf(yield* call(emulator, "GET", `${path}?order=up`))).toMatchObject({
        param: "order",
        code: "invalid_value"
      })
    }))

  it.scoped("getMessage, modifyMessage and deleteMessage; unknown messages are the real API's 404", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      const thread = emulator.seedThread()
      const created = yield* call(emulator, "POST", `/threads/${thread.id}/messages`, {
        body: { role: "user", content: "Hi", metadata: { a: "1" } }
      })
      const path = `/threads/${thread.id}/messages/${created.body.id}`
      expect((yield* call(emulator, "GET", path)).body).toEqual(created.body)
      const modified = yield* call(emulator, "POST", path, {
        body: fixture("spec-examples/modifyMessage.request.json")
      })
      expect(modified.body).toEqual({ ...created.body, metadata: { modified: "true", user: "abc123" } })
      expect((yield* call(emulator, "GET", path)).body.metadata).toEqual({ modified: "true", user: "abc123" })
      expect(errorOf(yield* call(emulator, "POST", path, { body: { content: "edited" } }))).toMatchObject({
        message: "Unrecognized request argument supplied: content"
      })
      const deleted = yield* call(emulator, "DELETE", path)
      expect(deleted.body).toEqual({ id: created.body.id, object: "thread.message.deleted", deleted: true })
      expect(Object.keys(deleted.body).sort()).toEqual(
        Object.keys(fixture("spec-examples/deleteMessage.response.json") as object).sort()
      )
      const gone = yield* call(emulator, "GET", path)
      expect(gone.status).toBe(404)
      expect(gone.body.error).toEqual({
        message: `No message found with id '${created.body.id}'.`,
        type: "invalid_request_error",
        param: null,
        code: null
      })
      expect((yield* call(emulator, "GET", `/threads/${thread.id}/messages`)).body.data).toEqual([])
      expect((yield* call(emulator, "DELETE", path)).status).toBe(404)
      expect(errorOf(yield* call(emulator, "GET", "/threads/thread_x/messages/msg_x")).message).toBe(
        "No thread found with id 'thread_x'."
      )
    }))
})
