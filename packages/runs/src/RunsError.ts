/**
 * Every way a Runs API call can fail, as data a program can branch on.
 *
 * Errors never carry the API key: messages built from server text or transport failures are scrubbed first.
 *
 * @since 0.1.0
 */
import * as Predicate from "effect/Predicate"
import * as Schema from "effect/Schema"
import { Run } from "./Run.js"

/**
 * The fields every error that came from an HTTP response carries.
 *
 * - `status`: the HTTP status.
 * - `message`, `type`, `code`, `param`: the server's `{ error: { … } }` body (or the raw text, truncated, as
 *   `message` when the body is not of that shape).
 * - `requestId`: the `x-request-id` header, to quote to the server's operator.
 * - `retryAfterMs`: the wait the server advised (`retry-after-ms` or `retry-after`), if any.
 * - `shouldRetry`: the server's `x-should-retry` header, if present.
 * - `attempts`: how many attempts were made, retries included.
 *
 * @since 0.1.0
 * @category fields
 */
export const ApiErrorFields = {
  status: Schema.Number,
  message: Schema.String,
  type: Schema.NullOr(Schema.String),
  code: Schema.NullOr(Schema.String),
  param: Schema.NullOr(Schema.String),
  requestId: Schema.NullOr(Schema.String),
  retryAfterMs: Schema.NullOr(Schema.Number),
  shouldRetry: Schema.NullOr(Schema.Boolean),
  attempts: Schema.Number
}

/**
 * 400: the server rejected the request as invalid.
 *
 * @since 0.1.0
 * @category errors
 */
export class BadRequestError extends Schema.TaggedError<BadRequestError>()("BadRequestError", ApiErrorFields) {}

/**
 * 401: the API key is missing, wrong or revoked.
 *
 * @since 0.1.0
 * @category errors
 */
export class AuthenticationError
  extends Schema.TaggedError<AuthenticationError>()("AuthenticationError", ApiErrorFields)
{}

/**
 * 403: the key may not do this (organization, project or region).
 *
 * @since 0.1.0
 * @category errors
 */
export class PermissionDeniedError
  extends Schema.TaggedError<PermissionDeniedError>()("PermissionDeniedError", ApiErrorFields)
{}

/**
 * 404: no such thread, run or step.
 *
 * @since 0.1.0
 * @category errors
 */
export class NotFoundError extends Schema.TaggedError<NotFoundError>()("NotFoundError", ApiErrorFields) {}

/**
 * 409: the resource is in a conflicting state.
 *
 * @since 0.1.0
 * @category errors
 */
export class ConflictError extends Schema.TaggedError<ConflictError>()("ConflictError", ApiErrorFields) {}

/**
 * 422: the request was well formed but could not be processed.
 *
 * @since 0.1.0
 * @category errors
 */
export class UnprocessableEntityError
  extends Schema.TaggedError<UnprocessableEntityError>()("UnprocessableEntityError", ApiErrorFields)
{}

/**
 * 429: too many requests, or the quota is used up.
 *
 * @since 0.1.0
 * @category errors
 */
export class RateLimitError extends Schema.TaggedError<RateLimitError>()("RateLimitError", ApiErrorFields) {}

/**
 * 500 and above: the server failed.
 *
 * @since 0.1.0
 * @category errors
 */
export class InternalServerError
  extends Schema.TaggedError<InternalServerError>()("InternalServerError", ApiErrorFields)
{}

/**
 * Any other status that is not 2xx.
 *
 * @since 0.1.0
 * @category errors
 */
export class ApiError extends Schema.TaggedError<ApiError>()("ApiError", ApiErrorFields) {}

/**
 * The request could not be sent, or no complete response came back.
 *
 * `requestSent` is `false` when the connection failed before the request was written (connection refused, DNS
 * failure): the server cannot have acted, so even a non-idempotent call may be sent again.
 *
 * @since 0.1.0
 * @category errors
 */
export class ConnectionError extends Schema.TaggedError<ConnectionError>()("ConnectionError", {
  message: Schema.String,
  requestSent: Schema.Boolean,
  attempts: Schema.Number
}) {}

/**
 * An attempt took longer than the configured timeout and was abandoned.
 *
 * @since 0.1.0
 * @category errors
 */
export class TimeoutError extends Schema.TaggedError<TimeoutError>()("TimeoutError", {
  message: Schema.String,
  timeoutMs: Schema.Number,
  attempts: Schema.Number
}) {}

/**
 * Where a body departs from the expected schema, and how.
 *
 * @since 0.2.0
 * @category models
 */
export const DecodeIssue = Schema.Struct({
  path: Schema.Array(Schema.Union(Schema.String, Schema.Number)),
  message: Schema.String
})

/**
 * @since 0.2.0
 * @category models
 */
export type DecodeIssue = typeof DecodeIssue.Type

/**
 * A 2xx response whose body is not JSON, or not an event stream where one was asked for, or does not match the
 * expected schema.
 *
 * `issues` lists every problem found (the first 20), `path` locates the first (e.g. `["status"]`), `body` is an
 * excerpt of what came.
 *
 * @since 0.1.0
 * @category errors
 */
export class ResponseDecodeError extends Schema.TaggedError<ResponseDecodeError>()("ResponseDecodeError", {
  message: Schema.String,
  path: Schema.Array(Schema.Union(Schema.String, Schema.Number)),
  issues: Schema.optionalWith(Schema.Array(DecodeIssue), { default: () => [] }),
  body: Schema.String,
  status: Schema.Number,
  requestId: Schema.NullOr(Schema.String),
  attempts: Schema.Number
}) {}

/**
 * The server sent more than the client accepts: a body past `maxResponseBytes`, or one event of a stream past
 * `maxEventBytes`. What was received is dropped unread, and the request is never retried (a server that answers
 * this much would answer it again).
 *
 * `limitBytes` is the bound that was passed; `status`, `requestId` and `attempts` are those of the attempt whose
 * answer it was.
 *
 * @since 0.2.0
 * @category errors
 */
export class ResponseTooLargeError extends Schema.TaggedError<ResponseTooLargeError>()("ResponseTooLargeError", {
  message: Schema.String,
  limitBytes: Schema.Number,
  status: Schema.Number,
  requestId: Schema.NullOr(Schema.String),
  attempts: Schema.Number
}) {}

/**
 * The request was rejected before anything was sent: `field` names the input at fault.
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidRequestError extends Schema.TaggedError<InvalidRequestError>()("InvalidRequestError", {
  message: Schema.String,
  field: Schema.String
}) {}

/**
 * The key or token could not be had: the `apiKey` Effect given to the client failed or gave an empty key. Nothing
 * was sent. `cause` is what the Effect failed with.
 *
 * @since 0.2.0
 * @category errors
 */
export class CredentialsError extends Schema.TaggedError<CredentialsError>()("CredentialsError", {
  message: Schema.String,
  cause: Schema.optional(Schema.Unknown)
}) {}

/**
 * A client option that cannot be used (an `apiUrl` that is not http(s) or carries credentials, a negative
 * `maxRetries`, an empty key): the error of building `OpenAiClient`, before any request.
 *
 * @since 0.2.0
 * @category errors
 */
export class InvalidOptionError extends Schema.TaggedError<InvalidOptionError>()("InvalidOptionError", {
  message: Schema.String,
  option: Schema.String
}) {}

/**
 * Polling gave up before the run settled: the poll's `timeout` passed, or its schedule ended. `lastRun` is the last
 * state seen (`null` if no poll had answered yet).
 *
 * @since 0.1.0
 * @category errors
 */
export class PollTimeoutError extends Schema.TaggedError<PollTimeoutError>()("PollTimeoutError", {
  message: Schema.String,
  lastRun: Schema.NullOr(Run),
  polls: Schema.Number
}) {}

/**
 * The server sent an `error` event in the middle of a stream: its message, type, code and param, with the request
 * id and attempt count of the attempt that opened the stream.
 *
 * @since 0.1.0
 * @category errors
 */
export class StreamEventError extends Schema.TaggedError<StreamEventError>()("StreamEventError", {
  message: Schema.String,
  type: Schema.NullOr(Schema.String),
  code: Schema.NullOr(Schema.String),
  param: Schema.NullOr(Schema.String),
  requestId: Schema.NullOr(Schema.String),
  attempts: Schema.Number
}) {}

/**
 * A stream ended without the event a helper needed (e.g. `RunStream.finalRun` without a run that settled):
 * `lastEvent` names the last event received, if any.
 *
 * @since 0.1.0
 * @category errors
 */
export class StreamEndedError extends Schema.TaggedError<StreamEndedError>()("StreamEndedError", {
  message: Schema.String,
  lastEvent: Schema.NullOr(Schema.String)
}) {}

/**
 * An error that came from a non-2xx HTTP response.
 *
 * @since 0.1.0
 * @category models
 */
export type StatusError =
  | BadRequestError
  | AuthenticationError
  | PermissionDeniedError
  | NotFoundError
  | ConflictError
  | UnprocessableEntityError
  | RateLimitError
  | InternalServerError
  | ApiError

/**
 * Every error a Runs API operation can fail with.
 *
 * @since 0.1.0
 * @category models
 */
export type RunsError =
  | StatusError
  | ConnectionError
  | TimeoutError
  | ResponseDecodeError
  | ResponseTooLargeError
  | InvalidRequestError
  | CredentialsError

const statusErrorTags: ReadonlySet<string> = new Set([
  "BadRequestError",
  "AuthenticationError",
  "PermissionDeniedError",
  "NotFoundError",
  "ConflictError",
  "UnprocessableEntityError",
  "RateLimitError",
  "InternalServerError",
  "ApiError"
])

/**
 * Whether an error came from a non-2xx HTTP response (and so has `status`, `requestId`, …).
 *
 * @example
 * ```ts
 * import { RunsError, RunsService } from "@effect-openai/runs"
 * import { Effect } from "effect"
 *
 * const program = Effect.flatMap(RunsService.RunsService, (runs) => runs.getRun("thread_abc123", "run_abc123")).pipe(
 *   Effect.map((run) => run.status as string),
 *   Effect.catchIf(RunsError.isStatusError, (error) => Effect.succeed(`HTTP ${error.status}`))
 * )
 * ```
 *
 * @since 0.1.0
 * @category guards
 */
export const isStatusError = (u: unknown): u is StatusError =>
  Predicate.hasProperty(u, "_tag") && typeof u._tag === "string" && statusErrorTags.has(u._tag)
