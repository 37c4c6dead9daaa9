import { Emulator } from "@effect-openai/runs-emulator"
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { call, runPath } from "./support.js"

describe("HTTP surface", () => {
  it.scoped("answers with JSON and a request id", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      const run = emulator.seedRun()
      const answer = yield* call(emulator, "GET", runPath(run))
      expect(answer.status).toBe(200)
      expect(answer.headers.get("content-type")).toBe("application/json")
      expect(answer.headers.get("x-request-id")).toMatch(/^req_[0-9a-f]{32}$/)
      expect(answer.body.id).toBe(run.id)
    }))

  it.scoped("the base URL is on loopback and includes /v1", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      expect(emulator.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/)
      expect(emulator.apiKey).toBe("sk-emulator")
    }))

  it.scoped("refuses a request without an API key", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      const answer = yield* call(emulator, "GET", runPath(emulator.seedRun()), { omit: ["authorization"] })
      expect(answer.status).toBe(401)
      expect(answer.body.error).toMatchObject({ type: "invalid_request_error", param: null })
      expect(answer.body.error.message).toMatch(/^You didn't provide an API key/)
      expect(answer.headers.get("x-request-id")).toMatch(/^req_/)
    }))

  it.scoped("refuses a wrong API key without echoing it", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make({ apiKey: "sk-right" })
      const answer = yield* call(emulator, "GET", runPath(emulator.seedRun()), {
        headers: { authorization: "Bearer sk-wrong-secret-1234" }
      })
      expect(answer.status).toBe(401)
      expect(answer.body.error).toMatchObject({ type: "invalid_request_error", param: null, code: "invalid_api_key" })
      expect(answer.body.error.message).toMatch(/^Incorrect API key provided/)
      expect(answer.text).not.toContain("sk-wrong")
      expect(answer.text).not.toContain("1234")
    }))

  it.scoped("apiKeyHeader: takes the key alone in that header instead, and logs it redacted", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make({ apiKey: "sk-azure", apiKeyHeader: "X-Api-Key" })
      const path = runPath(emulator.seedRun())
      const right = yield* call(emulator, "GET", path, {
        omit: ["authorization"],
        headers: { "x-api-key": "sk-azure" }
      })
      const wrong = yield* call(emulator, "GET", path, {
        omit: ["authorization"],
        headers: { "x-api-key": "sk-other" }
      })
      const bearer = yield* call(emulator, "GET", path)
      const prefixed = yield* call(emulator, "GET", path, { headers: { "x-api-key": "Bearer sk-azure" } })
      expect([right.status, wrong.status, bearer.status, prefixed.status]).toEqual([200, 401, 401, 401])
      expect(wrong.body.error.code).toBe("invalid_api_key")
      expect(bearer.body.error.message).toMatch(/^You didn't provide an API key/)
      expect(emulator.requests().map((request) => request.headers["x-api-key"] ?? "none")).toEqual([
        "<redacted>",
        "<redacted>",
        "none",
        "<redacted>"
      ])
      expect(JSON.stringify(emulator.requests())).not.toContain("sk-azure")
    }))

  it.scoped("requires the OpenAI-Beta: assistants=v2 header", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      const run = emulator.seedRun()
      const missing = yield* call(emulator, "GET", runPath(run), { omit: ["openai-beta"] })
      const v1 = yield* call(emulator, "GET", runPath(run), { headers: { "openai-beta": "assistants=v1" } })
      for (const answer of [missing, v1]) {
        expect(answer.status).toBe(400)
        expect(answer.body).toEqual({
          error: {
            message: "You must provide the 'OpenAI-Beta' header to access the Assistants API. Please try again by " +
              "setting the header 'OpenAI-Beta: assistants=v2'.",
            type: "invalid_request_error",
            param: null,
            code: "invalid_beta"
          }
        })
      }
    }))

  it.scoped("answers an unknown route or method with 404 Invalid URL", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      const unknown = yield* call(emulator, "GET", "/assistants/asst_x/files")
      expect(unknown.status).toBe(404)
      expect(unknown.body).toEqual({
        error: {
          message: "Invalid URL (GET /v1/assistants/asst_x/files)",
          type: "invalid_request_error",
          param: null,
          code: null
        }
      })
      const wrongMethod = yield* call(emulator, "DELETE", runPath(emulator.seedRun()))
      expect(wrongMethod.status).toBe(404)
      expect(wrongMethod.body.error.message).toMatch(/^Invalid URL \(DELETE \/v1\/threads\//)
    }))

  it.scoped("answers a malformed JSON body with 400", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      const thread = emulator.seedThread()
      const answer = yield* call(emulator, "POST", `/threads/${thread.id}/runs`, { raw: "{\"assistant_id\": " })
      expect(answer.status).toBe(400)
      expect(answer.body.error).toMatchObject({ type: "invalid_request_error", param: null, code: null })
      expect(answer.body.error.message).toMatch(/^We could not parse the JSON body of your request/)
    }))
})
