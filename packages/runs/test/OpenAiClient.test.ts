import { Emulator, EmulatorHttpClient, Fault } from "@effect-openai/runs-emulator"
import { FetchHttpClient } from "@effect/platform"
import { describe, expect, it } from "@effect/vitest"
import { ConfigProvider, Effect, Exit, Fiber, Layer, Redacted } from "effect"
import { OpenAiClient, RunsError, RunsService } from "../src/index.js"
import { clientLayer, received, run1, testApiKey, withEmulator } from "./support/emulator.js"
import { runOnTestClock } from "./support/testClock.js"

const getRun = (threadId = "thread_1", runId = "run_1") =>
  Effect.flatMap(RunsService.RunsService, (runs) => runs.getRun(threadId, runId))

/** The one request the emulator received. */
const theRequest = Effect.map(Emulator.Emulator, (emulator) => {
  const requests = emulator.requests()
  expect(requests).toHaveLength(1)
  return requests[0]!
})

const manual = { lifecycle: { mode: "manual" } } as const

describe("OpenAiClient", () => {
  it.effect("sends the auth, beta, accept and user-agent headers, and org/project when set", () =>
    Effect.gen(function*() {
      // The emulator answers only `Authorization: Bearer <its key>`: the run coming back proves the header.
      const run = yield* getRun()
      expect(run.id).toBe("run_1")
      const request = yield* theRequest
      expect(request.method).toBe("GET")
      expect(request.path).toBe("/v1/threads/thread_1/runs/run_1")
      expect(request.query).toEqual({})
      expect(request.headers).toMatchObject({
        authorization: "<redacted>",
        "openai-beta": "assistants=v2",
        accept: "application/json",
        "openai-organization": "org_1",
        "openai-project": "proj_1",
        "x-extra": "yes"
      })
      expect(request.headers["user-agent"]).toMatch(/^effect-openai-runs\/\d+\.\d+\.\d+$/)
    }).pipe(withEmulator({
      emulator: { apiKey: testApiKey, ...manual },
      runs: [run1],
      client: { organization: "org_1", project: "proj_1", headers: { "x-extra": "yes" } }
    })))

  it.effect("the emulator refuses another key: the header carries the configured one", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(getRun())
      expect(error).toMatchObject({ _tag: "AuthenticationError", status: 401, code: "invalid_api_key" })
    }).pipe(
      withEmulator({ emulator: { apiKey: testApiKey, ...manual }, runs: [run1], client: { apiKey: "sk-other" } })
    ))

  it.effect("omits org and project headers when not set", () =>
    Effect.gen(function*() {
      yield* getRun()
      const request = yield* theRequest
      expect(Object.keys(request.headers)).not.toContain("openai-organization")
      expect(Object.keys(request.headers)).not.toContain("openai-project")
    }).pipe(withEmulator({ emulator: manual, runs: [run1] })))

  it.effect("supports compatible servers: a custom key header and extra query parameters", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.Emulator
      // Accepted by a server that reads the key, alone, from `api-key`: the header carries the raw key.
      const run = yield* getRun()
      expect(run.id).toBe("run_1")
      const request = yield* theRequest
      expect(request.headers.host).toBe(new URL(emulator.url).host)
      expect(request.path).toBe("/v1/threads/thread_1/runs/run_1")
      expect(request.query).toEqual({ "api-version": "2024-05-01-preview" })
      expect(request.headers["api-key"]).toBe("<redacted>")
      expect(request.headers).not.toHaveProperty("authorization")
    }).pipe(withEmulator({
      transport: "socket",
      emulator: { apiKey: testApiKey, apiKeyHeader: "api-key", ...manual },
      runs: [run1],
      client: (emulator) => ({
        apiUrl: `${emulator.url}/`,
        apiKeyHeader: "api-key",
        queryParams: { "api-version": "2024-05-01-preview" }
      })
    })))

  it.effect("percent-encodes each id as exactly one path segment", () =>
    Effect.gen(function*() {
      const run = yield* getRun("thread_é", "run_ｒun")
      expect(run.id).toBe("run_ｒun")
      expect((yield* theRequest).path).toBe("/v1/threads/thread_%C3%A9/runs/run_%EF%BD%92un")
    }).pipe(withEmulator({ emulator: manual, runs: [{ ...run1, id: "run_ｒun", thread_id: "thread_é" }] })))

  it.effect("sends modifyRun's body as JSON", () =>
    Effect.gen(function*() {
      const run = yield* Effect.flatMap(
        RunsService.RunsService,
        (runs) => runs.modifyRun("thread_1", "run_1", { metadata: { user_id: "u_1" } })
      )
      expect(run.metadata).toEqual({ user_id: "u_1" })
      const request = yield* theRequest
      expect(request.method).toBe("POST")
      expect(request.headers["content-type"]).toBe("application/json")
      expect(JSON.parse(request.body)).toEqual({ metadata: { user_id: "u_1" } })
    }).pipe(withEmulator({ emulator: manual, runs: [run1] })))

  describe("rejects unusable options when the client is built", () => {
    const cases: ReadonlyArray<readonly [string, Partial<OpenAiClient.OpenAiClientOptions>, string]> = [
      ["a URL with credentials", { apiUrl: "https://user:pass@api.test/v1" }, "apiUrl"],
      ["a non-http scheme", { apiUrl: "file:///etc/passwd" }, "apiUrl"],
      ["something that is not a URL", { apiUrl: "not a url" }, "apiUrl"],
      ["a URL with a query", { apiUrl: "https://api.test/v1?x=1" }, "apiUrl"],
      ["a negative maxRetries", { maxRetries: -1 }, "maxRetries"],
      ["an empty key", { apiKey: "  " }, "apiKey"]
    ]
    for (const [name, options, field] of cases) {
      it.effect(name, () =>
        Effect.gen(function*() {
          const error = yield* OpenAiClient.make({ apiKey: testApiKey, ...options }).pipe(
            Effect.provide(EmulatorHttpClient.layer),
            Effect.flip
          )
          expect(error).toBeInstanceOf(RunsError.InvalidOptionError)
          expect(error.option).toBe(field)
          expect(String(error)).not.toContain("pass@")
          expect((yield* Emulator.Emulator).requests()).toHaveLength(0)
        }).pipe(Effect.provide(Emulator.layerInProcess())))
    }

    it.effect("and building the layer fails with that error, typed", () =>
      Effect.gen(function*() {
        const error = yield* getRun().pipe(
          Effect.provide(clientLayer({ client: { apiKey: "k", apiUrl: "ftp://x" } })),
          Effect.flip
        )
        expect(error._tag).toBe("InvalidOptionError")
        expect(error.message).toContain("apiUrl must use http or https")
        expect((yield* Emulator.Emulator).requests()).toHaveLength(0)
      }).pipe(Effect.provide(Emulator.layerInProcess())))
  })

  describe("layerConfig", () => {
    const env = (map: Record<string, string>) =>
      Layer.setConfigProvider(ConfigProvider.fromMap(new Map(Object.entries(map))))

    it.effect("reads the key, base URL, org, project, retries and timeout from the environment", () =>
      Effect.gen(function*() {
        const emulator = yield* Emulator.Emulator
        emulator.seedRun(run1)
        const layer = RunsService.layerConfig().pipe(
          Layer.provide(FetchHttpClient.layer),
          Layer.provide(env({
            OPENAI_API_KEY: "sk-from-env",
            OPENAI_BASE_URL: emulator.url,
            OPENAI_ORG_ID: "org_env",
            OPENAI_PROJECT_ID: "proj_env",
            OPENAI_MAX_RETRIES: "0",
            OPENAI_TIMEOUT_MS: "1234"
          }))
        )
        emulator.enqueueFault(Fault.status(500))
        const error = yield* getRun().pipe(Effect.provide(layer), Effect.flip)
        expect(error._tag).toBe("InternalServerError")
        expect(emulator.requests()).toHaveLength(1)
        // The emulator on the configured URL accepts the configured key.
        expect((yield* getRun().pipe(Effect.provide(layer))).id).toBe("run_1")
        for (const request of emulator.requests()) {
          expect(request.headers.host).toBe(new URL(emulator.url).host)
          expect(request.path).toBe("/v1/threads/thread_1/runs/run_1")
          expect(request.headers).toMatchObject({
            authorization: "<redacted>",
            "openai-organization": "org_env",
            "openai-project": "proj_env"
          })
        }
        emulator.enqueueFault(Fault.delay(60_000))
        const hung = yield* Effect.fork(getRun().pipe(Effect.provide(layer)))
        yield* received(3)
        const timedOut = yield* runOnTestClock(Fiber.join(hung))
        expect(Exit.isFailure(timedOut) && timedOut.cause._tag === "Fail" && timedOut.cause.error).toMatchObject({
          _tag: "TimeoutError",
          timeoutMs: 1234,
          attempts: 1
        })
        expect(emulator.requests()).toHaveLength(3)
      }).pipe(Effect.provide(Emulator.layer({ apiKey: "sk-from-env", ...manual }))))

    it.effect("fails with a ConfigError when OPENAI_API_KEY is missing, without sending anything", () =>
      Effect.gen(function*() {
        const exit = yield* Effect.exit(
          getRun().pipe(
            Effect.provide(
              RunsService.layerConfig().pipe(Layer.provide(EmulatorHttpClient.layer), Layer.provide(env({})))
            )
          )
        )
        expect(Exit.isFailure(exit) && String(exit.cause)).toContain("OPENAI_API_KEY")
        expect((yield* Emulator.Emulator).requests()).toHaveLength(0)
      }).pipe(Effect.provide(Emulator.layerInProcess())))

    it.effect("the config keeps the key redacted", () =>
      Effect.gen(function*() {
        const options = yield* OpenAiClient.config.pipe(
          Effect.withConfigProvider(ConfigProvider.fromMap(new Map([["OPENAI_API_KEY", "sk-hidden-123456789"]])))
        )
        expect(Redacted.isRedacted(options.apiKey)).toBe(true)
        expect(JSON.stringify(options)).not.toContain("sk-hidden")
      }))
  })
})
