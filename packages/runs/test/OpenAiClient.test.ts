import { describe, expect, it } from "@effect/vitest"
import { ConfigProvider, Effect, Exit, Layer, Redacted } from "effect"
import { OpenAiClient, RunsError, RunsService } from "../src/index.js"
import { fakeClientLayer, makeFakeHttp, testApiKey } from "./support/fakeHttp.js"
import { runJson } from "./support/runJson.js"

const getRun = (threadId = "thread_1", runId = "run_1") =>
  Effect.flatMap(RunsService.RunsService, (runs) => runs.getRun(threadId, runId))

const withClient = (layer: Layer.Layer<OpenAiClient.OpenAiClient, RunsError.InvalidOptionError>) =>
  Effect.provide(RunsService.layer.pipe(Layer.provide(layer)))

describe("OpenAiClient", () => {
  it.effect("sends the auth, beta, accept and user-agent headers, and org/project when set", () =>
    Effect.gen(function*() {
      const fake = fakeClientLayer([{ status: 200, body: runJson() }], {
        organization: "org_1",
        project: "proj_1",
        headers: { "x-extra": "yes" }
      })
      yield* getRun().pipe(withClient(fake.layer))
      const [request] = fake.sent
      expect(request?.method).toBe("GET")
      expect(request?.url).toBe("http://api.test/v1/threads/thread_1/runs/run_1")
      expect(request?.headers).toMatchObject({
        authorization: `Bearer ${testApiKey}`,
        "openai-beta": "assistants=v2",
        accept: "application/json",
        "openai-organization": "org_1",
        "openai-project": "proj_1",
        "x-extra": "yes"
      })
      expect(request?.headers["user-agent"]).toMatch(/^effect-openai-runs\/\d+\.\d+\.\d+$/)
    }))

  it.effect("omits org and project headers when not set", () =>
    Effect.gen(function*() {
      const fake = fakeClientLayer([{ status: 200, body: runJson() }])
      yield* getRun().pipe(withClient(fake.layer))
      expect(Object.keys(fake.sent[0]!.headers)).not.toContain("openai-organization")
      expect(Object.keys(fake.sent[0]!.headers)).not.toContain("openai-project")
    }))

  it.effect("supports compatible servers: a custom key header and extra query parameters", () =>
    Effect.gen(function*() {
      const fake = fakeClientLayer([{ status: 200, body: runJson() }], {
        apiUrl: "https://example.test/openai/",
        apiKeyHeader: "api-key",
        queryParams: { "api-version": "2024-05-01-preview" }
      })
      yield* getRun().pipe(withClient(fake.layer))
      expect(fake.sent[0]?.url).toBe(
        "https://example.test/openai/threads/thread_1/runs/run_1?api-version=2024-05-01-preview"
      )
      expect(fake.sent[0]?.headers["api-key"]).toBe(testApiKey)
      expect(fake.sent[0]?.headers).not.toHaveProperty("authorization")
    }))

  it.effect("percent-encodes each id as exactly one path segment", () =>
    Effect.gen(function*() {
      const fake = fakeClientLayer([{ status: 200, body: runJson() }])
      yield* getRun("thread_é", "run_ｒun").pipe(withClient(fake.layer))
      expect(fake.sent[0]?.url).toBe("http://api.test/v1/threads/thread_%C3%A9/runs/run_%EF%BD%92un")
    }))

  it.effect("sends modifyRun's body as JSON", () =>
    Effect.gen(function*() {
      const fake = fakeClientLayer([{ status: 200, body: runJson({ metadata: { user_id: "u_1" } }) }])
      const run = yield* Effect.flatMap(
        RunsService.RunsService,
        (runs) => runs.modifyRun("thread_1", "run_1", { metadata: { user_id: "u_1" } })
      ).pipe(withClient(fake.layer))
      expect(run.metadata).toEqual({ user_id: "u_1" })
      expect(fake.sent[0]?.method).toBe("POST")
      expect(fake.sent[0]?.headers["content-type"]).toBe("application/json")
      expect(JSON.parse(fake.sent[0]!.body!)).toEqual({ metadata: { user_id: "u_1" } })
    }))

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
          const fake = makeFakeHttp([])
          const error = yield* OpenAiClient.make({ apiKey: testApiKey, ...options }).pipe(
            Effect.provide(fake.layer),
            Effect.flip
          )
          expect(error).toBeInstanceOf(RunsError.InvalidOptionError)
          expect(error.option).toBe(field)
          expect(String(error)).not.toContain("pass@")
        }))
    }

    it.effect("and building the layer fails with that error, typed", () =>
      Effect.gen(function*() {
        const fake = makeFakeHttp([])
        const error = yield* getRun().pipe(
          withClient(OpenAiClient.layer({ apiKey: "k", apiUrl: "ftp://x" }).pipe(Layer.provide(fake.layer))),
          Effect.flip
        )
        expect(error._tag).toBe("InvalidOptionError")
        expect(error.message).toContain("apiUrl must use http or https")
        expect(fake.sent).toHaveLength(0)
      }))
  })

  describe("layerConfig", () => {
    const env = (map: Record<string, string>) =>
      Layer.setConfigProvider(ConfigProvider.fromMap(new Map(Object.entries(map))))

    it.effect("reads the key, base URL, org, project, retries and timeout from the environment", () =>
      Effect.gen(function*() {
        const fake = makeFakeHttp([{ status: 500 }, { status: 200, body: runJson() }])
        const layer = RunsService.layerConfig().pipe(
          Layer.provide(fake.layer),
          Layer.provide(env({
            OPENAI_API_KEY: "sk-from-env",
            OPENAI_BASE_URL: "http://env.test/v9",
            OPENAI_ORG_ID: "org_env",
            OPENAI_PROJECT_ID: "proj_env",
            OPENAI_MAX_RETRIES: "0",
            OPENAI_TIMEOUT_MS: "1234"
          }))
        )
        const error = yield* getRun().pipe(Effect.provide(layer), Effect.flip)
        expect(error._tag).toBe("InternalServerError")
        expect(fake.sent).toHaveLength(1)
        expect(fake.sent[0]?.url).toBe("http://env.test/v9/threads/thread_1/runs/run_1")
        expect(fake.sent[0]?.headers).toMatchObject({
          authorization: "Bearer sk-from-env",
          "openai-organization": "org_env",
          "openai-project": "proj_env"
        })
      }))

    it.effect("fails with a ConfigError when OPENAI_API_KEY is missing, without sending anything", () =>
      Effect.gen(function*() {
        const fake = makeFakeHttp([])
        const exit = yield* Effect.exit(
          getRun().pipe(
            Effect.provide(RunsService.layerConfig().pipe(Layer.provide(fake.layer), Layer.provide(env({}))))
          )
        )
        expect(Exit.isFailure(exit) && String(exit.cause)).toContain("OPENAI_API_KEY")
        expect(fake.sent).toHaveLength(0)
      }))

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
