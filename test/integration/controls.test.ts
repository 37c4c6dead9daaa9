/**
 * The client controls: per-call request options, `transformClient`, credentials that change, debug logs, trace
 * propagation, and caller headers that win.
 */
import { OpenAiClient, RunsService, RunStream } from "@effect-openai/runs"
import { Emulator, EmulatorHttpClient, Fault } from "@effect-openai/runs-emulator"
import { HttpClient, HttpClientRequest } from "@effect/platform"
import { describe, expect, it } from "@effect/vitest"
import { Cause, Context, Effect, Exit, Layer, Logger, LogLevel, Redacted, Stream } from "effect"
import { withEmulator } from "../../packages/runs/test/support/emulator.js"
import { runOnTestClock } from "../../packages/runs/test/support/testClock.js"

const getRun = (threadId: string, runId: string) =>
  Effect.flatMap(RunsService.RunsService, (runs) => runs.getRun(threadId, runId))

/** A seeded completed run and the emulator, for each test. */
const seeded = Effect.gen(function*() {
  const emulator = yield* Emulator.Emulator
  const run = emulator.seedRun({ status: "completed" })
  return { emulator, run }
})

const serverError = (times: number) =>
  Fault.status(500, { headers: { "retry-after-ms": "0" }, body: { error: { message: "boom" } }, times })

describe("OpenAiClient.withRequestOptions", () => {
  it.effect("maxRetries per call: the default retries twice, the wrapped call not at all", () =>
    Effect.gen(function*() {
      const { emulator, run } = yield* seeded
      emulator.enqueueFault(serverError(10))
      const defaults = yield* Effect.flip(getRun(run.thread_id, run.id))
      expect(defaults).toMatchObject({ _tag: "InternalServerError", attempts: 3 })
      const once = yield* Effect.flip(OpenAiClient.withRequestOptions(getRun(run.thread_id, run.id), { maxRetries: 0 }))
      expect(once).toMatchObject({ attempts: 1 })
      const dataLast = yield* getRun(run.thread_id, run.id).pipe(
        OpenAiClient.withRequestOptions({ maxRetries: 1 }),
        Effect.flip
      )
      expect(dataLast).toMatchObject({ attempts: 2 })
      expect(emulator.requests()).toHaveLength(6)
    }).pipe(Effect.provide(Emulator.layerTest())))

  it.effect("timeout per call bounds each attempt on the clock", () =>
    Effect.gen(function*() {
      const { emulator, run } = yield* seeded
      emulator.enqueueFault(Fault.delay(60_000, { times: 1 }))
      const runs = yield* RunsService.RunsService
      const exit = yield* runOnTestClock(
        runs.getRun(run.thread_id, run.id).pipe(
          OpenAiClient.withRequestOptions({ timeout: "2 seconds", maxRetries: 0 })
        ),
        { horizonMillis: 5_000 }
      )
      expect(Exit.isFailure(exit) && exit.cause._tag === "Fail" && exit.cause.error).toMatchObject({
        _tag: "TimeoutError",
        timeoutMs: 2000,
        attempts: 1
      })
    }).pipe(Effect.provide(Emulator.layerTest())))

  it.effect("headers and query parameters per call, nested calls merged with the innermost winning", () =>
    Effect.gen(function*() {
      const { emulator, run } = yield* seeded
      yield* getRun(run.thread_id, run.id).pipe(
        OpenAiClient.withRequestOptions({ headers: { "X-Inner": "inner", "x-shared": "inner" } }),
        OpenAiClient.withRequestOptions({
          headers: { "x-outer": "outer", "x-shared": "outer" },
          queryParams: { tenant: "t1" }
        })
      )
      yield* getRun(run.thread_id, run.id)
      const [wrapped, plain] = emulator.requests()
      expect(wrapped?.headers).toMatchObject({ "x-inner": "inner", "x-outer": "outer", "x-shared": "inner" })
      expect(wrapped?.query).toEqual({ tenant: "t1" })
      expect(plain?.headers).not.toHaveProperty("x-outer")
      expect(plain?.query).toEqual({})
    }).pipe(Effect.provide(Emulator.layerTest())))

  it.effect("a query parameter named by the client and by the call is sent once, with the call's value", () =>
    Effect.gen(function*() {
      const { emulator, run } = yield* seeded
      yield* getRun(run.thread_id, run.id).pipe(
        OpenAiClient.withRequestOptions({ queryParams: { "api-version": "call", extra: "x" } })
      )
      yield* getRun(run.thread_id, run.id)
      const [wrapped, plain] = emulator.requests()
      expect(wrapped?.query).toEqual({ "api-version": "call", extra: "x" })
      expect(plain?.query).toEqual({ "api-version": "client" })
    }).pipe(Effect.provide(Emulator.layerTest(undefined, { client: { queryParams: { "api-version": "client" } } }))))

  it.live("a stream takes the options too", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.Emulator
      const assistant = emulator.seedAssistant()
      const runs = yield* RunsService.RunsService
      const finished = yield* RunStream.finalRun(
        runs.createThreadAndRunStream({ assistant_id: assistant.id }).pipe(
          OpenAiClient.withRequestOptions({ headers: { "x-stream": "yes" } })
        )
      )
      expect(finished.status).toBe("completed")
      expect(emulator.requests()[0]?.headers["x-stream"]).toBe("yes")
      expect(emulator.requests()[0]?.headers.accept).toBe("text/event-stream")
    }).pipe(Effect.provide(Emulator.layerTest())))

  it.effect("an unusable maxRetries fails the call with InvalidRequestError, before sending", () =>
    Effect.gen(function*() {
      const { emulator, run } = yield* seeded
      const error = yield* Effect.flip(
        OpenAiClient.withRequestOptions(getRun(run.thread_id, run.id), { maxRetries: -1 })
      )
      expect(error).toMatchObject({ _tag: "InvalidRequestError", field: "requestOptions.maxRetries" })
      expect(emulator.requests()).toEqual([])
    }).pipe(Effect.provide(Emulator.layerTest())))
})

describe("transformClient", () => {
  it.effect("changes the HttpClient every request goes through", () =>
    Effect.gen(function*() {
      const { emulator, run } = yield* seeded
      yield* getRun(run.thread_id, run.id)
      expect(emulator.requests()[0]?.headers["x-via-proxy"]).toBe("1")
    }).pipe(Effect.provide(Emulator.layerTest({}, {
      client: { transformClient: HttpClient.mapRequest(HttpClientRequest.setHeader("x-via-proxy", "1")) }
    }))))
})

class TokenSource extends Context.Tag("test/TokenSource")<TokenSource, { readonly next: () => string }>() {}

/** RunsService whose key comes from `TokenSource`, asked through an Effect, against an in-process emulator. */
const providerLayer = (source: ReturnType<typeof tokens>) =>
  RunsService.layer.pipe(
    Layer.provideMerge(Layer.unwrapEffect(Effect.map(Emulator.Emulator, (emulator) =>
      OpenAiClient.layer({
        apiKey: Effect.map(TokenSource, (tokens) => Redacted.make(tokens.next())),
        apiUrl: emulator.url,
        maxRetries: 0
      })))),
    Layer.provide(EmulatorHttpClient.layer),
    Layer.provideMerge(Emulator.layerInProcess()),
    Layer.provide(source.layer)
  )

/** A token source giving `tokens` in turn (the last one repeats), and how many were asked for. */
const tokens = (...given: Array<string>) => {
  let asked = 0
  return {
    asked: () => asked,
    layer: Layer.succeed(TokenSource, { next: () => given[Math.min(asked++, given.length - 1)]! })
  }
}

describe("credentials that change", () => {
  it.effect("the key Effect is asked once and kept, its requirements flowing into the layer", () => {
    const source = tokens("sk-emulator")
    return Effect.gen(function*() {
      const { run } = yield* seeded
      yield* Effect.all([getRun(run.thread_id, run.id), getRun(run.thread_id, run.id)], { concurrency: 2 })
      yield* getRun(run.thread_id, run.id)
      expect(source.asked()).toBe(1)
    }).pipe(Effect.provide(providerLayer(source)))
  })

  it.effect("after a 401 it is asked again and the attempt repeated, once per call", () => {
    const source = tokens("sk-expired", "sk-emulator")
    return Effect.gen(function*() {
      const { emulator, run } = yield* seeded
      const found = yield* getRun(run.thread_id, run.id)
      expect(found.id).toBe(run.id)
      expect(source.asked()).toBe(2)
      expect(emulator.requests()).toHaveLength(2)
    }).pipe(Effect.provide(providerLayer(source)))
  })

  it.effect("a second 401 in the same call is its AuthenticationError", () => {
    const source = tokens("sk-expired", "sk-still-wrong")
    return Effect.gen(function*() {
      const { emulator, run } = yield* seeded
      const error = yield* Effect.flip(getRun(run.thread_id, run.id))
      expect(error).toMatchObject({ _tag: "AuthenticationError", status: 401, attempts: 2 })
      expect(source.asked()).toBe(2)
      expect(emulator.requests()).toHaveLength(2)
      expect(JSON.stringify(error)).not.toContain("sk-still-wrong")
    }).pipe(Effect.provide(providerLayer(source)))
  })

  it.effect("a key the Effect gave is scrubbed as a fixed one is: echoed in x-request-id and in the error body", () => {
    const source = tokens("sk-emulator")
    return Effect.gen(function*() {
      const { emulator, run } = yield* seeded
      emulator.enqueueFault({
        ...Fault.echoRequestHeader("authorization"),
        status: 500,
        body: { error: { message: "upstream saw sk-emulator", type: "server_error" } }
      })
      const error = yield* Effect.flip(getRun(run.thread_id, run.id))
      expect(error).toMatchObject({ _tag: "InternalServerError", status: 500 })
      const texts = [JSON.stringify(error), Cause.pretty(Cause.fail(error)), error.message]
      for (const text of texts) expect(text).not.toContain("sk-emulator")
      expect(error.message).toContain("upstream saw")
    }).pipe(Effect.provide(providerLayer(source)))
  })

  it.effect("a key Effect that fails is the call's CredentialsError, and nothing is sent", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.Emulator
      const error = yield* Effect.flip(getRun("thread_1", "run_1"))
      expect(error).toMatchObject({ _tag: "CredentialsError", message: "The apiKey Effect failed: token service down" })
      expect(emulator.requests()).toEqual([])
    }).pipe(withEmulator({ client: { apiKey: Effect.fail(new Error("token service down")) } })))
})

/** Runs `effect` with a logger keeping every line at `level` and above: message and annotations. */
const captureLogs = <A, E, R>(effect: Effect.Effect<A, E, R>, level: LogLevel.LogLevel) => {
  const lines: Array<{ readonly level: string; readonly message: unknown; readonly annotations: unknown }> = []
  const logger = Logger.make(({ annotations, logLevel, message }) => {
    lines.push({ level: logLevel.label, message, annotations: Object.fromEntries(annotations) })
  })
  return effect.pipe(
    Effect.provide(Logger.replace(Logger.defaultLogger, logger)),
    Logger.withMinimumLogLevel(level),
    Effect.map(() => lines)
  )
}

describe("debug logs", () => {
  it.effect("one line per attempt and one per retry wait, annotated, never a header, body or key", () =>
    Effect.gen(function*() {
      const { emulator, run } = yield* seeded
      emulator.enqueueFault(
        Fault.status(503, { headers: { "retry-after-ms": "0", "x-request-id": "req_503" }, body: "busy" })
      )
      const lines = yield* captureLogs(getRun(run.thread_id, run.id), LogLevel.Debug)
      expect(lines.map((line) => line.message)).toEqual([
        ["OpenAI request failed"],
        ["OpenAI request retrying"],
        ["OpenAI request succeeded"]
      ])
      expect(lines[0]?.annotations).toMatchObject({
        "http.request.method": "GET",
        "url.path": `/v1/threads/${run.thread_id}/runs/${run.id}`,
        "openai.attempt": 1,
        "http.response.status_code": 503,
        "openai.failure": "InternalServerError (HTTP 503)",
        "openai.request_id": "req_503"
      })
      expect(lines[1]?.annotations).toMatchObject({
        "openai.retry_in_ms": 0,
        "openai.retry_reason": "InternalServerError (HTTP 503)"
      })
      expect(lines[2]?.annotations).toMatchObject({ "openai.attempt": 2 })
      const everything = JSON.stringify(lines)
      expect(everything).not.toContain("sk-emulator")
      expect(everything).not.toContain("busy")
      expect(everything).not.toContain("assistants=v2")
    }).pipe(Effect.provide(Emulator.layerTest())))

  it.effect("quiet at the default log level", () =>
    Effect.gen(function*() {
      const { emulator, run } = yield* seeded
      emulator.enqueueFault(serverError(1))
      const lines = yield* captureLogs(getRun(run.thread_id, run.id), LogLevel.Info)
      expect(lines).toEqual([])
    }).pipe(Effect.provide(Emulator.layerTest())))
})

describe("trace propagation", () => {
  it.effect("a request made inside a span carries it as traceparent", () =>
    Effect.gen(function*() {
      const { emulator, run } = yield* seeded
      const span = yield* Effect.flatMap(getRun(run.thread_id, run.id), () => Effect.currentSpan).pipe(
        Effect.withSpan("caller")
      )
      const traceparent = emulator.requests()[0]?.headers.traceparent
      expect(traceparent).toMatch(new RegExp(`^00-${span.traceId}-[0-9a-f]{16}-01$`))
      expect(traceparent).not.toContain(span.spanId)
    }).pipe(Effect.provide(Emulator.layerTest())))

  it.effect("propagateTrace: false sends none", () =>
    Effect.gen(function*() {
      const { emulator, run } = yield* seeded
      yield* getRun(run.thread_id, run.id).pipe(Effect.withSpan("caller"))
      expect(emulator.requests()[0]?.headers).not.toHaveProperty("traceparent")
      expect(emulator.requests()[0]?.headers).not.toHaveProperty("b3")
    }).pipe(Effect.provide(Emulator.layerTest({}, { client: { propagateTrace: false } }))))
})

describe("caller headers", () => {
  it.effect("replace OpenAI-Beta, User-Agent and Accept; the auth header stays the library's", () =>
    Effect.gen(function*() {
      const { emulator, run } = yield* seeded
      yield* getRun(run.thread_id, run.id)
      yield* getRun(run.thread_id, run.id).pipe(
        OpenAiClient.withRequestOptions({ headers: { "User-Agent": "per-call", Authorization: "Bearer per-call" } })
      )
      const [first, second] = emulator.requests()
      expect(first?.headers).toMatchObject({ "openai-beta": "assistants=v2,custom", "user-agent": "mine/1.0" })
      expect(second?.headers["user-agent"]).toBe("per-call")
    }).pipe(Effect.provide(Emulator.layerTest({}, {
      client: {
        headers: { "OpenAI-Beta": "assistants=v2,custom", "User-Agent": "mine/1.0", authorization: "Bearer nope" }
      }
    }))))
})

describe("streams open with the real metadata", () => {
  it.live("a stream whose opening was retried reports the real attempts and request id in its errors", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.Emulator
      const assistant = emulator.seedAssistant()
      emulator.enqueueFault(Fault.status(429, { headers: { "retry-after-ms": "0" } }))
      emulator.enqueueStreamFault(Fault.streamError(2, { message: "the model crashed" }))
      const runs = yield* RunsService.RunsService
      const error = yield* Effect.flip(Stream.runDrain(runs.createThreadAndRunStream({ assistant_id: assistant.id })))
      const opened = emulator.requests()
      expect(opened).toHaveLength(2)
      expect(error).toMatchObject({ _tag: "StreamEventError", message: "the model crashed", attempts: 2 })
      expect(error._tag === "StreamEventError" && error.requestId).toMatch(/^req_/)
    }).pipe(Effect.provide(Emulator.layerTest())))
})
