import * as Data from "effect/Data"
import type * as Wire from "../Wire.js"

/**
 * An error the emulator answers with, shaped like the real API's.
 *
 * @internal
 */
export class ApiError extends Data.TaggedError("ApiError")<{
  readonly status: number
  readonly message: string
  readonly type: string
  readonly param: string | null
  readonly code: string | null
}> {}

/** @internal */
export const body = (error: ApiError): Wire.ErrorBody => ({
  error: { message: error.message, type: error.type, param: error.param, code: error.code }
})

const invalidRequest = (
  message: string,
  options: { readonly status?: number; readonly param?: string | null; readonly code?: string | null } = {}
) =>
  new ApiError({
    status: options.status ?? 400,
    message,
    type: "invalid_request_error",
    param: options.param ?? null,
    code: options.code ?? null
  })

/** @internal */
export const missingApiKey = () =>
  invalidRequest(
    "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer " +
      "auth (i.e. Authorization: Bearer YOUR_KEY). You can obtain an API key from " +
      "https://platform.openai.com/account/api-keys.",
    { status: 401 }
  )

/** @internal */
export const incorrectApiKey = () =>
  invalidRequest(
    "Incorrect API key provided. You can find your API key at https://platform.openai.com/account/api-keys.",
    { status: 401, code: "invalid_api_key" }
  )

/** @internal */
export const invalidBeta = () =>
  invalidRequest(
    "You must provide the 'OpenAI-Beta' header to access the Assistants API. Please try again by setting the " +
      "header 'OpenAI-Beta: assistants=v2'.",
    { code: "invalid_beta" }
  )

/** @internal */
export const invalidUrl = (method: string, path: string) =>
  invalidRequest(`Invalid URL (${method} ${path})`, { status: 404 })

/** @internal */
export const invalidJson = () =>
  invalidRequest(
    "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP " +
      "library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON.)"
  )

/** @internal */
export const notFound = (kind: "assistant" | "thread" | "run" | "run step" | "message", id: string) =>
  invalidRequest(`No ${kind} found with id '${id}'.`, { status: 404 })

/** @internal */
export const unrecognizedArgument = (name: string) => invalidRequest(`Unrecognized request argument supplied: ${name}`)

/** @internal */
export const missingParameter = (param: string) =>
  invalidRequest(`Missing required parameter: '${param}'.`, { param, code: "missing_required_parameter" })

/** @internal */
export const invalidType = (param: string, expected: string, got: string) =>
  invalidRequest(`Invalid type for '${param}': expected ${expected}, but got ${got} instead.`, {
    param,
    code: "invalid_type"
  })

const oxfordList = (values: ReadonlyArray<string>): string => {
  const quoted = values.map((value) => `'${value}'`)
  return quoted.length <= 2
    ? quoted.join(" and ")
    : `${quoted.slice(0, -1).join(", ")}, and ${quoted[quoted.length - 1]}`
}

/** @internal */
export const invalidValue = (param: string, value: string, supported: ReadonlyArray<string>) =>
  invalidRequest(`Invalid value: '${value}'. Supported values are: ${oxfordList(supported)}.`, {
    param,
    code: "invalid_value"
  })

/**
 * A value out of its range, worded like the real API: `Invalid 'temperature': decimal above maximum value.
 * Expected a value <= 2, but got 3 instead.`
 *
 * @internal
 */
export const outOfRange = (
  param: string,
  kind: "decimal" | "integer",
  bound: "min" | "max",
  limit: number,
  got: number
) =>
  invalidRequest(
    `Invalid '${param}': ${kind} ${bound === "min" ? "below minimum" : "above maximum"} value. ` +
      `Expected a value ${bound === "min" ? ">=" : "<="} ${limit}, but got ${got} instead.`,
    { param, code: `${kind}_${bound === "min" ? "below_min" : "above_max"}_value` }
  )

/** @internal */
export const tooLong = (param: string, what: "string" | "array", max: number, got: number) =>
  invalidRequest(
    `Invalid '${param}': ${what} too long. Expected ${what === "string" ? "a string" : "an array"} with maximum ` +
      `length ${max}, but got ${what === "string" ? "a string" : "an array"} with length ${got} instead.`,
    { param, code: `${what}_above_max_length` }
  )

/** @internal */
export const emptyArray = (param: string) =>
  invalidRequest(
    `Invalid '${param}': empty array. Expected an array with minimum length 1, but got an empty array instead.`,
    { param, code: "empty_array" }
  )

/** @internal */
export const tooManyProperties = (param: string, max: number, got: number) =>
  invalidRequest(
    `Invalid '${param}': too many properties. Expected an object with at most ${max} properties, but got an ` +
      `object with ${got} properties instead.`,
    { param, code: "object_above_max_properties" }
  )

/** @internal */
export const metadataKeyTooLong = (param: string, max: number, key: string) =>
  invalidRequest(
    `Invalid '${param}': metadata key too long. Expected keys with maximum length ${max}, but got a key with ` +
      `length ${key.length} instead.`,
    { param, code: "string_above_max_length" }
  )

/** @internal */
export const invalidThread = () =>
  invalidRequest("Run creation requires a Thread with a user message or an assistant with instructions.", {
    code: "invalid_thread"
  })

/** @internal */
export const activeRun = (threadId: string, runId: string) =>
  invalidRequest(`Thread ${threadId} already has an active run ${runId}.`)

/**
 * A message sent to a thread while one of its runs is active, as the real API words it.
 *
 * @internal
 */
export const messageWhileActiveRun = (threadId: string, runId: string) =>
  invalidRequest(`Can't add messages to ${threadId} while a run ${runId} is active.`)

/** @internal */
export const cannotCancel = (status: string) => invalidRequest(`Cannot cancel run with status '${status}'.`)

/** @internal */
export const noToolOutputs = (status: string) =>
  invalidRequest(`Runs in status "${status}" do not accept tool outputs.`)

const pythonList = (values: ReadonlyArray<string>): string => `[${values.map((value) => `'${value}'`).join(", ")}]`

/** @internal */
export const toolOutputsMismatch = (expected: ReadonlyArray<string>, got: ReadonlyArray<string>) =>
  invalidRequest(`Expected tool outputs for call_ids ${pythonList(expected)}, got ${pythonList(got)}`)

/** The body and headers the real API answers a status with, when a fault gives only the status. */
interface StatusAnswer {
  readonly error: Wire.ErrorBody["error"]
  readonly headers?: Readonly<Record<string, string>>
}

/** Sent with a bare 429 or 503: what the real API advises, short enough for tests. */
const retryAdvice = { "retry-after-ms": "100", "retry-after": "1" }

const statusAnswers: Readonly<Record<number, StatusAnswer>> = {
  400: { error: { message: "Invalid request.", type: "invalid_request_error", param: null, code: null } },
  401: body(incorrectApiKey()),
  403: {
    error: {
      message: "You are not allowed to perform this request.",
      type: "invalid_request_error",
      param: null,
      code: null
    }
  },
  404: { error: { message: "Not found.", type: "invalid_request_error", param: null, code: null } },
  409: {
    error: {
      message: "The request conflicts with the current state of the resource.",
      type: "invalid_request_error",
      param: null,
      code: null
    }
  },
  422: { error: { message: "Unprocessable entity.", type: "invalid_request_error", param: null, code: null } },
  429: {
    error: {
      message: "Rate limit reached for requests. Please try again in 100ms. Visit " +
        "https://platform.openai.com/account/rate-limits to learn more.",
      type: "requests",
      param: null,
      code: "rate_limit_exceeded"
    },
    headers: retryAdvice
  },
  500: {
    error: {
      message: "The server had an error while processing your request. Sorry about that!",
      type: "server_error",
      param: null,
      code: null
    }
  },
  502: { error: { message: "Bad gateway.", type: "cf_bad_gateway", param: null, code: "502" } },
  503: {
    error: {
      message: "The server is overloaded or not ready yet.",
      type: "server_error",
      param: null,
      code: null
    },
    headers: retryAdvice
  },
  504: { error: { message: "Gateway timeout.", type: "cf_gateway_timeout", param: null, code: "504" } }
}

/**
 * What the real API answers an error status with: its error body and, for 429 and 503, `retry-after-ms` and
 * `retry-after`; `undefined` below 400 (no body).
 *
 * @internal
 */
export const forStatus = (status: number): StatusAnswer | undefined =>
  status < 400 ? undefined : statusAnswers[status] ?? {
    error: status < 500
      ? { message: `Request failed with status ${status}.`, type: "invalid_request_error", param: null, code: null }
      : { message: "The server had an error processing your request.", type: "server_error", param: null, code: null }
  }
