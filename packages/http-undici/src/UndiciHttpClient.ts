/**
 * An `HttpClient` from `@effect/platform` over undici's `Dispatcher`, lean on the hot path: it dispatches through
 * undici's low-level handler interface, buffers the body itself and converts headers only when they are read.
 *
 * - Redirects are never followed: a 3xx is returned as it is.
 * - It has no timeouts of its own; undici's apply: `headersTimeout` and `bodyTimeout`, 300 seconds each by default
 *   (set them in {@link layer}'s options, `0` turns them off). Prefer `Effect.timeout` for a deadline per call.
 * - Interrupting a request, or a stream of its body, aborts it: the connection is closed, not returned to the pool.
 * - Failures: `RequestError` `"Transport"` before a response, with undici's error as the `cause` (its `code`, e.g.
 *   `ECONNREFUSED` or `UND_ERR_SOCKET`); `ResponseError` `"Decode"` when reading the body fails; `RequestError`
 *   `"InvalidUrl"` for a URL that does not parse or is not http(s); `RequestError` `"Encode"` when a streamed body
 *   fails or undici refuses the request (e.g. an invalid header value).
 *
 * @since 0.1.0
 */
import type * as HttpBody from "@effect/platform/HttpBody"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientError from "@effect/platform/HttpClientError"
import type * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import type * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"
import * as Undici from "undici"
import { EncodeFailure, Exchange } from "./internal/exchange.js"

/**
 * The undici `Dispatcher` the client sends through: an `Agent`, a `Pool`, a `ProxyAgent`, … Requests go through its
 * `dispatch`, so its interceptors apply, a redirect interceptor included: compose one only if you want redirects
 * followed.
 *
 * @since 0.1.0
 * @category tags
 */
export class Dispatcher extends Context.Tag("@effect-openai/http-undici/Dispatcher")<Dispatcher, Undici.Dispatcher>() {}

/**
 * Options of the `Agent` that {@link layer} creates: undici's `Agent.Options` without interceptors. The ones that
 * matter most, with undici's defaults:
 *
 * - `connections`: sockets per origin, default unlimited;
 * - `pipelining`: requests in flight per socket, default `1`;
 * - `headersTimeout`: ms to wait for the response headers, default `300_000` (5 minutes), `0` for none;
 * - `bodyTimeout`: ms allowed between two chunks of the body, default `300_000` (5 minutes), `0` for none;
 * - `connectTimeout`: ms to establish a connection, default `10_000`;
 * - `keepAliveTimeout`: ms an idle socket is kept, default `4_000` (a server's `Keep-Alive` hint may change it, up to
 *   `keepAliveMaxTimeout`, default `600_000`);
 * - `connect`: TLS and socket options (`ca`, `rejectUnauthorized`, …);
 * - `allowH2`: negotiate HTTP/2, default `false`.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options extends Omit<Undici.Agent.Options, "interceptors"> {}

type DispatchBody = Exclude<Undici.Dispatcher.DispatchOptions["body"], undefined>

const sendable = (url: URL): boolean => url.protocol === "http:" || url.protocol === "https:"

const send = (
  dispatcher: Undici.Dispatcher,
  request: HttpClientRequest.HttpClientRequest,
  url: URL,
  signal: AbortSignal,
  body: DispatchBody
): Effect.Effect<HttpClientResponse.HttpClientResponse, HttpClientError.RequestError> =>
  Effect.async((resume) => {
    const exchange = new Exchange(request, signal, resume)
    try {
      dispatcher.dispatch({
        origin: url.origin,
        path: url.pathname + url.search,
        method: request.method,
        headers: request.headers,
        body
      }, exchange)
    } catch (error) {
      // undici's dispatchers report their failures to the handler; a custom one (or an interceptor) may throw
      exchange.onResponseError(undefined, error as Error)
    }
  })

/** A request body as undici takes it (a stream aside: see `streamBody`). */
const dispatchBody = (body: Exclude<HttpBody.HttpBody, HttpBody.Stream>): DispatchBody => {
  switch (body._tag) {
    case "Empty":
      return null
    case "Uint8Array":
      return body.body
    case "Raw":
      return body.body as DispatchBody
    case "FormData":
      return undiciFormData(body.formData)
  }
}

/** undici encodes only its own `FormData` class, and the global one (Node's copy of undici) is another. */
const undiciFormData = (formData: FormData): Undici.FormData => {
  if (formData instanceof Undici.FormData) return formData
  const copy = new Undici.FormData()
  formData.forEach((value, name) => copy.append(name, value))
  return copy
}

/** A streamed body: a `ReadableStream` undici iterates, whose failures are told apart as encoding failures. */
const streamBody = (stream: Stream.Stream<Uint8Array, unknown>) =>
  Effect.map(
    Effect.runtime<never>(),
    (runtime) =>
      Stream.toReadableStreamRuntime(
        Stream.mapError(stream, (cause) => new EncodeFailure(cause)),
        runtime
      ) as unknown as DispatchBody
  )

/**
 * The client over a dispatcher you manage yourself.
 *
 * @since 0.1.0
 * @category constructors
 * @example
 * ```ts
 * import { Agent } from "undici"
 * import { UndiciHttpClient } from "@effect-openai/http-undici"
 *
 * const client = UndiciHttpClient.make(new Agent({ connections: 16 }))
 * ```
 */
export const make = (dispatcher: Undici.Dispatcher): HttpClient.HttpClient =>
  HttpClient.make((request, url, signal) => {
    if (!sendable(url)) {
      return Effect.fail(
        new HttpClientError.RequestError({
          request,
          reason: "InvalidUrl",
          description: `unsupported protocol ${url.protocol}`
        })
      )
    }
    const body = request.body
    return body._tag === "Stream"
      ? Effect.flatMap(streamBody(body.stream), (stream) => send(dispatcher, request, url, signal, stream))
      : send(dispatcher, request, url, signal, dispatchBody(body))
  })

/**
 * An undici `Agent` that lives as long as the scope: closing the scope destroys it, aborting whatever it still has in
 * flight.
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeDispatcher = (options?: Options): Effect.Effect<Undici.Agent, never, Scope.Scope> =>
  Effect.acquireRelease(
    Effect.sync(() => new Undici.Agent(options)),
    (agent) => Effect.promise(() => agent.destroy())
  )

/**
 * The client over the {@link Dispatcher} in the context: your own `Pool`, `ProxyAgent`, `MockAgent`, …
 *
 * @since 0.1.0
 * @category layers
 * @example
 * ```ts
 * import { Layer } from "effect"
 * import { ProxyAgent } from "undici"
 * import { UndiciHttpClient } from "@effect-openai/http-undici"
 *
 * const HttpLive = UndiciHttpClient.layerDispatcher.pipe(
 *   Layer.provide(Layer.succeed(UndiciHttpClient.Dispatcher, new ProxyAgent("http://proxy.internal:3128")))
 * )
 * ```
 */
export const layerDispatcher: Layer.Layer<HttpClient.HttpClient, never, Dispatcher> = Layer.effect(
  HttpClient.HttpClient,
  Effect.map(Dispatcher, make)
)

/**
 * The client over an undici `Agent` of its own, created with the layer and destroyed when the layer's scope closes.
 * See {@link Options} for the options and their defaults.
 *
 * @since 0.1.0
 * @category layers
 * @example
 * ```ts
 * import { UndiciHttpClient } from "@effect-openai/http-undici"
 *
 * const HttpLive = UndiciHttpClient.layer({ connections: 32, headersTimeout: 60_000 })
 * ```
 */
export const layer = (options?: Options): Layer.Layer<HttpClient.HttpClient> =>
  Layer.scoped(HttpClient.HttpClient, Effect.map(makeDispatcher(options), make))
