import { Emulator, Fault } from "@effect-openai/runs-emulator"
import { describe, expect, it } from "@effect/vitest"
import { Cause, Effect, Exit, Logger } from "effect"
import { RunsError, RunsService } from "../src/index.js"
import { testApiKey, withEmulator } from "./support/emulator.js"
import { runJson } from "./support/runJson.js"

const getRun = Effect.flatMap(RunsService.RunsService, (runs) => runs.getRun("thread_1", "run_1"))

/** getRun, retries off, against an emulator answering it with `status`, `body` and `headers`; sent once. */
const failWith = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  Effect.gen(function*() {
    const error = yield* Effect.flip(getRun)
    expect((yield* Emulator.Emulator).requests()).toHaveLength(1)
    return error
  }).pipe(withEmulator({
    emulator: { apiKey: testApiKey },
    faults: [Fault.status(status, { body, headers })],
    client: { maxRetries: 0 }
  }))

const errorBody = {
  error: { message: "No run found with id 'run_1'.", type: "invalid_request_error", param: "run_id", code: "not_found" }
}

describe("RunsError: every status maps to its class", () => {
  const table: ReadonlyArray<readonly [number, string]> = [
    [400, "BadRequestError"],
    [401, "AuthenticationError"],
    [403, "PermissionDeniedError"],
    [404, "NotFoundError"],
    [409, "ConflictError"],
    [422, "UnprocessableEntityError"],
    [429, "RateLimitError"],
    [500, "InternalServerError"],
    [502, "InternalServerError"],
    [503, "InternalServerError"],
    [418, "ApiError"],
    [302, "ApiError"]
  ]
  for (const [status, tag] of table) {
    it.effect(`${status} → ${tag}, with the server's fields`, () =>
      Effect.gen(function*() {
        const error = yield* failWith(status, errorBody, { "x-request-id": "req_123" })
        expect(error._tag).toBe(tag)
        expect(RunsError.isStatusError(error)).toBe(true)
        expect(error).toMatchObject({
          status,
          message: "No run found with id 'run_1'.",
          type: "invalid_request_error",
          code: "not_found",
          param: "run_id",
          requestId: "req_123",
          attempts: 1
        })
      }))
  }

  it.effect("a body that is not the error shape keeps the class, with the raw text as message", () =>
    Effect.gen(function*() {
      const error = yield* failWith(502, "<html><body>Bad gateway from the proxy</body></html>")
      expect(error._tag).toBe("InternalServerError")
      expect(error.message).toContain("Bad gateway from the proxy")
      expect(error).toMatchObject({ type: null, code: null, param: null })
    }))

  it.effect("a huge non-JSON body is truncated in the message", () =>
    Effect.gen(function*() {
      const error = yield* failWith(500, "x".repeat(100_000))
      expect(error.message.length).toBeLessThan(1_000)
      expect(error.message).toContain("more characters")
    }))

  it.effect("an empty body still says what happened", () =>
    Effect.gen(function*() {
      const error = yield* failWith(503, "")
      expect(error.message).toBe("HTTP 503: HTTP 503 with an empty body")
    }))

  it.effect("a 2xx body that is not JSON is a ResponseDecodeError, with an excerpt", () =>
    Effect.gen(function*() {
      const error = yield* failWith(200, "<html>maintenance</html>", { "x-request-id": "req_maintenance" })
      expect(error).toBeInstanceOf(RunsError.ResponseDecodeError)
      expect(error).toMatchObject({
        status: 200,
        path: [],
        body: "<html>maintenance</html>",
        requestId: "req_maintenance"
      })
    }))

  it.effect("a 2xx run that does not match the schema names the path at fault", () =>
    Effect.gen(function*() {
      const error = yield* failWith(200, runJson({ status: "paused" }))
      expect(error).toBeInstanceOf(RunsError.ResponseDecodeError)
      if (error._tag !== "ResponseDecodeError") return
      expect(error.path).toEqual(["status"])
      expect(error.message).toContain("Run at status")
      expect(error.body).toContain("paused")
    }))
})

describe("RunsError: the API key never leaks", () => {
  const keyPrefix = testApiKey.slice(0, 8)
  const leaks = (text: string) => text.includes(keyPrefix) || text.includes(Buffer.from(testApiKey).toString("base64"))

  const echoes: ReadonlyArray<readonly [string, number, unknown]> = [
    ["an error message quoting the key", 401, { error: { message: `Incorrect API key provided: ${testApiKey}.` } }],
    ["a masked key prefix", 401, { error: { message: `Incorrect API key provided: ${testApiKey.slice(0, 12)}****` } }],
    ["a raw body with the key", 500, `upstream said Authorization: Bearer ${testApiKey}`],
    ["the key in base64", 500, `basic ${Buffer.from(testApiKey).toString("base64")}`],
    ["a 2xx body with the key", 200, { id: testApiKey }]
  ]
  for (const [name, status, body] of echoes) {
    it.effect(`scrubs ${name} from the error, its JSON and log lines`, () =>
      Effect.gen(function*() {
        const logs: Array<string> = []
        const logger = Logger.make(({ cause, message }) => logs.push(`${String(message)} ${Cause.pretty(cause)}`))
        const error = yield* failWith(status, body).pipe(
          Effect.tap((error) => Effect.logError("failed", error)),
          Effect.provide(Logger.replace(Logger.defaultLogger, logger))
        )
        const exit = Exit.fail(error)
        for (const text of [String(error), JSON.stringify(error), error.message, String(exit), ...logs]) {
          expect(leaks(text), text).toBe(false)
        }
        expect(logs.length).toBeGreaterThan(0)
      }))
  }

  it.effect("transport failures that mention the key are scrubbed too", () =>
    Effect.gen(function*() {
      // A server taking the key in the base path: a dropped connection's error names the URL, key and all.
      const error = yield* Effect.flip(getRun)
      expect(error).toMatchObject({ _tag: "ConnectionError", requestSent: true, attempts: 1 })
      expect(error.message).toContain("[REDACTED]/v1/threads/thread_1/runs/run_1")
      expect(leaks(JSON.stringify(error)) || leaks(String(error))).toBe(false)
      expect((yield* Emulator.Emulator).requests()).toHaveLength(1)
    }).pipe(withEmulator({
      emulator: { apiKey: testApiKey },
      faults: [Fault.reset()],
      client: (emulator) => ({ apiUrl: emulator.url.replace(/\/v1$/, `/${testApiKey}/v1`), maxRetries: 0 })
    })))
})
