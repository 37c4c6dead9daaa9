import { Emulator } from "@effect-openai/runs-emulator"
import { describe, expect, it } from "@effect/vitest"
import { Cause, Duration, Effect, Exit, Fiber, Option, Stream, TestClock } from "effect"
import { Polling, RunsService } from "../src/index.js"
import { pollAfter } from "../src/internal/poll.js"
import { requestsArrived, SentAt, withEmulator } from "./support/emulator.js"
import { runOnTestClock } from "./support/testClock.js"

const service = RunsService.RunsService

/**
 * An emulator whose runs never move on their own: `run_1` stays `in_progress`, a new run stays `queued`; it advises
 * a poll a minute (the longest advice the client honours), so the polls' own intervals decide nothing shorter.
 */
const neverSettles = withEmulator({
  runs: [{ id: "run_1", thread_id: "thread_1", status: "in_progress" }],
  emulator: { lifecycle: { mode: "manual" }, pollAfterMs: 60_000 },
  seed: (emulator) => {
    emulator.seedAssistant({ id: "asst_1" })
    emulator.seedThread({ id: "thread_2" })
  }
})

/** Lets the emulator's answers through, in real time. */
const settle = Effect.promise(() => new Promise<void>((resolve) => setTimeout(resolve, 2)))

describe("polling never hangs, even without options", () => {
  it("the default timeout is 15 minutes: the API expires an unfinished run after 10", () => {
    expect(Duration.toMillis(Polling.defaultTimeout)).toBe(15 * 60 * 1000)
  })

  it.effect("pollRun without a timeout gives up after 15 minutes with PollTimeoutError and the last run", () =>
    Effect.gen(function*() {
      const started = yield* TestClock.currentTimeMillis
      const exit = yield* runOnTestClock(
        Effect.flatMap(service, (runs) => runs.pollRun("thread_1", "run_1", { interval: "1 minute" })),
        { ready: requestsArrived }
      )
      const error = Exit.isFailure(exit) ? Cause.failureOption(exit.cause).pipe(Option.getOrUndefined) : undefined
      expect(error?._tag).toBe("PollTimeoutError")
      if (error?._tag !== "PollTimeoutError") return
      expect(error.message).toBe("The run did not settle within 15m")
      expect(error.lastRun?.status).toBe("in_progress")
      // A poll every minute from 0 (the one due at 15 minutes may or may not start before the timeout fires).
      const times = (yield* SentAt)().map((at) => at - started)
      expect(times.slice(0, 15)).toEqual(Array.from({ length: 15 }, (_, minute) => minute * 60_000))
      expect(Math.max(...times)).toBeLessThanOrEqual(15 * 60_000)
      expect(error.polls).toBe(times.length)
    }).pipe(neverSettles))

  it.effect("the poll is still running one second before the default timeout", () =>
    Effect.gen(function*() {
      const fiber = yield* Effect.fork(
        Effect.flatMap(service, (runs) => runs.pollRun("thread_1", "run_1", { interval: "1 minute" }))
      )
      for (let minute = 0; minute < 14; minute++) {
        yield* settle
        yield* TestClock.adjust("1 minute")
      }
      yield* settle
      yield* TestClock.adjust("59 seconds")
      yield* settle
      expect(yield* Fiber.poll(fiber)).toEqual(Option.none())
      yield* TestClock.adjust("1 second")
      const exit = yield* Fiber.await(fiber)
      expect(Exit.isFailure(exit) && Exit.causeOption(exit).pipe(Option.map(String), Option.getOrElse(() => "")))
        .toContain("PollTimeoutError")
    }).pipe(neverSettles))

  it.effect("createAndPoll and watchRun have the same default bound", () =>
    Effect.gen(function*() {
      const created = yield* runOnTestClock(
        Effect.flatMap(service, (runs) =>
          runs.createAndPoll("thread_2", { assistant_id: "asst_1" }, { interval: "5 minutes" })),
        { ready: requestsArrived }
      )
      expect(String(Exit.isFailure(created) && created.cause)).toContain("PollTimeoutError")
      const watched = yield* runOnTestClock(
        Effect.flatMap(service, (runs) =>
          Stream.runDrain(runs.watchRun("thread_1", "run_1", { interval: "5 minutes" }))),
        { ready: requestsArrived }
      )
      expect(String(Exit.isFailure(watched) && watched.cause)).toContain("PollTimeoutError")
    }).pipe(neverSettles))

  it.effect("timeout: Duration.infinity polls for as long as it takes", () =>
    Effect.gen(function*() {
      const fiber = yield* Effect.fork(
        Effect.flatMap(service, (runs) =>
          runs.pollRun("thread_1", "run_1", { interval: "10 minutes", timeout: Duration.infinity }))
      )
      for (let step = 0; step < 12; step++) {
        yield* settle
        yield* TestClock.adjust("10 minutes")
      }
      yield* settle
      expect(yield* Fiber.poll(fiber)).toEqual(Option.none())
      expect((yield* Emulator.Emulator).requests().length).toBeGreaterThanOrEqual(12)
      yield* Fiber.interrupt(fiber)
    }).pipe(neverSettles))
})

describe("openai-poll-after-ms is a number of milliseconds, nothing else", () => {
  for (const value of ["0x10", "1e3", "-5", "Infinity", "", "5 s", "+5"]) {
    it(`${JSON.stringify(value)} is no advice`, () => {
      expect(pollAfter({ "openai-poll-after-ms": value })).toEqual(Option.none())
    })
  }

  it("digits, with a decimal part, are", () => {
    expect(pollAfter({ "openai-poll-after-ms": "250" })).toEqual(Option.some(Duration.millis(250)))
    expect(pollAfter({ "openai-poll-after-ms": "250.5" })).toEqual(Option.some(Duration.millis(250.5)))
  })
})
