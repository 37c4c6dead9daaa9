/**
 * The authenticated HTTP client the Runs API (and later services) build on: base URL, auth and beta headers,
 * per-attempt timeout, the retry policy and the mapping of every failure to a typed error.
 *
 * It needs an `HttpClient.HttpClient` and never picks one: provide `FetchHttpClient.layer` or
 * `NodeHttpClient.layerUndici`.
 *
 * @since 0.1.0
 */
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as Headers from "@effect/platform/Headers"
import * as HttpClient from "@effect/platform/HttpClient"
import type * as HttpClientError from "@effect/platform/HttpClientError"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as Clock from "effect/Clock"
import * as Config from "effect/Config"
import type * as ConfigError from "effect/ConfigError"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import type * as Schedule from "effect/Schedule"
import type * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import type * as AssistantStreamEvent from "./AssistantStreamEvent.js"
import { type DecodeContext, decodeError, type Decoder, decoderFor, notJson } from "./internal/decode.js"
import * as EventStream from "./internal/eventStream.js"
import { makeScrubber } from "./internal/redact.js"
import * as Retry from "./internal/retry.js"
import { userAgent } from "./internal/version.js"
import * as WireErrors from "./internal/wireErrors.js"
import * as RunsError from "./RunsError.js"

/**
 * The default base URL.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultApiUrl = "https://api.openai.com/v1"

/**
 * How to reach and authenticate with an Assistants-compatible server.
 *
 * @since 0.1.0
 * @category models
 */
export interface OpenAiClientOptions {
  /** The API key, sent as `Authorization: Bearer …` (or in `apiKeyHeader`). Never logged or put in an error. */
  readonly apiKey: Redacted.Redacted | string
  /** Base URL, default `https://api.openai.com/v1`. Must be http(s), without credentials. */
  readonly apiUrl?: string | undefined
  /** Sent as `OpenAI-Organization`. */
  readonly organization?: string | undefined
  /** Sent as `OpenAI-Project`. */
  readonly project?: string | undefined
  /** Retries after the first attempt, default 2. `0` disables retries. */
  readonly maxRetries?: number | undefined
  /** Replaces the default backoff (0.5 s × 2ⁿ with jitter, capped at 8 s); server-advised waits still win. */
  readonly retrySchedule?: Schedule.Schedule<unknown, any> | undefined
  /**
   * Retry non-idempotent requests (create, submit tool outputs) like reads: after timeouts, dropped connections and
   * 5xx too, at the risk of running them twice. Default `false`: they are retried only when the server cannot have
   * acted on them.
   */
  readonly retryNonIdempotent?: boolean | undefined
  /**
   * Time allowed for one attempt (headers and body), default 60 seconds. `Duration.infinity` turns it off, and with
   * it the race each attempt runs in (two forked fibers and a timer): about a fifth less CPU per call.
   */
  readonly timeout?: Duration.DurationInput | undefined
  /** Extra headers for compatible servers. */
  readonly headers?: Readonly<Record<string, string>> | undefined
  /** Extra query parameters sent with every request, e.g. `{ "api-version": "…" }` for Azure. */
  readonly queryParams?: Readonly<Record<string, string>> | undefined
  /** Send the key raw in this header (e.g. Azure's `api-key`) instead of `Authorization: Bearer`. */
  readonly apiKeyHeader?: string | undefined
  /**
   * Also trace each HTTP attempt with a span of its own, `http.client <METHOD>` (default `false`): method, path,
   * attempt number, status and request id, never a header. Every operation already has its own span with the ids,
   * the final status and request id and the attempt count. (`@effect/platform`'s client span is always off: it costs
   * more than the rest of a call, and it records response headers, which a server could fill with anything.)
   */
  readonly httpSpans?: boolean | undefined
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
 * The client service: it builds, sends, retries and decodes.
 *
 * @since 0.1.0
 * @category models
 */
export interface Service {
  /** The base URL requests go to. */
  readonly apiUrl: string
  /**
   * Sends a request under its retry policy; a 2xx body is decoded with `schema` (a body that does not match fails
   * with `ResponseDecodeError`), anything else fails with its typed error.
   */
  readonly execute: <A, I>(
    request: ApiRequest,
    schema: Schema.Schema<A, I>
  ) => Effect.Effect<ApiResponse<A>, RunsError.RunsError>
  /**
   * Sends a request whose answer is an event stream, and gives its decoded events up to `done`. Only opening the
   * stream is retried, under the non-idempotent policy: once a 2xx arrived, nothing is sent again. Errors carry the
   * status, request id and attempt count of the attempt that opened the stream. Interrupting the consumer aborts the
   * request.
   */
  readonly stream: (request: ApiRequest) => Stream.Stream<AssistantStreamEvent.AssistantStreamEvent, StreamError>
}

/**
 * The authenticated client.
 *
 * @since 0.1.0
 * @category tags
 */
export class OpenAiClient extends Context.Tag("@effect-openai/runs/OpenAiClient")<OpenAiClient, Service>() {}

const invalidOption = (option: string, message: string) => new RunsError.InvalidOptionError({ option, message })

const parseApiUrl = (apiUrl: string): Effect.Effect<string, RunsError.InvalidOptionError> => {
  let url: URL
  try {
    url = new URL(apiUrl)
  } catch {
    return Effect.fail(invalidOption("apiUrl", "apiUrl is not a valid URL"))
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    return Effect.fail(invalidOption("apiUrl", `apiUrl must use http or https, not ${url.protocol}`))
  }
  if (url.username !== "" || url.password !== "") {
    return Effect.fail(invalidOption("apiUrl", "apiUrl must not contain credentials; pass the key as apiKey"))
  }
  if (url.search !== "" || url.hash !== "") {
    return Effect.fail(invalidOption("apiUrl", "apiUrl must not contain a query or fragment; use queryParams"))
  }
  return Effect.succeed(url.href.replace(/\/+$/, ""))
}

const staticHeaders = (options: OpenAiClientOptions, key: string): Headers.Headers =>
  Headers.fromInput({
    ...options.headers,
    ...(options.apiKeyHeader === undefined ? { authorization: `Bearer ${key}` } : { [options.apiKeyHeader]: key }),
    "openai-beta": "assistants=v2",
    accept: "application/json",
    "user-agent": userAgent,
    ...(options.organization === undefined ? {} : { "openai-organization": options.organization }),
    ...(options.project === undefined ? {} : { "openai-project": options.project })
  })

/**
 * Builds the client from options. Fails with `InvalidOptionError` when an option is unusable (an `apiUrl` that is
 * not http(s) or carries credentials, a negative `maxRetries`, an empty key).
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (
  options: OpenAiClientOptions
): Effect.Effect<Service, RunsError.InvalidOptionError, HttpClient.HttpClient> =>
  Effect.gen(function*() {
    const apiUrl = yield* parseApiUrl(options.apiUrl ?? defaultApiUrl)
    const maxRetries = options.maxRetries ?? 2
    if (!Number.isInteger(maxRetries) || maxRetries < 0) {
      return yield* invalidOption("maxRetries", "maxRetries must be a whole number, 0 or more")
    }
    const key = Redacted.isRedacted(options.apiKey) ? Redacted.value(options.apiKey) : options.apiKey
    if (key.trim() === "") return yield* invalidOption("apiKey", "apiKey is empty")
    const scrub = makeScrubber(key)
    const timeout = Duration.decode(options.timeout ?? Duration.seconds(60))
    const headers = staticHeaders(options, key)
    const extraQuery = Object.entries(options.queryParams ?? {})
    const backoff = options.retrySchedule ?? Retry.defaultBackoff
    const schedules = {
      idempotent: Retry.makeSchedule({ maxRetries, backoff, isRetryable: Retry.isRetryableIdempotent }),
      nonIdempotent: Retry.makeSchedule({
        maxRetries,
        backoff,
        isRetryable: options.retryNonIdempotent === true ? Retry.isRetryableIdempotent : Retry.isRetryableNonIdempotent
      })
    }

    const httpClient = HttpClient.withTracerDisabledWhen(yield* HttpClient.HttpClient, () => true)
    // Redirects are never followed: the API does not redirect, and a redirect must not carry the key elsewhere.
    const requestInit = {
      ...Option.getOrUndefined(yield* Effect.serviceOption(FetchHttpClient.RequestInit)),
      redirect: "manual" as const
    }
    const send = (request: HttpClientRequest.HttpClientRequest) =>
      Effect.provideService(httpClient.execute(request), FetchHttpClient.RequestInit, requestInit)

    const toHttpRequest = (request: ApiRequest): HttpClientRequest.HttpClientRequest => {
      const url = `${apiUrl}/${request.path.map(encodeURIComponent).join("/")}`
      const urlParams = request.query === undefined ? extraQuery : [...request.query, ...extraQuery]
      const base = HttpClientRequest.make(request.method)(url, { headers, urlParams })
      return request.body === undefined ? base : HttpClientRequest.bodyUnsafeJson(base, request.body)
    }

    /** A finite timeout races each attempt with a sleep; an infinite one skips the race. */
    const withTimeout = (attempts: number) => <A, E>(self: Effect.Effect<A, E>) =>
      Duration.isFinite(timeout)
        ? Effect.timeoutFail(self, { duration: timeout, onTimeout: () => timeoutError(attempts) })
        : self

    const timeoutError = (attempts: number) =>
      new RunsError.TimeoutError({
        message: `The attempt took longer than ${Duration.format(timeout)}`,
        timeoutMs: Duration.toMillis(timeout),
        attempts
      })

    const attemptContext = (attempts: number) =>
      Effect.map(Clock.currentTimeMillis, (nowMs): WireErrors.AttemptContext => ({ attempts, nowMs, scrub }))

    /** Sends one attempt and gives the 2xx response with what errors need to know; any other status fails. */
    const open = (request: HttpClientRequest.HttpClientRequest, attempts: number) =>
      Effect.gen(function*() {
        const context = yield* attemptContext(attempts)
        const response = yield* Effect.mapError(send(request), (error) => transportError(error, context))
        const requestId = WireErrors.requestId(response.headers, scrub)
        yield* Effect.annotateCurrentSpan({
          "http.response.status_code": response.status,
          "openai.request_id": requestId ?? ""
        })
        if (response.status < 200 || response.status >= 300) {
          const text = yield* Effect.mapError(response.text, (error) => WireErrors.fromTransport(error, context))
          return yield* WireErrors.fromResponse(response.status, response.headers, text, context)
        }
        const decodeContext: DecodeContext = { status: response.status, requestId, attempts, scrub }
        return { response, context, decodeContext }
      })

    const attempt = <A>(decoder: Decoder<A>) =>
    (
      request: HttpClientRequest.HttpClientRequest,
      attempts: number
    ): Effect.Effect<ApiResponse<A>, RunsError.RunsError> =>
      Effect.gen(function*() {
        const { context, decodeContext, response } = yield* open(request, attempts)
        const text = yield* Effect.mapError(response.text, (error) => WireErrors.fromTransport(error, context))
        let body: unknown
        try {
          body = JSON.parse(text)
        } catch {
          return yield* notJson(text, decodeContext)
        }
        const decoded = decoder.decode(body)
        if (Either.isLeft(decoded)) return yield* decodeError(decoder.what, decoded.left, body, decodeContext)
        return {
          value: decoded.right,
          status: response.status,
          headers: response.headers,
          requestId: decodeContext.requestId,
          attempts
        }
      }).pipe(withTimeout(attempts))

    /**
     * An attempt in a span of its own (`httpSpans: true`). The span ends with no value: the response holds what the
     * server sent, which could be anything.
     */
    const tracedAttempt = <A>(
      httpRequest: HttpClientRequest.HttpClientRequest,
      attempts: number,
      effect: Effect.Effect<A, RunsError.RunsError>
    ) =>
      Effect.flatMap(
        Effect.makeSpan(`http.client ${httpRequest.method}`, {
          kind: "client",
          attributes: {
            "http.request.method": httpRequest.method,
            "url.path": scrub(new URL(httpRequest.url).pathname),
            "openai.attempt": attempts
          }
        }),
        (span) =>
          effect.pipe(
            Effect.withParentSpan(span),
            Effect.onExit((exit) =>
              Effect.flatMap(Clock.currentTimeNanos, (now) =>
                Effect.sync(() => span.end(now, Exit.isSuccess(exit) ? Exit.void : exit)))
            )
          )
      )

    /** Runs `attempt` under the retry policy of the request, counting attempts onto the current span. */
    const withRetries = <A>(
      idempotent: boolean,
      attempt: (
        httpRequest: HttpClientRequest.HttpClientRequest,
        attempts: number
      ) => Effect.Effect<A, RunsError.RunsError>,
      httpRequest: HttpClientRequest.HttpClientRequest
    ): Effect.Effect<A, RunsError.RunsError> =>
      Effect.suspend(() => {
        let attempts = 0
        const traced = options.httpSpans === true
          ? (attempts: number) =>
            tracedAttempt(httpRequest, attempts, attempt(httpRequest, attempts))
          : (attempts: number) => attempt(httpRequest, attempts)
        return Effect.suspend(() => traced(++attempts)).pipe(
          Effect.retry(idempotent ? schedules.idempotent : schedules.nonIdempotent),
          Effect.onExit(() => Effect.annotateCurrentSpan("openai.attempts", attempts))
        )
      })

    const execute = <A, I>(
      request: ApiRequest,
      schema: Schema.Schema<A, I>
    ): Effect.Effect<ApiResponse<A>, RunsError.RunsError> =>
      Effect.suspend(() => withRetries(request.idempotent, attempt(decoderFor(schema)), toHttpRequest(request)))

    /** Opens an event stream: a 2xx that is not `text/event-stream` fails with `ResponseDecodeError`. */
    const openStream = (request: HttpClientRequest.HttpClientRequest, attempts: number) =>
      Effect.gen(function*() {
        const opened = yield* open(request, attempts)
        const contentType = opened.response.headers["content-type"] ?? ""
        if (!contentType.startsWith("text/event-stream")) {
          const text = yield* Effect.orElseSucceed(opened.response.text, () => "")
          return yield* notJson(text, opened.decodeContext)
        }
        return opened
      }).pipe(withTimeout(attempts))

    const stream = (request: ApiRequest): Stream.Stream<AssistantStreamEvent.AssistantStreamEvent, StreamError> =>
      Stream.unwrap(Effect.suspend(() =>
        Effect.map(
          withRetries(
            false,
            openStream,
            HttpClientRequest.setHeader(toHttpRequest(request), "accept", "text/event-stream")
          ),
          ({ context, decodeContext, response }) =>
            EventStream.decode(
              Stream.mapError(response.stream, (error) => WireErrors.fromTransport(error, context)),
              decodeContext
            )
        )
      ))

    return OpenAiClient.of({ apiUrl, execute, stream })
  })

const transportError = (error: HttpClientError.HttpClientError, context: WireErrors.AttemptContext) =>
  error._tag === "RequestError" && error.reason !== "Transport"
    ? new RunsError.InvalidRequestError({
      field: "request",
      message: context.scrub(`The request could not be built: ${error.message}`)
    })
    : WireErrors.fromTransport(error, context)

/**
 * The client as a layer; an unusable option fails building it with `InvalidOptionError`.
 *
 * @since 0.1.0
 * @category layers
 * @example
 * import { FetchHttpClient } from "@effect/platform"
 * import { Layer, Redacted } from "effect"
 * import { OpenAiClient } from "@effect-openai/runs"
 *
 * const ClientLive = OpenAiClient.layer({ apiKey: Redacted.make("sk-...") }).pipe(
 *   Layer.provide(FetchHttpClient.layer)
 * )
 */
export const layer = (
  options: OpenAiClientOptions
): Layer.Layer<OpenAiClient, RunsError.InvalidOptionError, HttpClient.HttpClient> =>
  Layer.effect(OpenAiClient, make(options))

/**
 * The options read from the environment through Effect `Config`: `OPENAI_API_KEY` (required, redacted),
 * `OPENAI_BASE_URL`, `OPENAI_ORG_ID`, `OPENAI_PROJECT_ID`, `OPENAI_MAX_RETRIES`, `OPENAI_TIMEOUT_MS`.
 *
 * @since 0.1.0
 * @category config
 */
export const config: Config.Config<OpenAiClientOptions> = Config.all({
  apiKey: Config.redacted("OPENAI_API_KEY"),
  apiUrl: Config.option(Config.string("OPENAI_BASE_URL")),
  organization: Config.option(Config.string("OPENAI_ORG_ID")),
  project: Config.option(Config.string("OPENAI_PROJECT_ID")),
  maxRetries: Config.option(Config.integer("OPENAI_MAX_RETRIES")),
  timeoutMs: Config.option(Config.integer("OPENAI_TIMEOUT_MS"))
}).pipe(
  Config.map(({ timeoutMs, ...options }) => ({
    apiKey: options.apiKey,
    apiUrl: Option.getOrUndefined(options.apiUrl),
    organization: Option.getOrUndefined(options.organization),
    project: Option.getOrUndefined(options.project),
    maxRetries: Option.getOrUndefined(options.maxRetries),
    timeout: Option.getOrUndefined(Option.map(timeoutMs, Duration.millis))
  }))
)

/**
 * The client with its options read through Effect `Config`: by default {@link config} (the `OPENAI_*` variables);
 * pass your own `Config` of the options, or a record of a `Config` per option (`Config.Wrap`), to read them
 * elsewhere.
 *
 * @since 0.1.0
 * @category layers
 * @example
 * import { Config } from "effect"
 * import { OpenAiClient } from "@effect-openai/runs"
 *
 * const ClientLive = OpenAiClient.layerConfig({
 *   apiKey: Config.redacted("MY_SERVER_KEY"),
 *   apiUrl: Config.succeed("http://localhost:4010/v1")
 * })
 */
export const layerConfig = (
  options: Config.Config.Wrap<OpenAiClientOptions> = config
): Layer.Layer<OpenAiClient, ConfigError.ConfigError | RunsError.InvalidOptionError, HttpClient.HttpClient> =>
  Layer.effect(OpenAiClient, Effect.flatMap(Config.unwrap(options), make))
