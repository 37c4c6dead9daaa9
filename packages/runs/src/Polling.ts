/**
 * How the polling operations (`pollRun`, `createAndPoll`, `watchRun`, the tool loop) wait between polls and when
 * they give up.
 *
 * @since 0.2.0
 */
import * as Duration from "effect/Duration"
import type * as Schedule from "effect/Schedule"
import type * as Run from "./Run.js"
import type * as RunsError from "./RunsError.js"

/**
 * The bound on a whole poll when `timeout` is not given: 15 minutes.
 *
 * The API expires a run that has not finished 10 minutes after it was created (`expires_at`): a run that is
 * `queued`, `in_progress` or `requires_action` that long becomes `expired`, which ends every poll. 15 minutes is
 * that, plus room for what a poll itself takes (each request may be retried: by default 3 attempts of up to 60
 * seconds and the backoff between them) and for clocks that disagree. So a poll of a real run never reaches it,
 * and a poll of a server whose run never settles ends with `PollTimeoutError` instead of running forever.
 *
 * @example
 * ```ts
 * import { Polling, RunsService } from "@effect-openai/runs"
 * import { Duration, Effect } from "effect"
 *
 * // Poll for longer than the default, or without a bound at all
 * const patient = Effect.flatMap(RunsService.RunsService, (runs) =>
 *   runs.pollRun("thread_abc123", "run_abc123", { timeout: Duration.sum(Polling.defaultTimeout, "15 minutes") }))
 * const forever = Effect.flatMap(RunsService.RunsService, (runs) =>
 *   runs.pollRun("thread_abc123", "run_abc123", { timeout: Duration.infinity }))
 * ```
 *
 * @since 0.2.0
 * @category constants
 */
export const defaultTimeout: Duration.Duration = Duration.minutes(15)

/**
 * How to poll a run:
 * - `interval`: the wait between polls when the server does not advise one with `openai-poll-after-ms`
 *   (default 1 second; never less than 100 ms);
 * - `schedule`: a `Schedule` fed with each Run seen, deciding every wait instead (the poll fails with
 *   `PollTimeoutError` when it ends);
 * - `timeout`: a bound on the whole poll, default {@link defaultTimeout} (15 minutes); it fails with
 *   `PollTimeoutError` carrying the last Run seen. `Duration.infinity` polls until the run settles, however long.
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
