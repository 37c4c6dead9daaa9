/**
 * When runs move from one status to the next.
 *
 * @since 0.1.0
 */

/**
 * Every read of a run (getRun, listRuns) first advances it by `stepsPerPoll` transitions (default 1); reads
 * of its steps do not. Fully deterministic: the default.
 *
 * @since 0.1.0
 * @category models
 */
export interface PerRequest {
  readonly mode: "perRequest"
  readonly stepsPerPoll?: number
}

/**
 * Runs move on the wall clock: each status lasts its duration (defaults: queued 500 ms, in progress
 * 1000 ms per script item, cancelling 500 ms). For demos.
 *
 * @since 0.1.0
 * @category models
 */
export interface Time {
  readonly mode: "time"
  readonly durations?: {
    readonly queuedMs?: number
    readonly inProgressMs?: number
    readonly cancellingMs?: number
  }
}

/**
 * Runs move only when the test calls `advance` or `advanceAll` on the emulator.
 *
 * @since 0.1.0
 * @category models
 */
export interface Manual {
  readonly mode: "manual"
}

/**
 * @since 0.1.0
 * @category models
 */
export type Lifecycle = PerRequest | Time | Manual

/**
 * @example
 * ```ts
 * import { Emulator, Lifecycle } from "@effect-openai/runs-emulator"
 *
 * // every read of a run moves it one status on: queued, in_progress, then the script
 * const emulator = Emulator.make({ lifecycle: Lifecycle.perRequest })
 * ```
 *
 * @since 0.1.0
 * @category constants
 */
export const perRequest: Lifecycle = { mode: "perRequest", stepsPerPoll: 1 }
