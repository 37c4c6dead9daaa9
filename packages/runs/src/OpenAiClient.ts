/**
 * The authenticated HTTP client the services build on: it builds each request (base URL, auth and beta headers,
 * trace context), sends it under the per-attempt timeout and the retry policy, maps every failure to a typed error,
 * and decodes the answer.
 *
 * It needs an `HttpClient.HttpClient` and never picks one: provide `FetchHttpClient.layer`,
 * `NodeHttpClient.layerUndici` or `@effect-openai/http-undici`.
 *
 * @since 0.1.0
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import * as Config from "effect/Config"
import type * as ConfigError from "effect/ConfigError"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import { dual } from "effect/Function"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Predicate from "effect/Predicate"
import * as Redacted from "effect/Redacted"
import type * as Schedule from "effect/Schedule"
import type * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import * as ApiCall from "./ApiCall.js"
import type { ApiRequest, ApiResponse, RequestOptions, StreamError } from "./ApiCall.js"
import type * as AssistantStreamEvent from "./AssistantStreamEvent.js"
import * as ApiUrl from "./internal/apiUrl.js"
import * as Body from "./internal/body.js"
import * as Credentials from "./internal/credentials.js"
import * as EventStream from "./internal/eventStream.js"
import { defaultMaxEventBytes } from "./internal/sse.js"
import * as Transport from "./internal/transport.js"
import * as RunsError from "./RunsError.js"

/**
 * The default base URL.
 *
 * @example
 * ```ts
 * import { OpenAiClient } from "@effect-openai/runs"
 *
 * console.log(OpenAiClient.defaultApiUrl) // "https://api.openai.com/v1"
 * ```
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultApiUrl = "https://api.openai.com/v1"

/**
 * How to reach and authenticate with an Assistants-compatible server. `R` is what an `apiKey` Effect needs.
 *
 * @since 0.1.0
 * @category models
 */
export interface OpenAiClientOptions<R = never> {
  /**
   * The API key, sent as `Authorization: Bearer …` (or in `apiKeyHeader`); never logged or put in an error. An
   * Effect giving the key or a token (e.g. an Entra ID token provider) is asked once and kept, and asked again
   * after a `401` (once per call; a second `401` is the call's `AuthenticationError`); if it fails, the call fails
   * with `CredentialsError`.
   */
  readonly apiKey: Redacted.Redacted | string | Effect.Effect<Redacted.Redacted | string, unknown, R>
  /** Base URL, default `https://api.openai.com/v1`. Must be http(s), without credentials, query or fragment. */
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
  /** Time allowed for one attempt (headers and body), default 60 seconds. `Duration.infinity` turns it off. */
  readonly timeout?: Duration.DurationInput | undefined
  /**
   * The largest body read for one answer (default 32 MiB, far above any legitimate one: a page of 100 runs with
   * maximal instructions is about 26 MB). A larger one fails with `ResponseTooLargeError` as soon as that is known
   * (its `content-length`, or the bytes counted while reading), is never read further, and is not retried.
   */
  readonly maxResponseBytes?: number | undefined
  /** The largest event of a stream (default 10 MiB): a larger one fails the stream with `ResponseTooLargeError`. */
  readonly maxEventBytes?: number | undefined
  /**
   * How long a stream may go without an event (default 5 minutes; comments and keep-alives do not count): then it
   * fails with `TimeoutError`. `Duration.infinity` turns it off. (`timeout` bounds opening the stream.)
   */
  readonly streamIdleTimeout?: Duration.DurationInput | undefined
  /**
   * Headers sent with every request; they replace the library's own (`OpenAI-Beta`, `User-Agent`, `Accept`, …) of
   * the same name, except the auth header, which is always the library's.
   */
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
  /**
   * Send the current span as W3C `traceparent` (and `b3`) headers, as `@effect/platform`'s client does (default
   * `true`).
   */
  readonly propagateTrace?: boolean | undefined
  /**
   * `"strict"` (default): an answer missing a field the spec requires fails with `ResponseDecodeError`.
   * `"lenient"`: for compatible servers that leave fields out, documented defaults fill them (a Run's `model` `""`,
   * `tools` `[]`, `last_error.code` `"unknown"`), each filled path is logged once as a warning and put on the span
   * (`openai.lenient_defaults`); and a JSON Run answering a stream request is given as the stream's only event.
   */
  readonly decode?: "strict" | "lenient" | undefined
  /**
   * Changes the `HttpClient` the client sends with, once, when the client is built: a proxy, middleware of your own
   * (as `@effect/ai-openai`'s `transformClient`).
   */
  readonly transformClient?: ((client: HttpClient.HttpClient) => HttpClient.HttpClient) | undefined
}

export type {
  /**
   * @since 0.1.0
   * @category models
   */
  ApiRequest,
  /**
   * @since 0.1.0
   * @category models
   */
  ApiResponse,
  /**
   * @since 0.2.0
   * @category models
   */
  RequestOptions,
  /**
   * @since 0.2.0
   * @category models
   */
  ResponseMeta,
  /**
   * @since 0.2.0
   * @category models
   */
  StreamError
} from "./ApiCall.js"

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
   * stream is retried, as a non-idempotent request is (`retryNonIdempotent` included): once a 2xx arrived, nothing is
   * sent again. Errors carry the status, request id and attempt count of the attempt that opened the stream.
   * Interrupting the consumer aborts the request.
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

/**
 * The request options in effect: none by default (see {@link withRequestOptions}).
 *
 * @example
 * ```ts
 * import { OpenAiClient } from "@effect-openai/runs"
 * import { Effect } from "effect"
 *
 * // The options withRequestOptions set for the calls of this effect
 * const inEffect = Effect.map(OpenAiClient.CurrentRequestOptions, (options) => options.timeout)
 * ```
 *
 * @since 0.2.0
 * @category references
 */
export const CurrentRequestOptions = ApiCall.CurrentRequestOptions

const mergeRequestOptions = (outer: RequestOptions, inner: RequestOptions): RequestOptions => ({
  ...outer,
  ...inner,
  headers: outer.headers === undefined ? inner.headers : { ...outer.headers, ...inner.headers },
  queryParams: outer.queryParams === undefined ? inner.queryParams : { ...outer.queryParams, ...inner.queryParams }
})

const isStream = (u: unknown): u is Stream.Stream<unknown, unknown, unknown> =>
  Predicate.hasProperty(u, Stream.StreamTypeId)

/**
 * Runs an effect (or a stream) with request options of its own: a timeout, a number of retries, headers and query
 * parameters for every request it makes through the client. Nested calls merge, the innermost winning.
 *
 * @since 0.2.0
 * @category request options
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { OpenAiClient, RunsService } from "@effect-openai/runs"
 *
 * const quick = Effect.flatMap(RunsService.RunsService, (runs) => runs.getRun("thread_abc123", "run_abc123")).pipe(
 *   OpenAiClient.withRequestOptions({ timeout: "5 seconds", maxRetries: 0, headers: { "x-trace": "checkout" } })
 * )
 * ```
 */
export const withRequestOptions: {
  (options: RequestOptions): <Self extends Effect.Effect<any, any, any> | Stream.Stream<any, any, any>>(
    self: Self
  ) => Self
  <Self extends Effect.Effect<any, any, any> | Stream.Stream<any, any, any>>(self: Self, options: RequestOptions): Self
} = dual(
  2,
  (self: Effect.Effect<any, any, any> | Stream.Stream<any, any, any>, options: RequestOptions): any =>
    isStream(self)
      ? Stream.unwrap(
        Effect.map(
          CurrentRequestOptions,
          (current) => Stream.provideService(self, CurrentRequestOptions, mergeRequestOptions(current, options))
        )
      )
      : Effect.flatMap(
        CurrentRequestOptions,
        (current) =>
          Effect.provideService(
            self as Effect.Effect<any, any, any>,
            CurrentRequestOptions,
            mergeRequestOptions(current, options)
          )
      )
)

const invalidOption = (option: string, message: string) => new RunsError.InvalidOptionError({ option, message })

const checkRetries = (option: string, maxRetries: number) =>
  Number.isInteger(maxRetries) && maxRetries >= 0
    ? Effect.succeed(maxRetries)
    : Effect.fail(invalidOption(option, `${option} must be a whole number, 0 or more`))

const checkBytes = (option: string, bytes: number) =>
  Number.isInteger(bytes) && bytes > 0
    ? Effect.succeed(bytes)
    : Effect.fail(invalidOption(option, `${option} must be a whole number of bytes, 1 or more`))

const credentialsOf = <R>(
  apiKey: OpenAiClientOptions<R>["apiKey"]
): Effect.Effect<Credentials.Credentials, RunsError.InvalidOptionError, R> => {
  if (Effect.isEffect(apiKey)) {
    return Effect.flatMap(Effect.context<R>(), (context) => Credentials.fromProvider(Effect.provide(apiKey, context)))
  }
  const key = Redacted.isRedacted(apiKey) ? Redacted.value(apiKey) : apiKey
  return key.trim() === "" ? Effect.fail(invalidOption("apiKey", "apiKey is empty")) : Effect.succeed(
    Credentials.fixed(key)
  )
}

/**
 * Builds the client from options. Fails with `InvalidOptionError` when an option is unusable (an `apiUrl` that is
 * not http(s) or carries credentials, a query or a fragment, a negative `maxRetries`, a bound that is not a positive
 * number of bytes, an empty key).
 *
 * @since 0.1.0
 * @category constructors
 * @example
 * ```ts
 * import { FetchHttpClient } from "@effect/platform"
 * import { Effect, Redacted } from "effect"
 * import { OpenAiClient } from "@effect-openai/runs"
 *
 * const client = OpenAiClient.make({ apiKey: Redacted.make("sk-...") }).pipe(Effect.provide(FetchHttpClient.layer))
 * ```
 */
export const make = <R = never>(
  options: OpenAiClientOptions<R>
): Effect.Effect<Service, RunsError.InvalidOptionError, HttpClient.HttpClient | R> =>
  Effect.gen(function*() {
    const apiUrl = yield* ApiUrl.parse(options.apiUrl ?? defaultApiUrl)
    const maxRetries = yield* checkRetries("maxRetries", options.maxRetries ?? 2)
    const maxResponseBytes = yield* checkBytes(
      "maxResponseBytes",
      options.maxResponseBytes ?? Body.defaultMaxResponseBytes
    )
    const maxEventBytes = yield* checkBytes("maxEventBytes", options.maxEventBytes ?? defaultMaxEventBytes)
    const credentials = yield* credentialsOf(options.apiKey)
    const transport = yield* Transport.make({
      apiUrl,
      credentials,
      maxRetries,
      timeout: Duration.decode(options.timeout ?? Duration.seconds(60)),
      maxResponseBytes,
      maxEventBytes,
      streamIdleTimeout: Duration.decode(options.streamIdleTimeout ?? EventStream.defaultStreamIdleTimeout),
      backoff: options.retrySchedule,
      retryNonIdempotent: options.retryNonIdempotent === true,
      headers: options.headers ?? {},
      queryParams: options.queryParams ?? {},
      organization: options.organization,
      project: options.project,
      apiKeyHeader: options.apiKeyHeader,
      httpSpans: options.httpSpans === true,
      propagateTrace: options.propagateTrace !== false,
      lenient: options.decode === "lenient",
      transformClient: options.transformClient
    })
    return OpenAiClient.of({ apiUrl, execute: transport.execute, stream: transport.stream })
  })

/**
 * The client as a layer; an unusable option fails building it with `InvalidOptionError`.
 *
 * @since 0.1.0
 * @category layers
 * @example
 * ```ts
 * import { FetchHttpClient } from "@effect/platform"
 * import { Layer, Redacted } from "effect"
 * import { OpenAiClient } from "@effect-openai/runs"
 *
 * const ClientLive = OpenAiClient.layer({ apiKey: Redacted.make("sk-...") }).pipe(
 *   Layer.provide(FetchHttpClient.layer)
 * )
 * ```
 */
export const layer = <R = never>(
  options: OpenAiClientOptions<R>
): Layer.Layer<OpenAiClient, RunsError.InvalidOptionError, HttpClient.HttpClient | R> =>
  Layer.effect(OpenAiClient, make(options))

/**
 * The options read from the environment through Effect `Config`: `OPENAI_API_KEY` (required, redacted),
 * `OPENAI_BASE_URL`, `OPENAI_ORG_ID`, `OPENAI_PROJECT_ID`, `OPENAI_MAX_RETRIES`, `OPENAI_TIMEOUT_MS`.
 *
 * @example
 * ```ts
 * import { OpenAiClient } from "@effect-openai/runs"
 * import { ConfigProvider, Effect } from "effect"
 *
 * const options = OpenAiClient.config.pipe(
 *   Effect.withConfigProvider(ConfigProvider.fromMap(new Map([["OPENAI_API_KEY", "sk-test"]])))
 * )
 * ```
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
 * ```ts
 * import { Config } from "effect"
 * import { OpenAiClient } from "@effect-openai/runs"
 *
 * const ClientLive = OpenAiClient.layerConfig({
 *   apiKey: Config.redacted("MY_SERVER_KEY"),
 *   apiUrl: Config.succeed("http://localhost:4010/v1")
 * })
 * ```
 */
export const layerConfig = (
  options: Config.Config.Wrap<OpenAiClientOptions> = config
): Layer.Layer<OpenAiClient, ConfigError.ConfigError | RunsError.InvalidOptionError, HttpClient.HttpClient> =>
  Layer.effect(OpenAiClient, Effect.flatMap(Config.unwrap(options), make))
