/**
 * The one place that turns wire failures (statuses, error bodies, transport errors) into typed errors.
 *
 * @internal
 */
import type * as Headers from "@effect/platform/Headers"
import * as Either from "effect/Either"
import * as Predicate from "effect/Predicate"
import * as RunsError from "../RunsError.js"
import * as Json from "./json.js"
import { scrubbedExcerpt, scrubOrNull } from "./redact.js"

/** The longest server-advised wait that is honoured; a longer one falls back to the client's own backoff. */
const maxServerDelayMs = 60_000

/**
 * What one attempt knows when it builds an error.
 *
 * @internal
 */
export interface AttemptContext {
  readonly attempts: number
  readonly nowMs: number
  readonly scrub: (text: string) => string
}

/**
 * The `x-request-id` of a response, scrubbed: a server could echo anything there, the key included.
 *
 * @internal
 */
export const requestId = (headers: Headers.Headers, scrub: (text: string) => string): string | null =>
  scrubOrNull(headers["x-request-id"], scrub)

/**
 * The wait a response advises: `retry-after-ms` (a non-negative decimal number of milliseconds, as OpenAI sends
 * it), else `retry-after` as RFC 9110 defines it: `delay-seconds` (`1*DIGIT`) or an HTTP date. Anything else (`0x10`,
 * `1e3`, `-1`, `5s`, a lenient date such as `5`) is no advice. Only waits from 0 to 60 seconds count.
 *
 * @internal
 */
export const retryAfterMs = (headers: Headers.Headers, nowMs: number): number | null => {
  const millis = parseMillis(headers["retry-after-ms"])
  const delay = millis ?? retryAfterHeader(headers["retry-after"], nowMs)
  return delay !== null && delay >= 0 && delay <= maxServerDelayMs ? delay : null
}

/** Optional whitespace around a field value (RFC 9110 OWS) is not part of it. */
const trimOws = (value: string): string => value.replace(/^[ \t]+|[ \t]+$/g, "")

const retryAfterHeader = (value: string | undefined, nowMs: number): number | null => {
  if (value === undefined) return null
  const trimmed = trimOws(value)
  if (/^[0-9]+$/.test(trimmed)) return Number(trimmed) * 1000
  const date = parseHttpDate(trimmed)
  return date === null ? null : date - nowMs
}

/**
 * A header holding a number of milliseconds (`retry-after-ms`, `openai-poll-after-ms`): digits, with an optional
 * decimal part; `null` for anything else (`0x10`, `1e3`, `-5`, `Infinity`).
 *
 * @internal
 */
export const parseMillis = (value: string | undefined): number | null => {
  if (value === undefined) return null
  const trimmed = trimOws(value)
  return /^[0-9]+(?:\.[0-9]+)?$/.test(trimmed) ? Number(trimmed) : null
}

const day = "(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)"
const longDay = "(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
const month = "(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)"
const time = "[0-9]{2}:[0-9]{2}:[0-9]{2}"

/** The three forms of RFC 9110's `HTTP-date`: IMF-fixdate, and the obsolete RFC 850 and asctime forms. */
const httpDate = new RegExp(
  `^(?:${day}, [0-9]{2} ${month} [0-9]{4} ${time} GMT|${longDay}, [0-9]{2}-${month}-[0-9]{2} ${time} GMT|` +
    `${day} ${month} (?:[0-9]{2}| [0-9]) ${time} [0-9]{4})$`
)

/**
 * An `HTTP-date` (RFC 9110 §5.6.7) as epoch milliseconds, or `null` when the text is not one. `Date.parse` alone
 * accepts far more (`5`, `1e3`, …).
 *
 * @internal
 */
export const parseHttpDate = (value: string): number | null => {
  if (!httpDate.test(value)) return null
  // The asctime form has no zone: it is GMT.
  const date = Date.parse(value.endsWith("GMT") ? value : `${value} GMT`)
  return Number.isNaN(date) ? null : date
}

/**
 * The `x-should-retry` header: `true`, `false`, or `null` when absent or unreadable.
 *
 * @internal
 */
export const shouldRetry = (headers: Headers.Headers): boolean | null => {
  const value = headers["x-should-retry"]?.trim().toLowerCase()
  return value === "true" ? true : value === "false" ? false : null
}

/** The longest server-given error field kept whole; a longer one is cut (after scrubbing). */
const maxFieldLength = 4096

const field = (text: unknown, scrub: (text: string) => string): string | null =>
  typeof text === "string" ? scrubbedExcerpt(text, scrub, maxFieldLength) : null

/**
 * The `message`, `type`, `code` and `param` of an error object as the API writes them (`code` may be a number),
 * every string scrubbed, then cut at 4,096 characters; `message` is `null` when it is not a string.
 *
 * @internal
 */
export const errorFields = (error: Readonly<Record<string, unknown>>, scrub: (text: string) => string) => ({
  message: field(error.message, scrub),
  type: field(error.type, scrub),
  code: field(typeof error.code === "number" ? String(error.code) : error.code, scrub),
  param: field(error.param, scrub)
})

/**
 * The error object of a failed response's body: the API's `{ error: { message, type, code, param } }`, or the
 * shapes other servers use: `{ error: "text" }`, or a top-level `message` (Fastify's
 * `{ message, error, statusCode }`, whose `error` becomes the type). `null` when the body is none of these (or not
 * JSON, or nests too deeply: {@link Json.parse}).
 */
const parseErrorBody = (text: string): Readonly<Record<string, unknown>> | null => {
  const parsed = Json.parse(text)
  if (Either.isLeft(parsed)) return null
  const json = parsed.right
  if (!Predicate.isRecord(json)) return null
  if (Predicate.isRecord(json.error)) return json.error
  if (typeof json.message === "string") return { message: json.message, type: json.error, code: json.code }
  return typeof json.error === "string" ? { message: json.error, code: json.code } : null
}

const statusErrorClass = (status: number) => {
  switch (status) {
    case 400:
      return RunsError.BadRequestError
    case 401:
      return RunsError.AuthenticationError
    case 403:
      return RunsError.PermissionDeniedError
    case 404:
      return RunsError.NotFoundError
    case 409:
      return RunsError.ConflictError
    case 422:
      return RunsError.UnprocessableEntityError
    case 429:
      return RunsError.RateLimitError
    default:
      return status >= 500 ? RunsError.InternalServerError : RunsError.ApiError
  }
}

/**
 * The typed error of a non-2xx response. A body of none of the error shapes still gives the class of its status,
 * with the raw text (truncated) as message.
 *
 * @internal
 */
export const fromResponse = (
  status: number,
  headers: Headers.Headers,
  text: string,
  context: AttemptContext
): RunsError.StatusError => {
  const error = parseErrorBody(text)
  const fields = error === null ? null : errorFields(error, context.scrub)
  const quoted = scrubbedExcerpt(text, context.scrub)
  const fallback = text.trim() === "" ? `HTTP ${status} with an empty body` : quoted
  const ErrorClass = statusErrorClass(status)
  return new ErrorClass({
    status,
    message: fields?.message ?? (fields === null ? `HTTP ${status}: ${fallback}` : quoted),
    type: fields?.type ?? null,
    code: fields?.code ?? null,
    param: fields?.param ?? null,
    requestId: requestId(headers, context.scrub),
    retryAfterMs: retryAfterMs(headers, context.nowMs),
    shouldRetry: shouldRetry(headers),
    attempts: context.attempts
  })
}

/** Error codes that mean the connection failed before the request was written. */
const notSentCodes: ReadonlySet<string> = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ENETUNREACH",
  "EHOSTUNREACH",
  "EADDRNOTAVAIL",
  "UND_ERR_CONNECT_TIMEOUT"
])

/** The chain of causes below an error, breadth first, including AggregateError members. */
const causes = (error: unknown): ReadonlyArray<unknown> => {
  const seen: Array<unknown> = []
  const queue: Array<unknown> = [error]
  while (queue.length > 0 && seen.length < 16) {
    const next = queue.shift()
    if (next === undefined || next === null || seen.includes(next)) continue
    seen.push(next)
    if (Predicate.hasProperty(next, "cause")) queue.push(next.cause)
    if (next instanceof AggregateError) queue.push(...next.errors)
  }
  return seen
}

const describe = (error: unknown): string =>
  causes(error)
    .map((cause) => cause instanceof Error ? cause.message : Predicate.isString(cause) ? cause : "")
    .filter((message) => message !== "")
    .join(": ")

/**
 * A transport failure as a {@link RunsError.ConnectionError}. The request counts as sent unless the failure says the
 * connection was never made (refused, unresolvable, unreachable): the server may have acted on anything else.
 *
 * @internal
 */
export const fromTransport = (error: unknown, context: AttemptContext): RunsError.ConnectionError => {
  const refused = causes(error).some((cause) =>
    Predicate.hasProperty(cause, "code") && Predicate.isString(cause.code) && notSentCodes.has(cause.code)
  )
  return new RunsError.ConnectionError({
    message: context.scrub(describe(error) || "the connection failed"),
    requestSent: !refused,
    attempts: context.attempts
  })
}
