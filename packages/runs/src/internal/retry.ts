/**
 * Which failures are retried, and how long to wait before the next attempt.
 *
 * @internal
 */
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Schedule from "effect/Schedule"
import * as RunsError from "../RunsError.js"

/**
 * Retry decision for requests that are safe to repeat (reads, modify): the server's `x-should-retry` decides first;
 * otherwise connection failures, timeouts, 408, 409, 429 and 5xx are retried, and nothing else: never a body that did
 * not decode or was too large, nor a request refused before sending.
 *
 * @internal
 */
export const isRetryableIdempotent = (error: RunsError.RunsError): boolean => {
  switch (error._tag) {
    case "ConnectionError":
    case "TimeoutError":
      return true
    case "ResponseDecodeError":
    case "ResponseTooLargeError":
    case "InvalidRequestError":
    case "CredentialsError":
      return false
    default:
      return error.shouldRetry ?? isTransientStatus(error.status)
  }
}

/**
 * Retry decision for requests that must never run twice (create, submit tool outputs): only failures where the
 * server cannot have acted, or said to retry: a connection that failed before the request was written, 429, and
 * `x-should-retry: true`. A timeout or a 5xx is returned to the caller.
 *
 * @internal
 */
export const isRetryableNonIdempotent = (error: RunsError.RunsError): boolean => {
  switch (error._tag) {
    case "ConnectionError":
      return !error.requestSent
    case "TimeoutError":
    case "ResponseDecodeError":
    case "ResponseTooLargeError":
    case "InvalidRequestError":
    case "CredentialsError":
      return false
    default:
      return error.shouldRetry ?? error.status === 429
  }
}

const isTransientStatus = (status: number): boolean =>
  status === 408 || status === 409 || status === 429 || status >= 500

/**
 * The default backoff: 0.5 s × 2ⁿ with jitter, capped at 8 s.
 *
 * @internal
 */
export const defaultBackoff: Schedule.Schedule<unknown> = Schedule.exponential("500 millis", 2).pipe(
  Schedule.jittered,
  Schedule.modifyDelay((_, delay) => Duration.min(delay, Duration.seconds(8)))
)

const serverAdvisedDelay = (error: RunsError.RunsError): Duration.Duration | undefined =>
  RunsError.isStatusError(error) && error.retryAfterMs !== null ? Duration.millis(error.retryAfterMs) : undefined

/**
 * Why a failure is retried, in a few words: its tag, and its status when it has one.
 *
 * @internal
 */
export const reason = (error: RunsError.RunsError): string =>
  RunsError.isStatusError(error) ? `${error._tag} (HTTP ${error.status})` : error._tag

/** A debug log line for a retry about to wait `delay` (nothing at all unless debug logging is on). */
const logRetry = (error: RunsError.RunsError, delay: Duration.Duration): Effect.Effect<Duration.Duration> =>
  Effect.as(
    Effect.whenLogLevel(
      Effect.logDebug("OpenAI request retrying").pipe(
        Effect.annotateLogs({
          "openai.retry_in_ms": Duration.toMillis(delay),
          "openai.retry_reason": reason(error),
          ...(RunsError.isStatusError(error) && error.retryAfterMs !== null
            ? { "openai.retry_after_ms": error.retryAfterMs }
            : {})
        })
      ),
      "Debug"
    ),
    delay
  )

/**
 * The retry schedule of a request: at most `maxRetries` retries of the failures `isRetryable` accepts, waiting what
 * the server advised (`retry-after-ms` / `retry-after`), else what `backoff` says; each wait is logged at debug level
 * with its reason.
 *
 * @internal
 */
export const makeSchedule = (options: {
  readonly maxRetries: number
  readonly backoff: Schedule.Schedule<unknown, any>
  readonly isRetryable: (error: RunsError.RunsError) => boolean
}): Schedule.Schedule<unknown, RunsError.RunsError> =>
  options.backoff.pipe(
    Schedule.intersect(Schedule.recurs(options.maxRetries)),
    Schedule.intersect(Schedule.identity<RunsError.RunsError>()),
    Schedule.whileInput(options.isRetryable),
    Schedule.modifyDelayEffect(([, error], delay) => logRetry(error, serverAdvisedDelay(error) ?? delay))
  )
