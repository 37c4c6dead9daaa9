import { Emulator, Fault } from "@effect-openai/runs-emulator"
import { FetchHttpClient } from "@effect/platform"
import { describe, expect, it } from "@effect/vitest"
import { Chunk, Clock, Duration, Effect, Exit, Fiber, Option, Schedule, Schema, TestClock } from "effect"
import { createServer } from "node:net"
import type { AddressInfo } from "node:net"
import { OpenAiClient, RunsError, RunsService } from "../src/index.js"
import * as Retry from "../src/internal/retry.js"
import { type EmulatorLayerOptions, received, requestsArrived, run1, SentAt, withEmulator } from "./support/emulator.js"
import { runOnTestClock } from "./support/testClock.js"

/** An answer with `code` and an empty body instead of the run. */
const status = (code: number, headers: Record<string, string> = {}) => Fault.status(code, { headers, body: "" })
/** No answer before the client gives up: the emulator waits an hour of real time (the client's clock is a TestClock). */
const hang = (times = 1) => Fault.delay(3_600_000, { times })

type ClientOptions = Partial<OpenAiClient.OpenAiClientOptions>

/**
 * Runs `effect` on the TestClock against an emulator holding `run_1` that answers with `faults` first, normally
 * after: its exit, when each attempt was sent (test-clock ms), and how many requests the emulator received.
 */
const attempts = <A, E>(
  effect: Effect.Effect<A, E, RunsService.RunsService | OpenAiClient.OpenAiClient>,
  faults: ReadonlyArray<Fault.Fault>,
  options: Omit<EmulatorLayerOptions, "faults"> = {}
) =>
  Effect.gen(function*() {
    // Below the client's default 60 s timeout: an attempt on its way is given real time to answer. Tests with a
    // shorter timeout make every attempt hang.
    const exit = yield* runOnTestClock(effect, { horizonMillis: 30_000, ready: requestsArrived })
    const times = (yield* SentAt)()
    expect((yield* Emulator.Emulator).requests()).toHaveLength(times.length)
    return { exit, times }
  }).pipe(withEmulator({ runs: [run1], emulator: { lifecycle: { mode: "manual" } }, ...options, faults }))

/** getRun, an idempotent request. */
const getRunWith = (faults: ReadonlyArray<Fault.Fault>, client: ClientOptions = {}) =>
  attempts(Effect.flatMap(RunsService.RunsService, (runs) => runs.getRun("thread_1", "run_1")), faults, { client })

/** A raw non-idempotent request, as createRun or submitToolOutputs send them. */
const create = Effect.flatMap(
  OpenAiClient.OpenAiClient,
  (client) =>
    client.execute(
      { method: "POST", path: ["threads", "thread_1", "runs"], body: { assistant_id: "asst_1" }, idempotent: false },
      Schema.Unknown
    )
)
const createWith = (faults: ReadonlyArray<Fault.Fault>, client: ClientOptions = {}) =>
  attempts(create, faults, { client, seed: (emulator) => emulator.seedAssistant({ id: "asst_1" }) })

/** A loopback port nothing listens on: bound, then closed. */
const closedPort = Effect.async<number>((resume) => {
  const server = createServer()
  server.listen(0, "127.0.0.1", () => {
    const { port } = server.address() as AddressInfo
    server.close(() => resume(Effect.succeed(port)))
  })
})

/**
 * Waits in real time until the TestClock has a sleep due sooner than `beforeMillis` (a backoff, not an attempt's
 * timeout), and gives how far away it is.
 */
const nextSleep = (beforeMillis: number) =>
  Effect.gen(function*() {
    for (let waited = 0; waited < 5_000; waited++) {
      const now = yield* Clock.currentTimeMillis
      const due = Chunk.toReadonlyArray(yield* TestClock.sleeps()).map((at) => at - now).filter((wait) =>
        wait > 0 && wait < beforeMillis
      )
      if (due.length > 0) return Math.min(...due)
      yield* Effect.promise(() => new Promise((resolve) => setTimeout(resolve, 1)))
    }
    return yield* Effect.dieMessage(`no sleep shorter than ${beforeMillis} ms came`)
  })

const failureTag = (exit: Exit.Exit<unknown, { readonly _tag: string }>) =>
  Exit.isFailure(exit) ? exit.cause._tag === "Fail" ? exit.cause.error._tag : exit.cause._tag : "Success"

const gaps = (times: ReadonlyArray<number>) => times.slice(1).map((time, index) => time - times[index]!)

describe("retry policy (idempotent requests)", () => {
  it.effect("retries 5xx with exponential backoff and jitter: ~0.5 s, then ~1 s", () =>
    Effect.gen(function*() {
      const { exit, times } = yield* getRunWith([status(500), status(503)])
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
        const { exit, times } = yield* getRunWith([status(code)])
        expect(Exit.isSuccess(exit)).toBe(true)
        expect(times).toHaveLength(2)
      }))
  }

  for (const code of [400, 401, 403, 404, 422]) {
    it.effect(`never retries ${code}`, () =>
      Effect.gen(function*() {
        const { exit, times } = yield* getRunWith([status(code)])
        expect(Exit.isFailure(exit)).toBe(true)
        expect(times).toHaveLength(1)
      }))
  }

  it.effect("never retries a body that does not decode", () =>
    Effect.gen(function*() {
      const { exit, times } = yield* getRunWith([Fault.status(200, { body: "not json" })])
      expect(failureTag(exit)).toBe("ResponseDecodeError")
      expect(times).toHaveLength(1)
    }))

  it.effect("waits exactly retry-after-ms when the server says so", () =>
    Effect.gen(function*() {
      const { times } = yield* getRunWith([status(429, { "retry-after-ms": "250" })])
      expect(gaps(times)).toEqual([250])
    }))

  it.effect("waits retry-after given in seconds", () =>
    Effect.gen(function*() {
      const { times } = yield* getRunWith([status(503, { "retry-after": "2" })])
      expect(gaps(times)).toEqual([2000])
    }))

  it.effect("waits until a retry-after HTTP date", () =>
    Effect.gen(function*() {
      // The TestClock starts at the epoch: this date is 3 s after it.
      const { times } = yield* getRunWith([status(503, { "retry-after": new Date(3_000).toUTCString() })])
      expect(gaps(times)).toEqual([3000])
    }))

  it.effect("ignores a retry-after over 60 s and falls back to the backoff", () =>
    Effect.gen(function*() {
      const { times } = yield* getRunWith([status(503, { "retry-after": "3600" })])
      expect(gaps(times)[0]).toBeLessThanOrEqual(610)
    }))

  it.effect("x-should-retry: false wins over a retryable status", () =>
    Effect.gen(function*() {
      const { exit, times } = yield* getRunWith([status(503, { "x-should-retry": "false" })])
      expect(failureTag(exit)).toBe("InternalServerError")
      expect(times).toHaveLength(1)
    }))

  it.effect("x-should-retry: true wins over a status that is not retried", () =>
    Effect.gen(function*() {
      const { exit, times } = yield* getRunWith([status(400, { "x-should-retry": "true" })])
      expect(Exit.isSuccess(exit)).toBe(true)
      expect(times).toHaveLength(2)
    }))

  it.effect("retries connection failures", () =>
    Effect.gen(function*() {
      const { exit, times } = yield* getRunWith([Fault.reset()])
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
      const { times } = yield* getRunWith([status(500)], { maxRetries: 0 })
      expect(times).toHaveLength(1)
    }))

  it.effect("a custom retrySchedule replaces the backoff", () =>
    Effect.gen(function*() {
      const { times } = yield* getRunWith([status(500), status(500)], {
        retrySchedule: Schedule.spaced("100 millis")
      })
      expect(gaps(times)).toEqual([100, 100])
    }))

  it.effect("the backoff is capped at 8 s", () =>
    Effect.gen(function*() {
      const { times } = yield* getRunWith([Fault.status(500, { times: Infinity })], { maxRetries: 6 })
      expect(times).toHaveLength(7)
      const last = gaps(times).at(-1)!
      expect(last).toBeLessThanOrEqual(8_000.001)
      expect(last).toBeGreaterThanOrEqual(6_400)
    }))

  it.effect("a hung attempt times out after the configured timeout and is retried", () =>
    Effect.gen(function*() {
      // Driven by hand: the retry's own 2 s timeout must not be jumped to while its answer is on the way.
      const fiber = yield* Effect.fork(
        Effect.flatMap(RunsService.RunsService, (runs) => runs.getRun("thread_1", "run_1"))
      )
      yield* received(1)
      yield* TestClock.adjust("1999 millis")
      expect(yield* Fiber.poll(fiber)).toEqual(Option.none())
      yield* TestClock.adjust("1 millis")
      yield* TestClock.adjust(yield* nextSleep(2_000))
      const run = yield* Fiber.join(fiber)
      expect(run.id).toBe("run_1")
      const times = (yield* SentAt)()
      expect(times).toHaveLength(2)
      expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(2_000)
      expect((yield* Emulator.Emulator).requests()).toHaveLength(2)
    }).pipe(withEmulator({ runs: [run1], faults: [hang()], client: { timeout: "2 seconds" } })))

  it.effect("every attempt timing out ends in a TimeoutError", () =>
    Effect.gen(function*() {
      const { exit, times } = yield* getRunWith([hang(2)], { timeout: "1 second", maxRetries: 1 })
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
      const { exit, times } = yield* createWith([status(500)])
      expect(failureTag(exit)).toBe("InternalServerError")
      expect(times).toHaveLength(1)
    }))

  it.effect("a timeout is returned, not re-sent", () =>
    Effect.gen(function*() {
      const { exit, times } = yield* createWith([hang()], { timeout: "1 second" })
      expect(failureTag(exit)).toBe("TimeoutError")
      expect(times).toHaveLength(1)
    }))

  it.effect("a connection dropped after sending is returned, not re-sent", () =>
    Effect.gen(function*() {
      const { exit, times } = yield* createWith([Fault.reset()])
      expect(failureTag(exit)).toBe("ConnectionError")
      expect(times).toHaveLength(1)
    }))

  it.scoped("a refused connection is retried: the server cannot have acted", () =>
    Effect.gen(function*() {
      // Nothing listens on the port at the first attempt; the emulator does by the second.
      const port = yield* closedPort
      const client = OpenAiClient.layer({ apiKey: "sk-emulator", apiUrl: `http://127.0.0.1:${port}/v1` })
      const fiber = yield* create.pipe(Effect.provide(client), Effect.provide(FetchHttpClient.layer), Effect.fork)
      yield* nextSleep(60_000)
      const emulator = yield* Emulator.make({ port, lifecycle: { mode: "manual" } })
      emulator.seedRun(run1)
      emulator.seedAssistant({ id: "asst_1" })
      const exit = yield* runOnTestClock(Fiber.join(fiber), { horizonMillis: 30_000 })
      expect(Exit.isSuccess(exit) && exit.value.attempts).toBe(2)
      expect(emulator.requests().map((request) => `${request.method} ${request.path}`)).toEqual([
        "POST /v1/threads/thread_1/runs"
      ])
    }))

  it.effect("429 is retried", () =>
    Effect.gen(function*() {
      const { exit, times } = yield* createWith([status(429, { "retry-after-ms": "10" })])
      expect(Exit.isSuccess(exit)).toBe(true)
      expect(gaps(times)).toEqual([10])
    }))

  it.effect("x-should-retry: true is retried", () =>
    Effect.gen(function*() {
      const { exit, times } = yield* createWith([status(500, { "x-should-retry": "true" })])
      expect(Exit.isSuccess(exit)).toBe(true)
      expect(times).toHaveLength(2)
    }))
})

describe("timeout: infinity", () => {
  const pendingGetRun = (client: ClientOptions) =>
    Effect.gen(function*() {
      const fiber = yield* Effect.fork(
        Effect.flatMap(RunsService.RunsService, (runs) => runs.getRun("thread_1", "run_1"))
      )
      yield* received(1)
      const sleeps = Chunk.toReadonlyArray(yield* TestClock.sleeps())
      yield* Fiber.interrupt(fiber)
      return sleeps
    }).pipe(withEmulator({ runs: [run1], faults: [hang()], client: { maxRetries: 0, ...client } }))

  it.effect("turns the per-attempt timeout off: no timer waits beside a slow answer", () =>
    Effect.gen(function*() {
      expect(yield* pendingGetRun({ timeout: Duration.infinity })).toEqual([])
    }))

  it.effect("while a finite timeout keeps one", () =>
    Effect.gen(function*() {
      expect(yield* pendingGetRun({ timeout: "3 seconds" })).toEqual([3000])
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
