/**
 * One request through a `Dispatcher`: undici's handler for it, and the buffer its response body arrives in.
 *
 * The handler is undici's own low-level interface (`dispatch`), not `request`: no `Readable` per response, no async
 * resource, headers kept as undici parsed them until a reader asks for them.
 *
 * @internal
 */
import * as HttpClientError from "@effect/platform/HttpClientError"
import type * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import type * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as Effect from "effect/Effect"
import { type Dispatcher, errors } from "undici"
import { UndiciResponse } from "./response.js"

/**
 * Response headers as undici parses them: lower-case names, an array for a repeated header.
 *
 * @internal
 */
export type RawHeaders = Readonly<Record<string, string | ReadonlyArray<string> | undefined>>

/**
 * Who reads the body: nobody yet, whole (text, json, …: they share it), or a stream (it takes it alone).
 *
 * @internal
 */
export type Reader = "none" | "whole" | "stream"

/** How much of a body nobody reads yet, or a stream has not pulled, is buffered before the connection is paused. */
const highWaterMark = 64 * 1024

const emptyBody = Buffer.alloc(0)

const noHeaders: RawHeaders = {}

/**
 * A failure of a streamed request body, told apart from the connection's own failures.
 *
 * @internal
 */
export class EncodeFailure {
  constructor(readonly cause: unknown) {}
}

type Resume = (effect: Effect.Effect<HttpClientResponse.HttpClientResponse, HttpClientError.RequestError>) => void

/**
 * The `DispatchHandler` of one request. It resumes the sending fiber once with the response (or the transport
 * failure), then keeps the body's chunks for the response's readers. It listens to the request's `AbortSignal`
 * until the body has ended, and never references the response object (whose garbage collection aborts the request).
 *
 * @internal
 */
export class Exchange implements Dispatcher.DispatchHandler {
  status = 0
  headers: RawHeaders = noHeaders
  reader: Reader = "none"
  /** The body's chunks not yet taken by a stream. */
  chunks: Array<Buffer> = []
  size = 0
  ended = false
  failure: Error | undefined = undefined
  private controller: Dispatcher.DispatchController | undefined = undefined
  private resume: Resume | undefined
  private waiter: (() => void) | undefined = undefined

  constructor(
    readonly request: HttpClientRequest.HttpClientRequest,
    private readonly signal: AbortSignal,
    resume: Resume
  ) {
    this.resume = resume
    signal.addEventListener("abort", this)
  }

  /** The `AbortSignal` listener. */
  handleEvent(): void {
    this.controller?.abort(this.signal.reason)
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller
    if (this.signal.aborted) controller.abort(this.signal.reason)
  }

  onResponseStart(_controller: Dispatcher.DispatchController, statusCode: number, headers: RawHeaders): void {
    if (statusCode < 200) return // informational (e.g. 103): the response is still to come
    this.status = statusCode
    this.headers = headers
    const resume = this.resume!
    this.resume = undefined
    resume(Effect.succeed(new UndiciResponse(this)))
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    this.chunks.push(chunk)
    this.size += chunk.length
    if (this.reader === "stream") this.wake()
    if (this.reader !== "whole" && this.size >= highWaterMark) controller.pause()
  }

  onResponseEnd(): void {
    this.ended = true
    this.signal.removeEventListener("abort", this)
    this.wake()
  }

  onResponseError(_controller: Dispatcher.DispatchController | undefined, error: Error): void {
    this.signal.removeEventListener("abort", this)
    const resume = this.resume
    if (resume === undefined) {
      this.failure = error
      this.wake()
      return
    }
    this.resume = undefined
    resume(Effect.fail(requestError(this.request, error)))
  }

  /** Calls `onDone` once the whole body has arrived or failed, reading on if a paused body was waiting for a reader. */
  awaitWhole(onDone: () => void): void {
    this.waiter = onDone
    this.controller?.resume()
  }

  /** Calls `onChange` once more of the body has arrived, or it ended or failed. */
  awaitChunk(onChange: () => void): void {
    this.waiter = onChange
  }

  /** The whole body, once it has ended. Reading it again gives the same bytes. */
  bytes(): Buffer {
    const chunks = this.chunks
    if (chunks.length === 1) return chunks[0]!
    const bytes = chunks.length === 0 ? emptyBody : Buffer.concat(chunks, this.size)
    this.chunks = [bytes]
    return bytes
  }

  /** Takes the chunks buffered so far (for a stream), reading on if the connection was paused. */
  take(): Array<Buffer> {
    const chunks = this.chunks
    this.chunks = []
    this.size = 0
    this.controller?.resume()
    return chunks
  }

  /** Aborts the request if its body is still arriving (a stream that stopped early). */
  abortUnfinished(): void {
    if (!this.ended && this.failure === undefined) this.controller?.abort(new errors.RequestAbortedError())
  }

  private wake(): void {
    const waiter = this.waiter
    if (waiter === undefined) return
    this.waiter = undefined
    waiter()
  }
}

/**
 * A failure before the response: a streamed body that failed or a request undici refused to encode is `Encode`,
 * anything else `Transport`, with undici's error (its `code`, e.g. `ECONNREFUSED`, `UND_ERR_SOCKET`) as the cause.
 */
const requestError = (request: HttpClientRequest.HttpClientRequest, error: Error): HttpClientError.RequestError => {
  if (error instanceof EncodeFailure) {
    return new HttpClientError.RequestError({ request, reason: "Encode", cause: error.cause })
  }
  const reason = (error as { readonly code?: unknown }).code === "UND_ERR_INVALID_ARG" ? "Encode" : "Transport"
  return new HttpClientError.RequestError({ request, reason, cause: error, description: error.message })
}
