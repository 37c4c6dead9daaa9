import { describe, expect, it } from "@effect/vitest"
import { Chunk, Duration, Effect, Exit, Fiber, Layer, Schedule, Schema, TestClock } from "effect"
import { OpenAiClient, RunsError, RunsService } from "../src/index.js"
import * as Retry from "../src/internal/retry.js"
import { fakeClientLayer, type FakeReply } from "./support/fakeHttp.js"
import { runJson } from "./support/runJson.js"
import { runOnTestClock } from "./support/testClock.js"

const ok: FakeReply = { status: 200, body: runJson() }
const status = (code: number, headers: Record<string, string> = {}): FakeReply => ({ status: code, body: "", headers })

/** Runs getRun on the TestClock against scripted replies; gives its exit and when each attempt was sent. */
const getRunWith = (replies: ReadonlyArray<FakeReply>, options: Partial<OpenAiClient.OpenAiClientOptions> = {}) =>
  Effect.gen(function*() {
    const fake = fakeClientLayer(replies, options)
    const program = Effect.flatMap(RunsService.RunsService, (runs) => runs.getRun("thread_1", "run_1")).pipe(
      Effect.provide(RunsService.layer.pipe(Layer.provide(fake.layer)))
    )
    const exit = yield* runOnTestClock(program)
    return { exit, times: fake.sent.map((request) => request.at) }
  })

/** The same for a raw non-idempotent request, as createRun or submitToolOutputs send them. */
const createWith = (replies: ReadonlyArray<FakeReply>, options: Partial<OpenAiClient.OpenAiClientOptions> = {}) =>
  Effect.gen(function*() {
    const fake = fakeClientLayer(replies, options)
    const program = Effect.flatMap(
      OpenAiClient.OpenAiClient,
      (client) =>
        client.execute({ method: "POST", path: ["threads", "t", "runs"], body: {}, idempotent: false }, Schema.Unknown)
    ).pipe(Effect.provide(fake.layer))
    const exit = yield* runOnTestClock(program)
    return { exit, times: fake.sent.map((request) => request.at) }
  })

const failureTag = (exit: Exit.Exit<unknown, { readonly _tag: string }>) =>
  Exit.isFailure(exit) ? exit.cause._tag === "Fail" ? exit.cause.error._tag : exit.cause._tag : "Success"

const gaps = (times: ReadonlyArray<number>) => times.slice(1).map((time, index) => time - times[index]!)

describe("retry policy (idempotent requests)", () => {
  it.effect("retries 5xx with exponential backoff and jitter: ~0.5 s, then ~1 s", () =>
    Effect.gen(function*() {
      const { exit, times } = yield* getRunWith([status(500), status(503), ok])
      expect(Exit.isSuccess(exit)).toBe(true)
      const [first, second] = gaps(times)
      expect(first).toBeGreaterThanOrEqual(400)
      expect(first).toBeLessThanOrEqual(610)
      expect(second).toBeGreaterThanOrEqual(800)
      expect(second).toBeLessThanOrEqual(1210)
    }))

  for (const code of [408, 409, 429, 500, 502, 504]) {
    it.effect(`retries ${code}`, () =>
      Effect.gen(function*() {
        const { exit, times } = yield* getRunWith([status(code), ok])
        expect(Exit.isSuccess(exit)).toBe(true)
        expect(times).toHaveLength(2)
      }))
  }

  for (const code of [400, 401, 403, 404, 422]) {
    it.effect(`never retries ${code}`, () =>
      Effect.gen(function*() {
        const { exit, times } = yield* getRunWith([status(code), ok])
        expect(Exit.isFailure(exit)).toBe(true)
        expect(times).toHaveLength(1)
      }))
  }

  it.effect("never retries a body that does not decode", () =>
    Effect.gen(function*() {
      const { exit, times } = yield* getRunWith([{ status: 200, body: "not json" }, ok])
      expect(failureTag(exit)).toBe("ResponseDecodeError")
      expect(times).toHaveLength(1)
    }))

  it.effect("waits exactly retry-after-ms when the server says so", () =>
    Effect.gen(function*() {
      const { times } = yield* getRunWith([status(429, { "retry-after-ms": "250" }), ok], {})
      expect(gaps(times)).toEqual([250])
    }))

  it.effect("waits retry-after given in seconds", () =>
    Effect.gen(function*() {
      const { times } = yield* getRunWith([status(503, { "retry-after": "2" }), ok])
      expect(gaps(times)).toEqual([2000])
    }))

  it.effect("waits until a retry-after HTTP date", () =>
    Effect.gen(function*() {
      // The TestClock starts at the epoch: this date is 3 s after it.
      const { times } = yield* getRunWith([status(503, { "retry-after": new Date(3_000).toUTCString() }), ok])
      expect(gaps(times)).toEqual([3000])
    }))

  it.effect("ignores a retry-after over 60 s and falls back to the backoff", () =>
    Effect.gen(function*() {
      const { times } = yield* getRunWith([status(503, { "retry-after": "3600" }), ok])
      expect(gaps(times)[0]).toBeLessThanOrEqual(610)
    }))

  it.effect("x-should-retry: false wins over a retryable status", () =>
    Effect.gen(function*() {
      const { exit, times } = yield* getRunWith([status(503, { "x-should-retry": "false" }), ok])
      expect(failureTag(exit)).toBe("InternalServerError")
      expect(times).toHaveLength(1)
    }))

  it.effect("x-should-retry: true wins over a status that is not retried", () =>
    Effect.gen(function*() {
      const { exit, times } = yield* getRunWith([status(400, { "x-should-retry": "true" }), ok])
      expect(Exit.isSuccess(exit)).toBe(true)
      expect(times).toHaveLength(2)
    }))

  it.effect("retries connection failures", () =>
    Effect.gen(function*() {
      const { exit, times } = yield* getRunWith([{ transportError: new Error("socket hang up") }, ok])
      expect(Exit.isSuccess(exit)).toBe(true)
      expect(times).toHaveLength(2)
    }))

  it.effect("gives up after maxRetries and returns the last error with the attempt count", () =>
    Effect.gen(function*() {
      const { exit, times } = yield* getRunWith([status(500), status(502), status(503, { "x-request-id": "req_last" })])
      expect(times).toHaveLength(3)
      expect(Exit.isFailure(exit) && exit.cause._tag === "Fail" && exit.cause.error).toMatchObject({
        _tag: "InternalServerError",
        status: 503,
        requestId: "req_last",
        attempts: 3
      })
    }))

  it.effect("maxRetries: 0 sends once", () =>
    Effect.gen(function*() {
      const { times } = yield* getRunWith([status(500), ok], { maxRetries: 0 })
      expect(times).toHaveLength(1)
    }))

  it.effect("a custom retrySchedule replaces the backoff", () =>
    Effect.gen(function*() {
      const { times } = yield* getRunWith([status(500), status(500), ok], {
        retrySchedule: Schedule.spaced("100 millis")
      })
      expect(gaps(times)).toEqual([100, 100])
    }))

  it.effect("the backoff is capped at 8 s", () =>
    Effect.gen(function*() {
      const { times } = yield* getRunWith([status(500)], { maxRetries: 6 })
      expect(times).toHaveLength(7)
      const last = gaps(times).at(-1)!
      expect(last).toBeLessThanOrEqual(8_000.001)
      expect(last).toBeGreaterThanOrEqual(6_400)
    }))

  it.effect("a hung attempt times out after the configured timeout and is retried", () =>
    Effect.gen(function*() {
      const { exit, times } = yield* getRunWith([{ hang: true }, ok], { timeout: "2 seconds" })
      expect(Exit.isSuccess(exit)).toBe(true)
      expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(2_000)
    }))

  it.effect("every attempt timing out ends in a TimeoutError", () =>
    Effect.gen(function*() {
      const { exit, times } = yield* getRunWith([{ hang: true }], { timeout: "1 second", maxRetries: 1 })
      expect(times).toHaveLength(2)
      expect(Exit.isFailure(exit) && exit.cause._tag === "Fail" && exit.cause.error).toMatchObject({
        _tag: "TimeoutError",
        timeoutMs: 1000,
        attempts: 2
      })
    }))
})

describe("retry policy (non-idempotent requests never run twice)", () => {
  it.effect("a 5xx is returned, not re-sent", () =>
    Effect.gen(function*() {
      const { exit, times } = yield* createWith([status(500), ok])
      expect(failureTag(exit)).toBe("InternalServerError")
      expect(times).toHaveLength(1)
    }))

  it.effect("a timeout is returned, not re-sent", () =>
    Effect.gen(function*() {
      const { exit, times } = yield* createWith([{ hang: true }, ok], { timeout: "1 second" })
      expect(failureTag(exit)).toBe("TimeoutError")
      expect(times).toHaveLength(1)
    }))

  it.effect("a connection dropped after sending is returned, not re-sent", () =>
    Effect.gen(function*() {
      const { exit, times } = yield* createWith([{ transportError: new Error("socket hang up") }, ok])
      expect(failureTag(exit)).toBe("ConnectionError")
      expect(times).toHaveLength(1)
    }))

  it.effect("a refused connection is retried: the server cannot have acted", () =>
    Effect.gen(function*() {
      const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:9"), { code: "ECONNREFUSED" })
      const { exit, times } = yield* createWith([
        { transportError: new TypeError("fetch failed", { cause: refused }) },
        ok
      ])
      expect(Exit.isSuccess(exit)).toBe(true)
      expect(times).toHaveLength(2)
    }))

  it.effect("429 is retried", () =>
    Effect.gen(function*() {
      const { exit, times } = yield* createWith([status(429, { "retry-after-ms": "10" }), ok])
      expect(Exit.isSuccess(exit)).toBe(true)
      expect(gaps(times)).toEqual([10])
    }))

  it.effect("x-should-retry: true is retried", () =>
    Effect.gen(function*() {
      const { exit, times } = yield* createWith([status(500, { "x-should-retry": "true" }), ok])
      expect(Exit.isSuccess(exit)).toBe(true)
      expect(times).toHaveLength(2)
    }))
})

describe("timeout: infinity", () => {
  it.effect("turns the per-attempt timeout off: no timer waits beside a slow answer", () =>
    Effect.gen(function*() {
      const fake = fakeClientLayer([{ hang: true }], { timeout: Duration.infinity, maxRetries: 0 })
      const fiber = yield* Effect.flatMap(RunsService.RunsService, (runs) => runs.getRun("thread_1", "run_1")).pipe(
        Effect.provide(RunsService.layer.pipe(Layer.provide(fake.layer))),
        Effect.fork
      )
      yield* Effect.promise(() => new Promise((resolve) => setTimeout(resolve, 5)))
      expect(fake.sent).toHaveLength(1)
      expect(Chunk.toReadonlyArray(yield* TestClock.sleeps())).toEqual([])
      yield* Fiber.interrupt(fiber)
    }))

  it.effect("while a finite timeout keeps one", () =>
    Effect.gen(function*() {
      const fake = fakeClientLayer([{ hang: true }], { timeout: "3 seconds", maxRetries: 0 })
      const fiber = yield* Effect.flatMap(RunsService.RunsService, (runs) => runs.getRun("thread_1", "run_1")).pipe(
        Effect.provide(RunsService.layer.pipe(Layer.provide(fake.layer))),
        Effect.fork
      )
      yield* Effect.promise(() => new Promise((resolve) => setTimeout(resolve, 5)))
      expect(Chunk.toReadonlyArray(yield* TestClock.sleeps())).toEqual([3000])
      yield* Fiber.interrupt(fiber)
    }))
})

describe("a response too large is never retried", () => {
  const tooLarge = (status: number) =>
    new RunsError.ResponseTooLargeError({
      message: "The response body is larger than 1024 bytes (maxResponseBytes)",
      limitBytes: 1024,
      status,
      requestId: "req_1",
      attempts: 1
    })

  it("by either policy, whatever its status", () => {
    for (const status of [200, 429, 503]) {
      expect(Retry.isRetryableIdempotent(tooLarge(status))).toBe(false)
      expect(Retry.isRetryableNonIdempotent(tooLarge(status))).toBe(false)
    }
  })

  it.effect("the schedule stops at the first one", () =>
    Effect.gen(function*() {
      let attempts = 0
      const error = yield* Effect.suspend(() => {
        attempts++
        return Effect.fail(tooLarge(503))
      }).pipe(
        Effect.retry(
          Retry.makeSchedule({
            maxRetries: 5,
            backoff: Schedule.spaced("1 millis"),
            isRetryable: Retry.isRetryableIdempotent
          })
        ),
        Effect.flip
      )
      expect(error._tag).toBe("ResponseTooLargeError")
      expect(attempts).toBe(1)
    }))
})
