/**
 * Driving the `TestClock` for effects that sleep (retries, backoffs, polling) while real I/O goes on.
 */
import { Chunk, Clock, Effect, Exit, Fiber, TestClock } from "effect"

/** Lets pending I/O (promises, sockets) make progress: one real millisecond, never a test's worth of sleeping. */
const settle = Effect.promise(() => new Promise<void>((resolve) => setTimeout(resolve, 1)))

/**
 * Runs `effect` under the `TestClock`, jumping time straight to each pending sleep until it completes: retries,
 * backoffs, polls and timeouts happen exactly, without real waiting. Sleeps further away than `horizonMillis` (a
 * generous request timeout, say) are not jumped to: the effect is waiting on I/O, which is given real time to
 * answer instead. While `ready` (say, "every request sent has reached the server") is false, and for a few real
 * milliseconds after it turns true (the answer's way back), no time is jumped: a timeout must not fire before its
 * request has been answered.
 */
export const runOnTestClock = <A, E, R, R2 = never>(
  effect: Effect.Effect<A, E, R>,
  options: { readonly horizonMillis?: number; readonly ready?: Effect.Effect<boolean, never, R2> } = {}
) =>
  Effect.gen(function*() {
    const horizon = options.horizonMillis ?? Number.POSITIVE_INFINITY
    const fiber = yield* Effect.fork(effect)
    let readyFor = 0
    for (let idle = 0; idle < 5_000;) {
      yield* settle
      const done = yield* Fiber.poll(fiber)
      if (done._tag === "Some") return done.value
      const now = yield* Clock.currentTimeMillis
      const due = Chunk.toReadonlyArray(yield* TestClock.sleeps()).filter((at) => at - now <= horizon)
      readyFor = options.ready === undefined || (yield* options.ready) ? readyFor + 1 : 0
      if (due.length === 0 || (options.ready !== undefined && readyFor < 3)) {
        idle++
        continue
      }
      yield* TestClock.adjust(Math.max(0, Math.min(...due) - now))
      idle = 0
    }
    yield* Fiber.interrupt(fiber)
    return Exit.die(new Error("the effect neither completed nor slept for 5 s of real time")) as Exit.Exit<A, E>
  })
