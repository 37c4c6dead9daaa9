/**
 * The one place that turns wire failures (statuses, error bodies, transport errors) into typed errors.
 *
 * @internal
 */
import type * as Headers from "@effect/platform/Headers"
import * as Predicate from "effect/Predicate"
import * as RunsError from "../RunsError.js"
import { excerpt, scrubOrNull } from "./redact.js"

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
 * The wait a response advises: `retry-after-ms`, else `retry-after` in seconds or as an HTTP date.
 * Only waits from 0 to 60 seconds count.
 *
 * @internal
 */
export const retryAfterMs = (headers: Headers.Headers, nowMs: number): number | null => {
  const millis = parseNumber(headers["retry-after-ms"])
  const delay = millis ?? retryAfterHeader(headers["retry-after"], nowMs)
  return delay !== null && delay >= 0 && delay <= maxServerDelayMs ? delay : null
}

const retryAfterHeader = (value: string | undefined, nowMs: number): number | null => {
  if (value === undefined) return null
  const seconds = parseNumber(value)
  if (seconds !== null) return seconds * 1000
  const date = Date.parse(value)
  return Number.isNaN(date) ? null : date - nowMs
}

const parseNumber = (value: string | undefined): number | null => {
  if (value === undefined || value.trim() === "") return null
  const number = Number(value)
  return Number.isFinite(number) ? number : null
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

/**
 * The `message`, `type`, `code` and `param` of an error object as the API writes them (`code` may be a number),
 * every string scrubbed; `message` is `null` when it is not a string.
 *
 * @internal
 */
export const errorFields = (error: Readonly<Record<string, unknown>>, scrub: (text: string) => string) => ({
  message: scrubOrNull(error.message, scrub),
  type: scrubOrNull(error.type, scrub),
  code: scrubOrNull(typeof error.code === "number" ? String(error.code) : error.code, scrub),
  param: scrubOrNull(error.param, scrub)
})

/**
 * The error object of a failed response's body: the API's `{ error: { message, type, code, param } }`, or the
 * shapes other servers use: `{ error: "text" }`, or a top-level `message` (Fastify's
 * `{ message, error, statusCode }`, whose `error` becomes the type). `null` when the body is none of these.
 */
const parseErrorBody = (text: string): Readonly<Record<string, unknown>> | null => {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    return null
  }
  if (!Predicate.isRecord(json)) return null
  if (Predicate.isRecord(json.error)) return json.error
  if (typeof json.message === "string") {
    return { message: json.message, type: json.error, code: json.code }
  }
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
  const fallback = text.trim() === "" ? `HTTP ${status} with an empty body` : excerpt(text)
  const ErrorClass = statusErrorClass(status)
  return new ErrorClass({
    status,
    message: fields?.message ??
      context.scrub(fields === null ? `HTTP ${status}: ${fallback}` : excerpt(text)),
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
