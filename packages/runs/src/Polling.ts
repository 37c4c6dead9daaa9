/**
 * How the polling operations (`pollRun`, `createAndPoll`, `watchRun`, the tool loop) wait between polls and when
 * they give up.
 *
 * @since 0.2.0
 */
import type * as Duration from "effect/Duration"
import type * as Schedule from "effect/Schedule"
import type * as Run from "./Run.js"
import type * as RunsError from "./RunsError.js"

/**
 * How to poll a run:
 * - `interval`: the wait between polls when the server does not advise one with `openai-poll-after-ms`
 *   (default 1 second; never less than 100 ms);
 * - `schedule`: a `Schedule` fed with each Run seen, deciding every wait instead (the poll fails with
 *   `PollTimeoutError` when it ends);
 * - `timeout`: a bound on the whole poll; it fails with `PollTimeoutError` carrying the last Run seen.
 *
 * @since 0.2.0
 * @category models
 */
export interface PollOptions {
  readonly interval?: Duration.DurationInput | undefined
  readonly schedule?: Schedule.Schedule<unknown, Run.Run> | undefined
  readonly timeout?: Duration.DurationInput | undefined
}

/**
 * A failure of a polling operation.
 *
 * @since 0.2.0
 * @category models
 */
export type PollError = RunsError.RunsError | RunsError.PollTimeoutError
