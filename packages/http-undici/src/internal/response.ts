/**
 * The `HttpClientResponse` of an {@link Exchange}: status and headers as undici gave them, converted on first read;
 * the body read from the exchange's buffer.
 *
 * @internal
 */
import * as Cookies from "@effect/platform/Cookies"
import * as Headers from "@effect/platform/Headers"
import * as HttpClientError from "@effect/platform/HttpClientError"
import type * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as HttpIncomingMessage from "@effect/platform/HttpIncomingMessage"
import * as UrlParams from "@effect/platform/UrlParams"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Inspectable from "effect/Inspectable"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import type { Exchange } from "./exchange.js"

/** UTF-8, without a byte order mark (as `Response.text()` decodes). */
const decodeText = (bytes: Buffer): string =>
  bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf
    ? bytes.toString("utf8", 3)
    : bytes.toString("utf8")

/** JSON, and `null` for an empty body (as `@effect/platform`'s responses do). */
const decodeJson = (bytes: Buffer): unknown => {
  const text = decodeText(bytes)
  return text === "" ? null : JSON.parse(text)
}

const decodeUrlParams = (bytes: Buffer): UrlParams.UrlParams =>
  UrlParams.fromInput(new URLSearchParams(decodeText(bytes)))

const copyBytes = (bytes: Buffer): ArrayBuffer => new Uint8Array(bytes).buffer

/**
 * A response whose body is buffered by its exchange. `text`, `json`, `urlParamsBody`, `arrayBuffer` and `formData`
 * wait for the whole body and share it (each may run any number of times); `stream` takes the body alone, once.
 *
 * @internal
 */
export class UndiciResponse extends Inspectable.Class implements HttpClientResponse.HttpClientResponse {
  readonly [HttpIncomingMessage.TypeId]: HttpIncomingMessage.TypeId = HttpIncomingMessage.TypeId
  readonly [HttpClientResponse.TypeId]: HttpClientResponse.TypeId = HttpClientResponse.TypeId
  private cachedHeaders: Headers.Headers | undefined = undefined
  private cachedCookies: Cookies.Cookies | undefined = undefined

  constructor(private readonly exchange: Exchange) {
    super()
  }

  get request(): HttpClientRequest.HttpClientRequest {
    return this.exchange.request
  }

  get status(): number {
    return this.exchange.status
  }

  /** Repeated headers are joined with `", "`, `set-cookie` too (as `NodeHttpClient`'s are); see `cookies`. */
  get headers(): Headers.Headers {
    return this.cachedHeaders ??= Headers.fromInput(this.exchange.headers)
  }

  get cookies(): Cookies.Cookies {
    if (this.cachedCookies !== undefined) return this.cachedCookies
    const setCookie = this.exchange.headers["set-cookie"]
    return this.cachedCookies = setCookie === undefined
      ? Cookies.empty
      : Cookies.fromSetCookie(typeof setCookie === "string" ? [setCookie] : setCookie)
  }

  get remoteAddress(): Option.Option<string> {
    return Option.none()
  }

  get text(): Effect.Effect<string, HttpClientError.ResponseError> {
    return Effect.suspend(() => this.whole(decodeText))
  }

  get json(): Effect.Effect<unknown, HttpClientError.ResponseError> {
    return Effect.suspend(() => this.whole(decodeJson))
  }

  get urlParamsBody(): Effect.Effect<UrlParams.UrlParams, HttpClientError.ResponseError> {
    return Effect.suspend(() => this.whole(decodeUrlParams))
  }

  get arrayBuffer(): Effect.Effect<ArrayBuffer, HttpClientError.ResponseError> {
    return Effect.suspend(() => this.whole(copyBytes))
  }

  get formData(): Effect.Effect<FormData, HttpClientError.ResponseError> {
    return Effect.flatMap(Effect.suspend(() => this.whole(copyBytes)), (bytes) =>
      Effect.tryPromise({
        try: () => new Response(bytes, { headers: { "content-type": this.headers["content-type"] ?? "" } }).formData(),
        catch: (cause) => this.decodeError(cause)
      }))
  }

  get stream(): Stream.Stream<Uint8Array, HttpClientError.ResponseError> {
    return Stream.suspend(() => {
      const exchange = this.exchange
      if (exchange.reader !== "none") return Stream.fail(this.alreadyRead())
      exchange.reader = "stream"
      // A body that has already arrived whole (a small answer often comes with its head) is one chunk: nothing left
      // to pull or to abort.
      if (exchange.ended && exchange.failure === undefined) {
        return Stream.fromChunk(Chunk.unsafeFromArray(exchange.take()))
      }
      return Stream.ensuring(
        Stream.repeatEffectChunkOption(Effect.suspend(() => this.pull())),
        Effect.sync(() => exchange.abortUnfinished())
      )
    })
  }

  toJSON(): unknown {
    const json: Record<string, unknown> = {
      _id: "@effect/platform/HttpClientResponse",
      request: this.request.toJSON(),
      status: this.status,
      headers: Inspectable.redact(this.headers),
      remoteAddress: this.remoteAddress.toJSON()
    }
    const body = this.peek()
    if (body !== undefined) json.body = body
    return json
  }

  /** The whole body, decoded; it waits for the body to end. */
  private whole<A>(decode: (bytes: Buffer) => A): Effect.Effect<A, HttpClientError.ResponseError> {
    const exchange = this.exchange
    if (exchange.reader === "stream") return Effect.fail(this.alreadyRead())
    exchange.reader = "whole"
    if (exchange.ended) {
      try {
        return Effect.succeed(decode(exchange.bytes()))
      } catch (cause) {
        return Effect.fail(this.decodeError(cause))
      }
    }
    if (exchange.failure !== undefined) return Effect.fail(this.decodeError(exchange.failure))
    return Effect.async((resume) => exchange.awaitWhole(() => resume(this.whole(decode))))
  }

  /** The chunks that arrived since the last pull; it waits for one if none did. */
  private pull(): Effect.Effect<Chunk.Chunk<Uint8Array>, Option.Option<HttpClientError.ResponseError>> {
    const exchange = this.exchange
    if (exchange.chunks.length > 0) return Effect.succeed(Chunk.unsafeFromArray(exchange.take()))
    if (exchange.failure !== undefined) return Effect.fail(Option.some(this.decodeError(exchange.failure)))
    if (exchange.ended) return Effect.fail(Option.none())
    return Effect.async((resume) => exchange.awaitChunk(() => resume(this.pull())))
  }

  /** For `toJSON`: a JSON or text body that has already arrived, without reading it (a stream can still take it). */
  private peek(): unknown {
    const exchange = this.exchange
    if (!exchange.ended || exchange.reader === "stream") return undefined
    const contentType = this.headers["content-type"] ?? ""
    try {
      if (contentType.includes("application/json")) return decodeJson(exchange.bytes())
      if (contentType.includes("text/") || contentType.includes("urlencoded")) return decodeText(exchange.bytes())
    } catch {
      // not shown
    }
    return undefined
  }

  private decodeError(cause: unknown): HttpClientError.ResponseError {
    return new HttpClientError.ResponseError({ request: this.request, response: this, reason: "Decode", cause })
  }

  private alreadyRead(): HttpClientError.ResponseError {
    return new HttpClientError.ResponseError({
      request: this.request,
      response: this,
      reason: "Decode",
      description: "the body was already read: a stream takes it alone"
    })
  }
}
