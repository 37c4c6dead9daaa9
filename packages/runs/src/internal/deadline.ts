/**
 * A time bound on one attempt. Under the live clock it is a plain timer that interrupts the attempt's fiber: one
 * fork, where `Effect.timeoutFail` races two fibers and waits for the loser. Under any other clock (a `TestClock`)
 * it is `Effect.timeoutFail` itself, so tests drive it as they drive every other wait. Either way the attempt is
 * interrupted (its request aborted) and the bound fails with `onTimeout()`.
 *
 * @internal
 */
import type * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as FiberId from "effect/FiberId"

/** The clock every runtime starts with; a program that brings its own clock takes the general path. */
const liveClock: Clock.Clock = Effect.runSync(Effect.clock)

const withTimer = <A, E, E2>(
  self: Effect.Effect<A, E>,
  millis: number,
  onTimeout: () => E2
): Effect.Effect<A, E | E2> =>
  Effect.uninterruptibleMask((restore) =>
    Effect.flatMap(Effect.fork(restore(self)), (attempt) =>
      restore(Effect.async<A, E | E2>((resume) => {
        let settled = false
        const timer = setTimeout(() => {
          if (settled) return
          settled = true
          attempt.unsafeInterruptAsFork(FiberId.none)
          resume(Effect.fail(onTimeout()))
        }, millis)
        attempt.addObserver((exit) => {
          if (settled) return
          settled = true
          clearTimeout(timer)
          resume(exit)
        })
        return Effect.sync(() => {
          settled = true
          clearTimeout(timer)
          attempt.unsafeInterruptAsFork(FiberId.none)
        })
      })))
  )

/**
 * `self`, failing with `onTimeout()` when it takes longer than `duration`; an infinite duration leaves it alone.
 *
 * @internal
 */
export const bound = <A, E, E2>(
  self: Effect.Effect<A, E>,
  duration: Duration.Duration,
  onTimeout: () => E2
): Effect.Effect<A, E | E2> =>
  !Duration.isFinite(duration)
    ? self
    : Effect.clockWith((clock) =>
      clock === liveClock
        ? withTimer(self, Duration.toMillis(duration), onTimeout)
        : Effect.timeoutFail(self, { duration, onTimeout })
    )
