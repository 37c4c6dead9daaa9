import { Emulator, Fault } from "@effect-openai/runs-emulator"
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { call, fixture } from "./support.js"

/** A createRun and a createThreadAndRun of `fields` on a fresh emulator: both answers. */
const createBoth = (fields: Record<string, unknown>) =>
  Effect.gen(function*() {
    const emulator = yield* Emulator.make()
    const assistant = emulator.seedAssistant()
    const thread = emulator.seedThread()
    return yield* Effect.all([
      call(emulator, "POST", `/threads/${thread.id}/runs`, { body: { assistant_id: assistant.id, ...fields } }),
      call(emulator, "POST", "/threads/runs", { body: { assistant_id: assistant.id, ...fields } })
    ])
  })

describe("the emulator refuses what CreateRunRequest refuses, naming the param", () => {
  it.scoped.each([
    [
      { tool_choice: "bogus" },
      "tool_choice",
      "Invalid value: 'bogus'. Supported values are: 'none', 'auto', and 'required'."
    ],
    [{ tool_choice: { type: "bogus" } }, "tool_choice.type", null],
    [{ tool_choice: { type: "function" } }, "tool_choice.function", null],
    [{ tool_choice: { type: "function", function: {} } }, "tool_choice.function.name", null],
    [{ tool_choice: 3 }, "tool_choice", null],
    [{ response_format: { type: "bogus" } }, "response_format.type", null],
    [{ response_format: "json" }, "response_format", null],
    [{ response_format: { type: "json_schema" } }, "response_format.json_schema", null],
    [{ response_format: { type: "json_schema", json_schema: {} } }, "response_format.json_schema.name", null],
    [{ truncation_strategy: { type: "bogus" } }, "truncation_strategy.type", null],
    [{ truncation_strategy: {} }, "truncation_strategy.type", null],
    [{ truncation_strategy: { type: "last_messages", last_messages: 0 } }, "truncation_strategy.last_messages", null],
    [{ truncation_strategy: { type: "last_messages", last_messages: "2" } }, "truncation_strategy.last_messages", null],
    [
      { reasoning_effort: "extreme" },
      "reasoning_effort",
      "Invalid value: 'extreme'. Supported values are: 'none', 'minimal', 'low', 'medium', 'high', 'xhigh', and 'max'."
    ]
  ])("%j: 400 with param %s", ([fields, param, message]) =>
    Effect.gen(function*() {
      for (const answer of yield* createBoth(fields as Record<string, unknown>)) {
        expect(answer.status).toBe(400)
        expect(answer.body.error).toMatchObject({ type: "invalid_request_error", param })
        expect(answer.body.error.code).toMatch(
          /^(invalid_value|invalid_type|missing_required_parameter|integer_below_min_value)$/
        )
        if (message !== null) expect(answer.body.error.message).toBe(message)
      }
    }))

  it.scoped.each([
    [{ tool_choice: "required" }],
    [{ tool_choice: { type: "function", function: { name: "get_weather" } } }],
    [{ tool_choice: { type: "file_search" } }],
    [{ response_format: "auto" }],
    [{ response_format: { type: "json_object" } }],
    [{ response_format: { type: "json_schema", json_schema: { name: "answer", schema: { type: "object" } } } }],
    [{ truncation_strategy: { type: "last_messages", last_messages: 3 } }],
    [{ truncation_strategy: { type: "auto", last_messages: null } }],
    [{ reasoning_effort: "low" }],
    [{ reasoning_effort: null, tool_choice: null, response_format: null, truncation_strategy: null }]
  ])("%j is accepted and echoed", ([fields]) =>
    Effect.gen(function*() {
      for (const answer of yield* createBoth(fields)) {
        expect(answer.status).toBe(200)
        for (const [key, value] of Object.entries(fields)) {
          if (value !== null) expect(answer.body[key]).toEqual(value)
        }
      }
    }))

  it.scoped("the recorded json_object request is accepted", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      const request = fixture(
        "recorded-openai-dotnet/createRun.2025-10-30.response_format-json_object.request.json"
      ) as Record<string, unknown>
      const assistant = emulator.seedAssistant()
      const answer = yield* call(emulator, "POST", `/threads/${emulator.seedThread().id}/runs`, {
        body: { ...request, assistant_id: assistant.id }
      })
      expect(answer.status).toBe(200)
      expect(answer.body.response_format).toEqual(request.response_format)
    }))
})

describe("a bare status fault answers as the real API does", () => {
  const path = (emulator: Emulator.Handle) => {
    const run = emulator.seedRun({ status: "completed" })
    return `/threads/${run.thread_id}/runs/${run.id}`
  }

  it.scoped.each<readonly [number, string]>([
    [400, "invalid_request_error"],
    [401, "invalid_request_error"],
    [404, "invalid_request_error"],
    [429, "requests"],
    [500, "server_error"],
    [502, "cf_bad_gateway"],
    [503, "server_error"],
    [504, "cf_gateway_timeout"],
    [418, "invalid_request_error"],
    [599, "server_error"]
  ])("%i: the error body of type %s", ([status, type]) =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      emulator.enqueueFault(Fault.status(status))
      const answer = yield* call(emulator, "GET", path(emulator))
      expect(answer.status).toBe(status)
      expect(answer.headers.get("content-type")).toBe("application/json")
      expect(answer.headers.get("x-request-id")).toMatch(/^req_/)
      expect(Object.keys(answer.body.error)).toEqual(["message", "type", "param", "code"])
      expect(answer.body.error).toMatchObject({ type, param: null })
      expect(answer.body.error.message).not.toBe("")
      const retries = status === 429 || status === 503
      expect(answer.headers.get("retry-after-ms")).toBe(retries ? "100" : null)
      expect(answer.headers.get("retry-after")).toBe(retries ? "1" : null)
    }))

  it.scoped("500 is the real API's server_error", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      emulator.enqueueFault(Fault.status(500))
      expect((yield* call(emulator, "GET", path(emulator))).body).toEqual({
        error: {
          message: "The server had an error while processing your request. Sorry about that!",
          type: "server_error",
          param: null,
          code: null
        }
      })
    }))

  it.scoped("the fault's own headers win over the default retry advice", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      emulator.enqueueFault(Fault.status(429, { headers: { "Retry-After-Ms": "5" } }))
      const answer = yield* call(emulator, "GET", path(emulator))
      expect(answer.headers.get("retry-after-ms")).toBe("5")
      expect(answer.headers.get("retry-after")).toBe("1")
      expect(answer.body.error.code).toBe("rate_limit_exceeded")
    }))

  it.scoped("an empty body on purpose: body \"\" or Fault.emptyBody, without retry advice", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      emulator.enqueueFault(Fault.status(503, { body: "" }))
      emulator.enqueueFault(Fault.emptyBody({ status: 500, nth: 2 }))
      const first = yield* call(emulator, "GET", path(emulator))
      const second = yield* call(emulator, "GET", path(emulator))
      for (const [answer, status] of [[first, 503], [second, 500]] as const) {
        expect(answer.status).toBe(status)
        expect(answer.text).toBe("")
        expect(answer.headers.get("retry-after-ms")).toBeNull()
      }
    }))

  it.scoped("a status below 400 without a body is still empty", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      emulator.enqueueFault(Fault.status(204))
      const answer = yield* call(emulator, "GET", path(emulator))
      expect(answer.status).toBe(204)
      expect(answer.text).toBe("")
    }))
})
