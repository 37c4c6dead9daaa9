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
 * Answer at once (after `delayMs`). `echo` copies request headers into the answer: `{ "x-request-id":
 * "authorization" }` sends back what the client sent as `Authorization` (a proxy echoing the key), over `headers`.
 *
 * @since 0.1.0
 * @category models
 */
export interface Respond extends Match, Answer {
  readonly kind?: "respond"
  readonly echo?: Readonly<Record<string, string>>
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
 * A body made as it is written, never held whole, for answers too large (or too long) to build: `head`, then `repeat`
 * `count` times (`Infinity`: until the client leaves), then `tail`; the request is not processed.
 *
 * - `status` 200 and `content-type: application/json` unless given;
 * - `contentLength`: `true` (default) announces the body's length (none when `count` is infinite: chunked), a number
 *   announces that many bytes whatever is sent, `false` sends none (chunked);
 * - `chunkBytes`: about how many bytes each write holds, in whole repeats (default 64 KiB; `1` writes one repeat at a
 *   time); `intervalMs`: the pause between writes (default 0);
 * - `ending`: after the body, `end` the answer (default), `close` or `reset` the connection, or `hang`: keep it open
 *   and silent until the client leaves.
 *
 * @since 0.2.0
 * @category models
 */
export interface Generated extends Match {
  readonly kind: "generated"
  readonly status?: number
  readonly headers?: Headers
  readonly head?: string
  readonly repeat: string
  readonly count: number
  readonly tail?: string
  readonly contentLength?: boolean | number
  readonly chunkBytes?: number
  readonly intervalMs?: number
  readonly ending?: "end" | "close" | "reset" | "hang"
}

/**
 * @since 0.1.0
 * @category models
 */
export type Fault = Respond | Reset | ResetMidBody | SlowDrip | Truncated | Generated

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

/**
 * A generated body (see {@link Generated}).
 *
 * @example
 * ```ts
 * import { Fault } from "@effect-openai/runs-emulator"
 *
 * // A list whose `data` never ends, 1 KiB of `[]` at a time.
 * const endless = Fault.generated({ head: "{\"object\":\"list\",\"data\":[", repeat: "[],", count: Infinity, chunkBytes: 1024 })
 * ```
 *
 * @since 0.2.0
 * @category constructors
 */
export const generated = (options: Omit<Generated, "kind">): Generated => ({ ...options, kind: "generated" })

/**
 * Options of the constructors of large bodies: the target, `status` and `headers`, and whether to announce the
 * length.
 *
 * @since 0.2.0
 * @category models
 */
export interface LargeBodyOptions extends Match {
  readonly status?: number
  readonly headers?: Headers
  readonly contentLength?: boolean | number
  readonly chunkBytes?: number
}

/**
 * A JSON body of exactly `bytes` bytes (at least 14 for a string, 4 for arrays), made as it is written: a long string
 * (`shape: "string"`, default: `{"padding":"xxx…"}`) or many small arrays (`shape: "arrays"`: `[[],[],…]`, what
 * costs a parser most per byte).
 * `complete: false` sends only a prefix of such a document, that never closes. 200 with `content-length` unless
 * told otherwise.
 *
 * @example
 * ```ts
 * import { type Emulator, Fault } from "@effect-openai/runs-emulator"
 *
 * const inject = (emulator: Emulator.Handle) => {
 *   emulator.enqueueFault(Fault.largeBody(2 * 1024 ** 3)) // a 2 GiB run
 *   emulator.enqueueFault(Fault.largeBody(450e6, { shape: "arrays", contentLength: false }))
 * }
 * ```
 *
 * @since 0.2.0
 * @category constructors
 */
export const largeBody = (
  bytes: number,
  options: LargeBodyOptions & { readonly shape?: "string" | "arrays"; readonly complete?: boolean } = {}
): Generated => {
  const { complete = true, shape = "string", ...rest } = options
  if (shape === "string") {
    const head = "{\"padding\":\""
    const tail = complete ? "\"}" : ""
    return generated({ ...rest, head, repeat: "x", count: Math.max(0, bytes - head.length - tail.length), tail })
  }
  // `[` + `[],` × n + spaces + `[]]`: any size from 4 bytes up, exactly.
  const tail = complete ? "[]]" : ""
  const room = Math.max(0, bytes - 1 - tail.length)
  const count = Math.floor(room / 3)
  return generated({ ...rest, head: "[", repeat: "[],", count, tail: " ".repeat(room - count * 3) + tail })
}

/**
 * A page of `count` copies of `item` (a run or a step as JSON), made as it is written: the answer of a list that
 * ignores `limit`. 200 with `content-length` unless told otherwise.
 *
 * @example
 * ```ts
 * import { type Emulator, Fault } from "@effect-openai/runs-emulator"
 *
 * const inject = (emulator: Emulator.Handle, run: unknown) => {
 *   emulator.enqueueFault(Fault.largePage(1_000_000, run, { method: "GET" })) // a list that ignores limit
 * }
 * ```
 *
 * @since 0.2.0
 * @category constructors
 */
export const largePage = (count: number, item: unknown, options: LargeBodyOptions = {}): Generated => {
  const json = JSON.stringify(item)
  const id = typeof item === "object" && item !== null && "id" in item ? JSON.stringify(item.id) : "null"
  return generated({
    ...options,
    head: "{\"object\":\"list\",\"data\":[",
    repeat: `${json},`,
    count: Math.max(0, count - 1),
    tail: `${count > 0 ? json : ""}],"first_id":${id},"last_id":${id},"has_more":false}`
  })
}

/**
 * JSON nested `depth` levels deep: `[[[…0…]]]` (`kind: "array"`, default) or `{"a":{"a":…0…}}`, around `leaf`.
 *
 * @example
 * ```ts
 * import { Fault } from "@effect-openai/runs-emulator"
 *
 * const body = `{"metadata":${Fault.nestedJson(5_000, "object")}}` // 5,000 levels deep
 * ```
 *
 * @since 0.2.0
 * @category constructors
 */
export const nestedJson = (depth: number, kind: "array" | "object" = "array", leaf = "0"): string =>
  kind === "array" ? "[".repeat(depth) + leaf + "]".repeat(depth) : "{\"a\":".repeat(depth) + leaf + "}".repeat(depth)

/**
 * A 200 whose body nests `depth` levels deep (see {@link nestedJson}); 100,000 levels are about 200 KB.
 *
 * @example
 * ```ts
 * import { type Emulator, Fault } from "@effect-openai/runs-emulator"
 *
 * const inject = (emulator: Emulator.Handle) => {
 *   emulator.enqueueFault(Fault.deeplyNested(100_000, { status: 200 })) // a 2xx body 100,000 levels deep
 * }
 * ```
 *
 * @since 0.2.0
 * @category constructors
 */
export const deeplyNested = (
  depth: number,
  options: Omit<Respond, "kind" | "body"> & { readonly kind?: "array" | "object" } = {}
): Respond => {
  const { kind, ...rest } = options
  return status(rest.status ?? 200, { ...rest, body: nestedJson(depth, kind) })
}

const eventStreamHeaders: Headers = { "content-type": "text/event-stream; charset=utf-8" }

/**
 * Events as a streaming answer: `text/event-stream`, each `{ event, data }` written as `event:` and `data:` lines (a
 * string `data` as is, anything else JSON-encoded), `done` not added. 200 unless `status` says otherwise.
 *
 * @example
 * ```ts
 * import { type Emulator, Fault } from "@effect-openai/runs-emulator"
 *
 * const inject = (emulator: Emulator.Handle) => {
 *   emulator.enqueueFault(Fault.eventStream([{ event: "error", data: Fault.nestedJson(100_000, "object") }]))
 * }
 * ```
 *
 * @since 0.2.0
 * @category constructors
 */
export const eventStream = (
  events: ReadonlyArray<{ readonly event: string; readonly data: unknown }>,
  options: Omit<Respond, "kind" | "body"> = {}
): Respond =>
  status(options.status ?? 200, {
    ...options,
    headers: { ...eventStreamHeaders, ...options.headers },
    body: events.map(({ data, event }) =>
      `event: ${event}\ndata: ${typeof data === "string" ? data : JSON.stringify(data)}\n\n`
    ).join("")
  })

/**
 * Options of the endless streaming answers: the target, `bytes` to send before ending (default: until the client
 * leaves), and how they are paced.
 *
 * @since 0.2.0
 * @category models
 */
export interface EndlessOptions extends Match {
  readonly bytes?: number
  readonly chunkBytes?: number
  readonly intervalMs?: number
  /** Written first, e.g. a few valid events. */
  readonly head?: string
}

/**
 * A streaming answer whose one `data:` line never ends: `data: xxxx…`, no line break.
 *
 * @example
 * ```ts
 * import { type Emulator, Fault } from "@effect-openai/runs-emulator"
 *
 * const inject = (emulator: Emulator.Handle) => {
 *   emulator.enqueueFault(Fault.endlessDataLine({ method: "POST" })) // one data: line that never ends
 * }
 * ```
 *
 * @since 0.2.0
 * @category constructors
 */
export const endlessDataLine = (options: EndlessOptions = {}): Generated => {
  const { bytes = Infinity, head = "", ...rest } = options
  return generated({
    ...rest,
    headers: eventStreamHeaders,
    head: `${head}data: `,
    repeat: "x",
    count: bytes,
    contentLength: false
  })
}

/**
 * A streaming answer of `data:` lines that never ends with the blank line that would dispatch them: one event that
 * grows forever.
 *
 * @example
 * ```ts
 * import { type Emulator, Fault } from "@effect-openai/runs-emulator"
 *
 * const inject = (emulator: Emulator.Handle) => {
 *   emulator.enqueueFault(Fault.endlessDataLines({ method: "POST" })) // data: lines without the blank line ending an event
 * }
 * ```
 *
 * @since 0.2.0
 * @category constructors
 */
export const endlessDataLines = (options: EndlessOptions = {}): Generated => {
  const { bytes = Infinity, head = "", ...rest } = options
  const line = "data: {\"x\":1}\n"
  return generated({
    ...rest,
    headers: eventStreamHeaders,
    head,
    repeat: line,
    count: Number.isFinite(bytes) ? Math.ceil(bytes / line.length) : Infinity,
    contentLength: false
  })
}

/**
 * A streaming answer of comments only (`: keep-alive` and a blank line), one every `intervalMs`, forever: bytes keep
 * coming, events never do.
 *
 * @example
 * ```ts
 * import { type Emulator, Fault } from "@effect-openai/runs-emulator"
 *
 * const inject = (emulator: Emulator.Handle) => {
 *   emulator.enqueueFault(Fault.commentsOnly(500, { method: "POST" })) // a keep-alive comment every 500 ms, no event
 * }
 * ```
 *
 * @since 0.2.0
 * @category constructors
 */
export const commentsOnly = (intervalMs: number, options: Match & { readonly comment?: string } = {}): Generated => {
  const { comment = "keep-alive", ...rest } = options
  return generated({
    ...rest,
    headers: eventStreamHeaders,
    repeat: `: ${comment}\n\n`,
    count: Infinity,
    chunkBytes: 1,
    intervalMs,
    contentLength: false
  })
}

/**
 * The headers of an answer, then silence: the connection stays open, nothing more comes, until the client leaves.
 * A streaming answer (`text/event-stream`, chunked) unless `headers` say otherwise; `contentLength` announces a
 * body that never comes.
 *
 * @example
 * ```ts
 * import { type Emulator, Fault } from "@effect-openai/runs-emulator"
 *
 * const inject = (emulator: Emulator.Handle) => {
 *   emulator.enqueueFault(Fault.silence({ method: "POST" })) // headers, then nothing
 * }
 * ```
 *
 * @since 0.2.0
 * @category constructors
 */
export const silence = (
  options: Match & { readonly status?: number; readonly headers?: Headers; readonly contentLength?: number } = {}
): Generated => {
  const { contentLength, ...rest } = options
  return generated({
    ...rest,
    headers: { ...eventStreamHeaders, ...options.headers },
    repeat: "",
    count: 0,
    contentLength: contentLength ?? false,
    ending: "hang"
  })
}

/**
 * The normal answer with a header set to `value`: a server or proxy echoing something (the key, say) in
 * `x-request-id` or any other header.
 *
 * @example
 * ```ts
 * import { type Emulator, Fault } from "@effect-openai/runs-emulator"
 *
 * const inject = (emulator: Emulator.Handle, key: string) => {
 *   emulator.enqueueFault(Fault.echoHeader("x-request-id", key)) // a server that puts the key in a header
 * }
 * ```
 *
 * @since 0.2.0
 * @category constructors
 */
export const echoHeader = (name: string, value: string, target: Match = {}): Respond => ({
  ...target,
  headers: { [name]: value }
})

/**
 * The normal answer with the request's own `requestHeader` (e.g. `authorization`: `Bearer <key>`) sent back as
 * `responseHeader` (default `x-request-id`).
 *
 * @example
 * ```ts
 * import { type Emulator, Fault } from "@effect-openai/runs-emulator"
 *
 * const inject = (emulator: Emulator.Handle) => {
 *   emulator.enqueueFault(Fault.echoRequestHeader("authorization")) // the auth header sent back as x-request-id
 * }
 * ```
 *
 * @since 0.2.0
 * @category constructors
 */
export const echoRequestHeader = (
  requestHeader: string,
  responseHeader = "x-request-id",
  target: Match = {}
): Respond => ({ ...target, echo: { [responseHeader]: requestHeader } })
