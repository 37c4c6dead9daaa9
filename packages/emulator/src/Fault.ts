/**
 * Scripted misbehaviour: a request matching a queued fault gets it instead of (or on top of) the normal answer.
 *
 * @example
 * ```ts
 * import { type Emulator, Fault } from "@effect-openai/runs-emulator"
 *
 * const inject = (emulator: Emulator.Handle) => {
 *   emulator.enqueueFault(Fault.status(503, { headers: { "retry-after": "1" }, times: 2 }))
 *   emulator.enqueueFault(Fault.truncated({ method: "GET", path: /\/runs\/run_/ }))
 *   emulator.enqueueStreamFault(Fault.cutStream(5))
 * }
 * ```
 *
 * @since 0.1.0
 */

/**
 * Header values; an array sends the header once per value (`{ "x-request-id": ["req_a", "req_b"] }`).
 *
 * @since 0.1.0
 * @category models
 */
export type Headers = Readonly<Record<string, string | ReadonlyArray<string>>>

/**
 * Which requests a fault applies to.
 *
 * @since 0.1.0
 * @category models
 */
export interface Target {
  /** HTTP method, any case; any method when absent. */
  readonly method?: string
  /** Tested against the URL path including `/v1`, e.g. `/v1/threads/thread_abc/runs`; any path when absent. */
  readonly path?: RegExp
  /**
   * Fire on the `nth` matching request since the fault was queued, counting from 1 (default 1). Every matching
   * request counts, those another fault took too.
   */
  readonly nth?: number
  /** Fire on this many matching requests in a row, then be used up (default 1; `Infinity` until cleared). */
  readonly times?: number
}

/**
 * A target, and how long to wait before acting (in real time, even under a `TestClock`).
 *
 * @since 0.1.0
 * @category models
 */
export interface Match extends Target {
  readonly delayMs?: number
}

/**
 * What to answer. With a `status`, the answer is this one: `content-type: application/json` unless `headers` say
 * otherwise, and `body` (a string is sent as is, for invalid JSON or HTML, anything else JSON-encoded); the request
 * is not processed. Without a `body`, an error status (400 and up) gets the real API's error body for it
 * (`{ error: { message, type, param, code } }`, e.g. `server_error` for 500), and 429 and 503 its retry advice
 * (`retry-after-ms: 100`, `retry-after: 1`) under `headers`; `body: ""` (or `Fault.emptyBody`) sends an empty
 * body on purpose. Without, the request is processed and its normal answer sent, with
 * `headers` set over its own and `body`, if given, in place of its own. An `x-request-id` is added unless given.
 *
 * @since 0.1.0
 * @category models
 */
export interface Answer {
  readonly status?: number
  readonly headers?: Headers
  readonly body?: unknown
}

/**
 * Answer at once (after `delayMs`).
 *
 * @since 0.1.0
 * @category models
 */
export interface Respond extends Match, Answer {
  readonly kind?: "respond"
}

/**
 * Destroy the connection without answering; the request is not processed.
 *
 * @since 0.1.0
 * @category models
 */
export interface Reset extends Match {
  readonly kind: "reset"
}

/**
 * Send the headers and the first `afterBytes` of the body (default: half), then reset the connection (TCP RST;
 * data already sent may make the client see an early end rather than `ECONNRESET`).
 *
 * @since 0.1.0
 * @category models
 */
export interface ResetMidBody extends Match, Answer {
  readonly kind: "resetMidBody"
  readonly afterBytes?: number
}

/**
 * Write the body `bytes` at a time (default 16), `intervalMs` apart (default 50).
 *
 * @since 0.1.0
 * @category models
 */
export interface SlowDrip extends Match, Answer {
  readonly kind: "slowDrip"
  readonly bytes?: number
  readonly intervalMs?: number
}

/**
 * Send the headers with the `content-length` of the whole body, half the body, then close the connection
 * cleanly (TCP FIN): the client sees the body end early.
 *
 * @since 0.1.0
 * @category models
 */
export interface Truncated extends Match, Answer {
  readonly kind: "truncated"
}

/**
 * @since 0.1.0
 * @category models
 */
export type Fault = Respond | Reset | ResetMidBody | SlowDrip | Truncated

/**
 * A fault of a streaming answer (`stream: true`), applied after `afterEvents` events have been written: `cut`
 * closes the connection (no `done`), `error` sends an `error` event (`type: "server_error"`, `message`) and ends
 * the stream. `nth` counts streaming answers only.
 *
 * @since 0.1.0
 * @category models
 */
export interface StreamFault extends Target {
  readonly kind: "cut" | "error"
  readonly afterEvents: number
  readonly message?: string
}

/**
 * Answer `status` (with `body`, `headers`) instead of processing the request. Without a `body`, an error status
 * answers as the real API does (see {@link Answer}).
 *
 * @example
 * ```ts
 * import { Emulator, Fault } from "@effect-openai/runs-emulator"
 *
 * const emulator = await Emulator.start()
 * emulator.enqueueFault(Fault.status(500)) // the real API's server_error body
 * emulator.enqueueFault(Fault.status(429, { times: 2 })) // rate limited twice, with retry-after-ms and retry-after
 * emulator.enqueueFault(Fault.status(500, { body: "" })) // an empty body, on purpose
 * emulator.enqueueFault(Fault.status(200, { body: "this is not JSON" })) // a non-JSON 200
 * await emulator.close()
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const status = (code: number, options: Omit<Respond, "kind" | "status"> = {}): Respond => ({
  ...options,
  status: code
})

/**
 * The normal answer, `delayMs` late (before its headers).
 *
 * @example
 * ```ts
 * import { type Emulator, Fault } from "@effect-openai/runs-emulator"
 *
 * const inject = (emulator: Emulator.Handle) => {
 *   emulator.enqueueFault(Fault.delay(2_000, { method: "GET" })) // the next GET is answered 2 s late
 * }
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const delay = (delayMs: number, target: Target = {}): Respond => ({ ...target, delayMs })

/**
 * @example
 * ```ts
 * import { type Emulator, Fault } from "@effect-openai/runs-emulator"
 *
 * const inject = (emulator: Emulator.Handle) => {
 *   emulator.enqueueFault(Fault.reset({ method: "POST", path: /\/runs$/ })) // the next createRun: connection reset
 * }
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const reset = (match: Match = {}): Reset => ({ ...match, kind: "reset" })

/**
 * @example
 * ```ts
 * import { type Emulator, Fault } from "@effect-openai/runs-emulator"
 *
 * const inject = (emulator: Emulator.Handle) => {
 *   emulator.enqueueFault(Fault.resetMidBody({ afterBytes: 64 })) // headers and 64 bytes, then a reset
 * }
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const resetMidBody = (options: Omit<ResetMidBody, "kind"> = {}): ResetMidBody => ({
  ...options,
  kind: "resetMidBody"
})

/**
 * @example
 * ```ts
 * import { type Emulator, Fault } from "@effect-openai/runs-emulator"
 *
 * const inject = (emulator: Emulator.Handle) => {
 *   emulator.enqueueFault(Fault.slowDrip({ bytes: 8, intervalMs: 100 })) // 8 bytes every 100 ms
 * }
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const slowDrip = (options: Omit<SlowDrip, "kind"> = {}): SlowDrip => ({ ...options, kind: "slowDrip" })

/**
 * @example
 * ```ts
 * import { type Emulator, Fault } from "@effect-openai/runs-emulator"
 *
 * const inject = (emulator: Emulator.Handle) => {
 *   emulator.enqueueFault(Fault.truncated({ method: "GET" })) // half the body, then a clean close
 * }
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const truncated = (options: Omit<Truncated, "kind"> = {}): Truncated => ({ ...options, kind: "truncated" })

const badGatewayPage = `<html>
<head><title>502 Bad Gateway</title></head>
<body>
<center><h1>502 Bad Gateway</h1></center>
<hr><center>cloudflare</center>
</body>
</html>
`

/**
 * A 502 page from a proxy in front of the API: `text/html`, not JSON.
 *
 * @example
 * ```ts
 * import { type Emulator, Fault } from "@effect-openai/runs-emulator"
 *
 * const inject = (emulator: Emulator.Handle) => {
 *   emulator.enqueueFault(Fault.proxyHtml502({ times: 2 })) // two HTML 502 pages from "cloudflare"
 * }
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const proxyHtml502 = (match: Match = {}): Respond =>
  status(502, { ...match, headers: { "content-type": "text/html", server: "cloudflare" }, body: badGatewayPage })

/**
 * An answer with an empty body (`content-length: 0`), 200 unless `status` says otherwise.
 *
 * @example
 * ```ts
 * import { type Emulator, Fault } from "@effect-openai/runs-emulator"
 *
 * const inject = (emulator: Emulator.Handle) => {
 *   emulator.enqueueFault(Fault.emptyBody({ status: 500 })) // a 500 with no body at all
 * }
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const emptyBody = (options: Omit<Respond, "kind" | "body"> = {}): Respond =>
  status(options.status ?? 200, { ...options, body: "" })

/**
 * A valid JSON body of exactly `bytes` bytes (at least the size of `base`): the fields of `base` (default none)
 * and a long `padding` string. 200 unless `status` says otherwise.
 *
 * @example
 * ```ts
 * import { type Emulator, Fault } from "@effect-openai/runs-emulator"
 *
 * const inject = (emulator: Emulator.Handle) => {
 *   emulator.enqueueFault(Fault.hugeJson(4_000_000)) // a 4 MB JSON body that is not a run
 * }
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const hugeJson = (
  bytes: number,
  options: Omit<Respond, "kind" | "body"> & { readonly base?: object } = {}
): Respond => {
  const { base = {}, ...rest } = options
  const empty = JSON.stringify({ ...base, padding: "" })
  return status(rest.status ?? 200, {
    ...rest,
    body: JSON.stringify({ ...base, padding: "x".repeat(Math.max(0, bytes - Buffer.byteLength(empty))) })
  })
}

/**
 * The normal answer, labelled with another `content-type` (default `text/plain`).
 *
 * @example
 * ```ts
 * import { type Emulator, Fault } from "@effect-openai/runs-emulator"
 *
 * const inject = (emulator: Emulator.Handle) => {
 *   emulator.enqueueFault(Fault.wrongContentType("text/html")) // the normal answer, labelled HTML
 * }
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const wrongContentType = (contentType = "text/plain", target: Match = {}): Respond => ({
  ...target,
  headers: { "content-type": contentType }
})

/**
 * Headers a client must survive: two `x-request-id` and a `retry-after` of `"soon"`, over the normal answer or
 * the one given.
 *
 * @example
 * ```ts
 * import { type Emulator, Fault } from "@effect-openai/runs-emulator"
 *
 * const inject = (emulator: Emulator.Handle) => {
 *   emulator.enqueueFault(
 *     Fault.garbledHeaders({ status: 429, body: { error: { message: "Rate limit reached", type: "requests" } } })
 *   )
 * }
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const garbledHeaders = (options: Omit<Respond, "kind"> = {}): Respond => ({
  ...options,
  headers: {
    "x-request-id": ["req_garbled_1", "req_garbled_2"],
    "retry-after": "soon",
    ...options.headers
  }
})

/**
 * Close the connection of a streaming answer after `afterEvents` events, without `done`.
 *
 * @example
 * ```ts
 * import { type Emulator, Fault } from "@effect-openai/runs-emulator"
 *
 * const inject = (emulator: Emulator.Handle) => {
 *   emulator.enqueueStreamFault(Fault.cutStream(5)) // the next stream stops after 5 events, without done
 * }
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const cutStream = (afterEvents: number, target: Target = {}): StreamFault => ({
  ...target,
  kind: "cut",
  afterEvents
})

/**
 * End a streaming answer after `afterEvents` events with an `error` event.
 *
 * @example
 * ```ts
 * import { type Emulator, Fault } from "@effect-openai/runs-emulator"
 *
 * const inject = (emulator: Emulator.Handle) => {
 *   emulator.enqueueStreamFault(Fault.streamError(3, { message: "overloaded" })) // an error event after 3
 * }
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const streamError = (
  afterEvents: number,
  options: Target & { readonly message?: string } = {}
): StreamFault => ({ ...options, kind: "error", afterEvents })
