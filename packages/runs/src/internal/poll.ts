/**
 * Polling a run until its status satisfies a condition, as a stream of what each poll saw.
 *
 * @internal
 */
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Ref from "effect/Ref"
import * as Schedule from "effect/Schedule"
import * as Stream from "effect/Stream"
import { defaultTimeout, type PollOptions } from "../Polling.js"
import type * as Run from "../Run.js"
import * as RunsError from "../RunsError.js"
import { parseMillis } from "./wireErrors.js"

/**
 * A run as one poll saw it, with the wait the server advised before the next poll.
 *
 * @internal
 */
export interface Observation {
  readonly run: Run.Run
  readonly pollAfter: Option.Option<Duration.Duration>
}

/** No wait is shorter than this, whatever the server advises: a poll never spins. */
const minimumWait = Duration.millis(100)

/** The longest server-advised wait that is honoured. */
const maximumAdvisedWait = Duration.seconds(60)

/**
 * What a poll saw: the run of a 2xx answer and the wait its headers advise.
 *
 * @internal
 */
export const observation = (response: {
  readonly value: Run.Run
  readonly headers: Readonly<Record<string, string | undefined>>
}): Observation => ({ run: response.value, pollAfter: pollAfter(response.headers) })

/**
 * The run an observation saw.
 *
 * @internal
 */
export const runOf = (observation: Observation): Run.Run => observation.run

/**
 * The `openai-poll-after-ms` header as a duration: digits (and an optional decimal part) only, as `retry-after-ms`.
 *
 * @internal
 */
export const pollAfter = (headers: Readonly<Record<string, string | undefined>>): Option.Option<Duration.Duration> => {
  const millis = parseMillis(headers["openai-poll-after-ms"])
  return millis !== null
    ? Option.some(Duration.clamp(Duration.millis(millis), { minimum: minimumWait, maximum: maximumAdvisedWait }))
    : Option.none()
}

const makeWait = (options: PollOptions) => {
  if (options.schedule === undefined) {
    const interval = Duration.max(Duration.decode(options.interval ?? Duration.seconds(1)), minimumWait)
    return Effect.succeed((previous: Observation, _polls: number) =>
      Effect.sleep(Option.getOrElse(previous.pollAfter, () => interval))
    )
  }
  return Effect.map(
    Schedule.driver(options.schedule),
    (driver) => (previous: Observation, polls: number) =>
      Effect.asVoid(driver.next(previous.run)).pipe(
        Effect.catchAll(() =>
          Effect.fail(
            new RunsError.PollTimeoutError({
              message: `The poll schedule ended after ${polls} polls, before the run settled`,
              lastRun: previous.run,
              polls
            })
          )
        )
      )
  )
}

/**
 * Every state of a run that polling sees, ending with the first one whose status satisfies `until`.
 *
 * `first`, when given, is a state already known (the answer of a create or submit): it is emitted first and polling
 * starts after the wait it advises. Waits are interruptible; `timeout` (default `Polling.defaultTimeout`, 15
 * minutes; `Duration.infinity` for none) fails the stream with a {@link RunsError.PollTimeoutError} carrying the last
 * state seen.
 *
 * @internal
 */
export const observe = (
  poll: Effect.Effect<Observation, RunsError.RunsError>,
  until: (status: Run.RunStatus) => boolean,
  options: PollOptions,
  first?: Observation
): Stream.Stream<Run.Run, RunsError.RunsError | RunsError.PollTimeoutError> =>
  Stream.unwrap(Effect.gen(function*() {
    const wait = yield* makeWait(options)
    const last = yield* Ref.make<Run.Run | null>(first?.run ?? null)
    const polls = yield* Ref.make(0)
    const pollOnce = Effect.tap(
      poll,
      (seen) => Effect.zipRight(Ref.set(last, seen.run), Ref.update(polls, (n) => n + 1))
    )
    const next = (previous: Observation | undefined) =>
      Effect.gen(function*() {
        if (previous !== undefined) yield* wait(previous, yield* Ref.get(polls))
        const seen = yield* pollOnce
        return [seen.run, until(seen.run.status) ? Option.none() : Option.some(seen)] as const
      })
    const runs = first === undefined
      ? Stream.paginateEffect(undefined as Observation | undefined, next)
      : until(first.run.status)
      ? Stream.make(first.run)
      : Stream.concat(Stream.make(first.run), Stream.paginateEffect(first as Observation | undefined, next))
    const timeout = Duration.decode(options.timeout ?? defaultTimeout)
    if (!Duration.isFinite(timeout)) return runs
    const timedOut = Effect.gen(function*() {
      yield* Effect.sleep(timeout)
      return yield* new RunsError.PollTimeoutError({
        message: `The run did not settle within ${Duration.format(timeout)}`,
        lastRun: yield* Ref.get(last),
        polls: yield* Ref.get(polls)
      })
    })
    return Stream.interruptWhen(runs, timedOut)
  }))
