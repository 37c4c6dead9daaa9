import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import type * as Fiber from "effect/Fiber"
import * as FiberSet from "effect/FiberSet"
import type * as Scope from "effect/Scope"
import type * as Pipeline from "./pipeline.js"
import type * as Reply from "./reply.js"

/**
 * What every transport of an emulator shares: its request pipeline, the fibers answering requests, and the count of
 * event streams clients closed early.
 *
 * @internal
 */
export interface Core {
  readonly pipeline: (incoming: Pipeline.Incoming) => Effect.Effect<Reply.Reply>
  /** Runs the answer to a request in real time, until the emulator closes. */
  readonly fork: (effect: Effect.Effect<void>) => Fiber.RuntimeFiber<void>
  readonly streamClosed: () => void
  readonly streamsClosedByClient: () => number
}

/** @internal */
export const make = (
  pipeline: (incoming: Pipeline.Incoming) => Effect.Effect<Reply.Reply>
): Effect.Effect<Core, never, Scope.Scope> =>
  Effect.map(FiberSet.makeRuntime<never, void, never>(), (run) => {
    // The emulator keeps real time, even when built in a test whose clock is a TestClock.
    const clock = Clock.make()
    let streamsClosed = 0
    return {
      pipeline,
      fork: (effect) => run(Effect.withClock(effect, clock)),
      streamClosed: () => {
        streamsClosed++
      },
      streamsClosedByClient: () => streamsClosed
    }
  })

const cores = new WeakMap<object, Core>()

/**
 * Attaches a core to the handle of its emulator, out of the handle's public members.
 *
 * @internal
 */
export const attach = <H extends object>(handle: H, core: Core): H => {
  cores.set(handle, core)
  return handle
}

/**
 * The core of an emulator's handle, if it is one.
 *
 * @internal
 */
export const of = (handle: object): Core | undefined => cores.get(handle)
