import { Emulator } from "@effect-openai/runs-emulator"
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { call, fixture, runPath } from "./support.js"

const weatherTool = {
  type: "function",
  function: { name: "get_weather", parameters: { type: "object", properties: { city: { type: "string" } } } }
} as const

describe("runs endpoints", () => {
  it.scoped("getRun answers 404 for a missing thread or run, worded like the real API", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      const thread = emulator.seedThread()
      const noThread = yield* call(emulator, "GET", "/threads/thread_x/runs/run_x")
      expect(noThread.status).toBe(404)
      expect(noThread.body).toEqual({
        error: {
          message: "No thread found with id 'thread_x'.",
          type: "invalid_request_error",
          param: null,
          code: null
        }
      })
      const noRun = yield* call(emulator, "GET", `/threads/${thread.id}/runs/run_x`)
      expect(noRun.status).toBe(404)
      expect(noRun.body.error.message).toBe("No run found with id 'run_x'.")
    }))

  it.scoped("seedRun fills a complete run object with real-looking ids", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      const run = emulator.seedRun({ metadata: { team: "a" } })
      expect(run.id).toMatch(/^run_[A-Za-z0-9]{24}$/)
      expect(run.thread_id).toMatch(/^thread_[A-Za-z0-9]{24}$/)
      expect(run.assistant_id).toMatch(/^asst_[A-Za-z0-9]{24}$/)
      const recorded = fixture("recorded-openai-dotnet/getRun.2025-10-30.requires_action.response.json") as object
      expect(Object.keys(run).sort()).toEqual(Object.keys(recorded).sort())
      expect(run).toMatchObject({ object: "thread.run", status: "queued", metadata: { team: "a" }, usage: null })
      expect(run.expires_at).toBe(run.created_at + 600)
    }))

  it.scoped("seedRun fills the timestamps of the status it is given", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      const completed = emulator.seedRun({ status: "completed" })
      expect(completed.completed_at).toEqual(expect.any(Number))
      expect(completed.started_at).toEqual(expect.any(Number))
      expect(completed.expires_at).toBeNull()
      expect(completed.usage?.total_tokens).toBeGreaterThan(0)
      const thread = emulator.seedThread({ id: "thread_abc123" })
      const failed = emulator.seedRun({ thread_id: thread.id, assistant_id: "asst_abc123", status: "failed" })
      expect(failed.thread_id).toBe("thread_abc123")
      expect(failed.assistant_id).toBe("asst_abc123")
      expect(failed.last_error?.code).toBe("server_error")
      expect(failed.failed_at).toEqual(expect.any(Number))
    }))

  it.scoped("createRun copies the assistant's model, instructions and tools, unless overridden", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      const assistant = emulator.seedAssistant({ model: "gpt-4.1", instructions: "Be brief.", tools: [weatherTool] })
      const thread = emulator.seedThread()
      const created = yield* call(
        emulator,
        "POST",
        `/threads/${thread.id}/runs?include[]=step_details.tool_calls[*].file_search.results[*].content`,
        {
          body: { assistant_id: assistant.id, additional_instructions: "Answer in French.", metadata: { k: "v" } }
        }
      )
      expect(created.status).toBe(200)
      expect(created.headers.get("openai-poll-after-ms")).toBe("500")
      expect(created.body).toMatchObject({
        object: "thread.run",
        status: "queued",
        thread_id: thread.id,
        assistant_id: assistant.id,
        model: "gpt-4.1",
        instructions: "Be brief.\nAnswer in French.",
        tools: [weatherTool],
        metadata: { k: "v" },
        started_at: null,
        temperature: 1,
        parallel_tool_calls: true
      })
      yield* Effect.sync(() => emulator.advanceAll(5))
      const overridden = yield* call(emulator, "POST", `/threads/${thread.id}/runs`, {
        body: { assistant_id: assistant.id, model: "gpt-4o-mini", instructions: "Shout.", tools: [], temperature: 0.2 }
      })
      expect(overridden.body).toMatchObject({
        model: "gpt-4o-mini",
        instructions: "Shout.",
        tools: [],
        temperature: 0.2
      })
    }))

  it.scoped("createRun validates its body like the real API", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      const assistant = emulator.seedAssistant()
      const path = `/threads/${emulator.seedThread().id}/runs`
      const error = (body: unknown) => Effect.map(call(emulator, "POST", path, { body }), (answer) => answer.body.error)
      expect(yield* error({})).toMatchObject({ param: "assistant_id", code: "missing_required_parameter" })
      expect(yield* error({ assistant_id: "asst_x" })).toMatchObject({
        message: "No assistant found with id 'asst_x'."
      })
      expect(yield* error({ assistant_id: assistant.id, temperature: 3 })).toEqual({
        message: "Invalid 'temperature': decimal above maximum value. Expected a value <= 2, but got 3 instead.",
        type: "invalid_request_error",
        param: "temperature",
        code: "decimal_above_max_value"
      })
      expect(yield* error({ assistant_id: assistant.id, top_p: -0.1 })).toMatchObject({
        param: "top_p",
        code: "decimal_below_min_value"
      })
      expect(yield* error({ assistant_id: assistant.id, max_prompt_tokens: 16 })).toMatchObject({
        param: "max_prompt_tokens",
        code: "integer_below_min_value"
      })
      expect(yield* error({ assistant_id: assistant.id, max_completion_tokens: 255 })).toMatchObject({
        param: "max_completion_tokens"
      })
      expect(yield* error({ assistant_id: assistant.id, tools: Array(21).fill({ type: "code_interpreter" }) }))
        .toMatchObject({ param: "tools", code: "array_above_max_length" })
      expect(yield* error({ assistant_id: assistant.id, colour: "red" })).toMatchObject({
        message: "Unrecognized request argument supplied: colour"
      })
      expect(yield* error({ assistant_id: assistant.id, temperature: "hot" })).toMatchObject({
        message: "Invalid type for 'temperature': expected a decimal, but got a string instead.",
        code: "invalid_type"
      })
      const include = yield* call(emulator, "POST", `${path}?include[]=nope`, { body: { assistant_id: assistant.id } })
      expect(include.body.error).toMatchObject({ param: "include[0]", code: "invalid_value" })
    }))

  it.scoped("createRun needs a user message or instructions, like the recorded invalid_thread error", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      const assistant = emulator.seedAssistant({ instructions: null })
      const thread = emulator.seedThread()
      const refused = yield* call(emulator, "POST", `/threads/${thread.id}/runs`, {
        body: { assistant_id: assistant.id }
      })
      expect(refused.status).toBe(400)
      expect(refused.body).toEqual(
        fixture("recorded-ruby-openai/createRun.2024-04-29.error400.invalid_thread.response.json")
      )
      const accepted = yield* call(emulator, "POST", `/threads/${thread.id}/runs`, {
        body: { assistant_id: assistant.id, additional_messages: [{ role: "user", content: "Hi" }] }
      })
      expect(accepted.status).toBe(200)
    }))

  it.scoped("a thread takes one active run at a time", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      const assistant = emulator.seedAssistant()
      const thread = emulator.seedThread()
      const path = `/threads/${thread.id}/runs`
      const first = yield* call(emulator, "POST", path, { body: { assistant_id: assistant.id } })
      const second = yield* call(emulator, "POST", path, { body: { assistant_id: assistant.id } })
      expect(second.status).toBe(400)
      expect(second.body.error.message).toBe(`Thread ${thread.id} already has an active run ${first.body.id}.`)
      emulator.advance(thread.id, first.body.id, 2)
      const third = yield* call(emulator, "POST", path, { body: { assistant_id: assistant.id } })
      expect(third.status).toBe(200)
    }))

  it.scoped("createThreadAndRun creates the thread with its messages and metadata", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      const assistant = emulator.seedAssistant({ instructions: null })
      const answer = yield* call(emulator, "POST", "/threads/runs", {
        body: {
          assistant_id: assistant.id,
          thread: { messages: [{ role: "user", content: "What should I eat on Thursday?" }], metadata: { a: "b" } }
        }
      })
      expect(answer.status).toBe(200)
      expect(answer.headers.get("openai-poll-after-ms")).toBe("500")
      expect(answer.body).toMatchObject({ status: "queued", assistant_id: assistant.id })
      expect(answer.body.thread_id).toMatch(/^thread_[A-Za-z0-9]{24}$/)
      const read = yield* call(emulator, "GET", runPath(answer.body))
      expect(read.body.id).toBe(answer.body.id)
      const badThread = yield* call(emulator, "POST", "/threads/runs", {
        body: { assistant_id: assistant.id, thread: { metadata: { a: 1 } } }
      })
      expect(badThread.body.error).toMatchObject({ param: "thread.metadata.a", code: "invalid_type" })
    }))

  it.scoped("modifyRun replaces the metadata", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make({ lifecycle: { mode: "manual" }, pollAfterMs: 42 })
      const run = emulator.seedRun({ metadata: { old: "1", keep: "no" } })
      const answer = yield* call(emulator, "POST", runPath(run), { body: { metadata: { modified: "true" } } })
      expect(answer.status).toBe(200)
      expect(answer.headers.get("openai-poll-after-ms")).toBe("42")
      expect(answer.body.metadata).toEqual({ modified: "true" })
      expect(emulator.getRun(run.thread_id, run.id)?.metadata).toEqual({ modified: "true" })
    }))

  it.scoped("modifyRun answers a non-string metadata value exactly like the recorded invalid_type error", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      const run = emulator.seedRun()
      const request = fixture("recorded-ruby-openai/modifyRun.2024-04-29.error400.invalid_type.request.json")
      const answer = yield* call(emulator, "POST", runPath(run), { body: request })
      expect(answer.status).toBe(400)
      expect(answer.body).toEqual(
        fixture("recorded-ruby-openai/modifyRun.2024-04-29.error400.invalid_type.response.json")
      )
    }))

  it.scoped("modifyRun accepts only metadata, within its limits", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      const path = runPath(emulator.seedRun())
      const error = (body: unknown) => Effect.map(call(emulator, "POST", path, { body }), (answer) => answer.body.error)
      expect(yield* error({ metadata: {}, status: "completed" })).toMatchObject({
        message: "Unrecognized request argument supplied: status"
      })
      const seventeen = Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`k${i}`, "v"]))
      expect(yield* error({ metadata: seventeen })).toMatchObject({
        param: "metadata",
        code: "object_above_max_properties"
      })
      expect(yield* error({ metadata: { ["k".repeat(65)]: "v" } })).toMatchObject({ param: "metadata" })
      expect(yield* error({ metadata: { k: "v".repeat(513) } })).toMatchObject({
        param: "metadata.k",
        code: "string_above_max_length"
      })
      const sixteen = Object.fromEntries(
        Array.from({ length: 16 }, (_, i) => [`k${i}`.padEnd(64, "x"), "v".repeat(512)])
      )
      const accepted = yield* call(emulator, "POST", path, { body: { metadata: sixteen } })
      expect(accepted.status).toBe(200)
    }))
})
