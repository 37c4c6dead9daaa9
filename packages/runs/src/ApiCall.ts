/**
 * The data of one API call and of its answer, as the client takes and gives them: the request before the base URL,
 * headers and retry policy are applied, the options a caller sets for the calls of an effect, and the 2xx answer.
 *
 * @since 0.2.0
 */
import type * as Headers from "@effect/platform/Headers"
import * as Context from "effect/Context"
import type * as Duration from "effect/Duration"
import type * as RunsError from "./RunsError.js"

/**
 * Options of the requests made inside one effect or stream (see {@link withRequestOptions}); each replaces the
 * client's option of the same name, `headers` and `queryParams` add to the client's, a name given on both taking
 * the call's value (the auth header stays the library's).
 *
 * @since 0.2.0
 * @category models
 */
export interface RequestOptions {
  readonly timeout?: Duration.DurationInput | undefined
  readonly maxRetries?: number | undefined
  readonly headers?: Readonly<Record<string, string>> | undefined
  readonly queryParams?: Readonly<Record<string, string>> | undefined
  readonly maxResponseBytes?: number | undefined
  readonly maxEventBytes?: number | undefined
  readonly streamIdleTimeout?: Duration.DurationInput | undefined
}

/**
 * One call of the API, before the base URL, headers and retry policy are applied: plain data.
 *
 * @since 0.1.0
 * @category models
 */
export interface ApiRequest {
  readonly method: "GET" | "POST" | "DELETE"
  /** Path segments below the base URL; each is percent-encoded as one segment. */
  readonly path: ReadonlyArray<string>
  readonly query?: ReadonlyArray<readonly [string, string]> | undefined
  /** A JSON body. */
  readonly body?: unknown
  /**
   * Whether sending the request twice is harmless. Non-idempotent requests are retried only when the server cannot
   * have acted on them (see the README's "Retries").
   */
  readonly idempotent: boolean
}

/**
 * What came with a 2xx answer besides its body: the status, the headers, the `x-request-id`, and how many attempts
 * it took.
 *
 * @since 0.2.0
 * @category models
 */
export interface ResponseMeta {
  readonly status: number
  readonly headers: Headers.Headers
  readonly requestId: string | null
  readonly attempts: number
}

/**
 * A 2xx answer, its body decoded.
 *
 * @since 0.1.0
 * @category models
 */
export interface ApiResponse<A> extends ResponseMeta {
  readonly value: A
}

/**
 * A failure of a streamed answer: any {@link RunsError.RunsError}, or an `error` event from the server.
 *
 * @since 0.2.0
 * @category models
 */
export type StreamError = RunsError.RunsError | RunsError.StreamEventError

/**
 * The request options in effect: none by default. `OpenAiClient.withRequestOptions` sets them.
 *
 * @since 0.2.0
 * @category references
 */
export class CurrentRequestOptions extends Context.Reference<CurrentRequestOptions>()(
  "@effect-openai/runs/ApiCall/CurrentRequestOptions",
  { defaultValue: (): RequestOptions => ({}) }
) {}
