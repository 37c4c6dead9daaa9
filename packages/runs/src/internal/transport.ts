/**
 * The wire: building each request, sending it under the per-attempt timeout and the retry policy, refreshing a
 * provided key after a `401`, mapping every failure to a typed error, and decoding the answer.
 *
 * @internal
 */
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as HttpClient from "@effect/platform/HttpClient"
import type * as HttpClientError from "@effect/platform/HttpClientError"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import type * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as HttpTraceContext from "@effect/platform/HttpTraceContext"
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Exit from "effect/Exit"
import * as FiberRef from "effect/FiberRef"
import * as LogLevel from "effect/LogLevel"
import * as Option from "effect/Option"
import type * as Schedule from "effect/Schedule"
import type * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import type * as Tracer from "effect/Tracer"
import type { ApiRequest, ApiResponse, RequestOptions, StreamError } from "../ApiCall.js"
import type * as AssistantStreamEvent from "../AssistantStreamEvent.js"
import { Run } from "../Run.js"
import * as RunsError from "../RunsError.js"
import type { Credentials } from "./credentials.js"
import { type DecodeContext, decodeError, type Decoder, decoderFor, notJson } from "./decode.js"
import * as EventStream from "./eventStream.js"
import * as Lenient from "./lenient.js"
import { excerpt } from "./redact.js"
import * as Retry from "./retry.js"
import { userAgent } from "./version.js"
import * as WireErrors from "./wireErrors.js"

/**
 * Everything the client's options decide, checked.
 *
 * @internal
 */
export interface Settings {
  readonly apiUrl: string
  readonly credentials: Credentials
  readonly maxRetries: number
  readonly timeout: Duration.Duration
  readonly backoff: Schedule.Schedule<unknown, any> | undefined
  readonly retryNonIdempotent: boolean
  readonly headers: Readonly<Record<string, string>>
  readonly queryParams: Readonly<Record<string, string>>
  readonly organization: string | undefined
  readonly project: string | undefined
  readonly apiKeyHeader: string | undefined
  readonly httpSpans: boolean
  readonly propagateTrace: boolean
  readonly lenient: boolean
  readonly transformClient: ((client: HttpClient.HttpClient) => HttpClient.HttpClient) | undefined
}

/**
 * What one call works with: the client's settings with the request options in effect applied.
 *
 * @internal
 */
export interface CallSettings {
  readonly timeout: Duration.Duration
  readonly idempotent: Schedule.Schedule<unknown, RunsError.RunsError>
  readonly nonIdempotent: Schedule.Schedule<unknown, RunsError.RunsError>
  /** Every header but the auth header, lower-case names. */
  readonly headers: Readonly<Record<string, string>>
  readonly query: ReadonlyArray<readonly [string, string]>
}

/**
 * The wire, as the client uses it.
 *
 * @internal
 */
export interface Transport {
  /** The settings of a call under `options`; `undefined` when `options.maxRetries` is unusable. */
  readonly callSettings: (options: RequestOptions) => CallSettings | undefined
  readonly execute: <A, I>(
    request: ApiRequest,
    schema: Schema.Schema<A, I>,
    call: CallSettings
  ) => Effect.Effect<ApiResponse<A>, RunsError.RunsError>
  readonly stream: (
    request: ApiRequest,
    call: CallSettings
  ) => Stream.Stream<AssistantStreamEvent.AssistantStreamEvent, StreamError>
}

const lowerCaseKeys = (headers: Readonly<Record<string, string>>): Record<string, string> => {
  const out: Record<string, string> = {}
  for (const name in headers) out[name.toLowerCase()] = headers[name]!
  return out
}

const transportError = (error: HttpClientError.HttpClientError, context: WireErrors.AttemptContext) =>
  error._tag === "RequestError" && error.reason !== "Transport"
    ? new RunsError.InvalidRequestError({
      field: "request",
      message: context.scrub(`The request could not be built: ${error.message}`)
    })
    : WireErrors.fromTransport(error, context)

const isAuthenticationError = (error: RunsError.RunsError) => error._tag === "AuthenticationError"

/** A 2xx answer's head, and what its errors need to know. */
interface Opened {
  readonly response: HttpClientResponse.HttpClientResponse
  readonly context: WireErrors.AttemptContext
  readonly decodeContext: DecodeContext
}

/** An attempt, given its HTTP request and its number. */
type Attempt<A> = (
  request: HttpClientRequest.HttpClientRequest,
  attempt: number
) => Effect.Effect<A, RunsError.RunsError>

const debugEnabled = Effect.map(
  FiberRef.get(FiberRef.currentMinimumLogLevel),
  (minimum) => LogLevel.lessThanEqual(minimum, LogLevel.Debug)
)

const currentSpan: Effect.Effect<Option.Option<Tracer.Span>> = Effect.option(Effect.currentSpan)

/**
 * The wire over the `HttpClient` in context.
 *
 * @internal
 */
export const make = (settings: Settings): Effect.Effect<Transport, never, HttpClient.HttpClient> =>
  Effect.gen(function*() {
    const { apiUrl, credentials } = settings
    const scrub = credentials.scrub
    const base = yield* HttpClient.HttpClient
    const httpClient = HttpClient.withTracerDisabledWhen(
      settings.transformClient === undefined ? base : settings.transformClient(base),
      () => true
    )
    // Redirects are never followed: the API does not redirect, and a redirect must not carry the key elsewhere.
    const requestInit = {
      ...Option.getOrUndefined(yield* Effect.serviceOption(FetchHttpClient.RequestInit)),
      redirect: "manual" as const
    }
    const send = (request: HttpClientRequest.HttpClientRequest) =>
      Effect.provideService(httpClient.execute(request), FetchHttpClient.RequestInit, requestInit)

    const authHeader = (settings.apiKeyHeader ?? "authorization").toLowerCase()
    const authValue = (key: string) => settings.apiKeyHeader === undefined ? `Bearer ${key}` : key
    const withoutAuth = (headers: Record<string, string>) => {
      delete headers[authHeader]
      return headers
    }
    const clientHeaders = withoutAuth({
      "openai-beta": "assistants=v2",
      accept: "application/json",
      "user-agent": userAgent,
      ...(settings.organization === undefined ? {} : { "openai-organization": settings.organization }),
      ...(settings.project === undefined ? {} : { "openai-project": settings.project }),
      ...lowerCaseKeys(settings.headers)
    })
    const backoff = settings.backoff ?? Retry.defaultBackoff
    const schedulesFor = (maxRetries: number) => ({
      idempotent: Retry.makeSchedule({ maxRetries, backoff, isRetryable: Retry.isRetryableIdempotent }),
      nonIdempotent: Retry.makeSchedule({
        maxRetries,
        backoff,
        isRetryable: settings.retryNonIdempotent ? Retry.isRetryableIdempotent : Retry.isRetryableNonIdempotent
      })
    })
    const defaults: CallSettings = {
      timeout: settings.timeout,
      ...schedulesFor(settings.maxRetries),
      headers: clientHeaders,
      query: Object.entries(settings.queryParams)
    }

    const callSettings = (options: RequestOptions): CallSettings | undefined => {
      if (
        options.timeout === undefined && options.maxRetries === undefined && options.headers === undefined &&
        options.queryParams === undefined
      ) return defaults
      const maxRetries = options.maxRetries ?? settings.maxRetries
      if (!Number.isInteger(maxRetries) || maxRetries < 0) return undefined
      return {
        timeout: options.timeout === undefined ? defaults.timeout : Duration.decode(options.timeout),
        ...(options.maxRetries === undefined ? defaults : schedulesFor(maxRetries)),
        headers: options.headers === undefined
          ? defaults.headers
          : withoutAuth({ ...defaults.headers, ...lowerCaseKeys(options.headers) }),
        query: options.queryParams === undefined
          ? defaults.query
          : [...defaults.query, ...Object.entries(options.queryParams)]
      }
    }

    const timeoutError = (timeout: Duration.Duration, attempts: number) =>
      new RunsError.TimeoutError({
        message: `The attempt took longer than ${Duration.format(timeout)}`,
        timeoutMs: Duration.toMillis(timeout),
        attempts
      })

    /** A finite timeout bounds each attempt; an infinite one leaves it alone. */
    const withTimeout = <A>(
      effect: Effect.Effect<A, RunsError.RunsError>,
      timeout: Duration.Duration,
      attempt: number
    ) =>
      Duration.isFinite(timeout)
        ? Effect.timeoutFail(effect, { duration: timeout, onTimeout: () => timeoutError(timeout, attempt) })
        : effect

    const attemptContext = (attempts: number) =>
      Effect.map(Clock.currentTimeMillis, (nowMs): WireErrors.AttemptContext => ({ attempts, nowMs, scrub }))

    /** Sends one attempt and gives the 2xx answer's head; any other status fails with its typed error. */
    const open = (
      request: HttpClientRequest.HttpClientRequest,
      attempts: number
    ): Effect.Effect<Opened, RunsError.RunsError> =>
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
        return { response, context, decodeContext: { status: response.status, requestId, attempts, scrub } }
      })

    const lenientReported = new Set<string>()

    /** Decodes a 2xx body; under `lenient`, fills what the server left out and reports it. */
    const decodeBody = <A>(
      decoder: Decoder<A>,
      schema: Schema.Schema.Any,
      body: unknown,
      decodeContext: DecodeContext
    ): Effect.Effect<A, RunsError.ResponseDecodeError> => {
      const strict = decoder.decode(body)
      if (Either.isRight(strict)) return Effect.succeed(strict.right)
      const failed = () => decodeError(decoder.what, strict.left, body, decodeContext)
      if (!settings.lenient) return Effect.fail(failed())
      const filled = Lenient.fill(schema, body)
      if (filled.paths.length === 0) return Effect.fail(failed())
      const lenient = decoder.decode(filled.value)
      if (Either.isLeft(lenient)) return Effect.fail(decodeError(decoder.what, lenient.left, body, decodeContext))
      return Effect.as(reportLenient(decoder.what, filled.paths), lenient.right)
    }

    const reportLenient = (what: string, paths: ReadonlyArray<string>) => {
      const fresh = paths.filter((path) => !lenientReported.has(`${what}:${path}`))
      for (const path of fresh) lenientReported.add(`${what}:${path}`)
      return Effect.zipRight(
        Effect.annotateCurrentSpan("openai.lenient_defaults", paths.join(",")),
        fresh.length === 0 ? Effect.void : Effect.logWarning(
          `The server left out fields of ${what} that the spec requires; lenient defaults fill them: ${
            fresh.join(", ")
          }`
        )
      )
    }

    const attemptFor = <A, I>(schema: Schema.Schema<A, I>, call: CallSettings): Attempt<ApiResponse<A>> => {
      const decoder = decoderFor(schema)
      return (request, attempts) =>
        withTimeout(
          Effect.gen(function*() {
            const { context, decodeContext, response } = yield* open(request, attempts)
            const text = yield* Effect.mapError(response.text, (error) => WireErrors.fromTransport(error, context))
            let body: unknown
            try {
              body = JSON.parse(text)
            } catch {
              return yield* notJson(text, decodeContext)
            }
            const value = yield* decodeBody(decoder, schema, body, decodeContext)
            return {
              value,
              status: response.status,
              headers: response.headers,
              requestId: decodeContext.requestId,
              attempts
            }
          }),
          call.timeout,
          attempts
        )
    }

    /** The HTTP request of an attempt: the call's headers, the key, and the trace context of `span`. */
    const httpRequest = (
      prepared: Prepared,
      key: string,
      span: Option.Option<Tracer.Span>
    ): HttpClientRequest.HttpClientRequest => {
      const headers: Record<string, string> = { ...prepared.headers, [authHeader]: authValue(key) }
      if (settings.propagateTrace && span._tag === "Some") {
        Object.assign(headers, HttpTraceContext.toHeaders(span.value))
      }
      const request = HttpClientRequest.make(prepared.method)(prepared.url, { headers, urlParams: prepared.query })
      return prepared.body === undefined
        ? request
        : HttpClientRequest.bodyUint8Array(request, prepared.body, "application/json")
    }

    /** An attempt in a span of its own (`httpSpans`); the span ends without the response, which could hold anything. */
    const inAttemptSpan = <A>(
      prepared: Prepared,
      attempts: number,
      use: (span: Option.Option<Tracer.Span>) => Effect.Effect<A, RunsError.RunsError>
    ) =>
      Effect.flatMap(
        Effect.makeSpan(`http.client ${prepared.method}`, {
          kind: "client",
          attributes: {
            "http.request.method": prepared.method,
            "url.path": scrub(new URL(prepared.url).pathname),
            "openai.attempt": attempts
          }
        }),
        (span) =>
          use(Option.some(span)).pipe(
            Effect.withParentSpan(span),
            Effect.onExit((exit) =>
              Effect.flatMap(
                Clock.currentTimeNanos,
                (now) => Effect.sync(() => span.end(now, Exit.isSuccess(exit) ? Exit.void : exit))
              )
            )
          )
      )

    /** A debug log line for an attempt that ended (nothing at all unless debug logging is on). */
    const logAttempt = (prepared: Prepared, attempts: number, exit: Exit.Exit<unknown, RunsError.RunsError>) => {
      const failure = Exit.isFailure(exit) ?
        Option.getOrUndefined(
          Exit.causeOption(exit).pipe(
            Option.flatMap((cause) => Option.fromNullable(cause._tag === "Fail" ? cause.error : undefined))
          )
        ) :
        undefined
      const status = failure !== undefined && RunsError.isStatusError(failure) ? failure.status : undefined
      return Effect.logDebug(failure === undefined ? "OpenAI request succeeded" : "OpenAI request failed").pipe(
        Effect.annotateLogs({
          "http.request.method": prepared.method,
          "url.path": scrub(new URL(prepared.url).pathname),
          "openai.attempt": attempts,
          ...(status === undefined ? {} : { "http.response.status_code": status }),
          ...(failure === undefined ? {} : { "openai.failure": Retry.reason(failure) }),
          ...(failure !== undefined && "requestId" in failure && failure.requestId !== null
            ? { "openai.request_id": failure.requestId }
            : {})
        })
      )
    }

    /**
     * Runs `attempt` under the call's retry policy, counting attempts onto the current span. With a provided key, a
     * `401` asks the provider again and repeats the attempt, once per call.
     */
    const withRetries = <A>(
      prepared: Prepared,
      idempotent: boolean,
      attempt: Attempt<A>,
      call: CallSettings
    ): Effect.Effect<A, RunsError.RunsError> =>
      Effect.flatMap(debugEnabled, (debug) =>
        Effect.suspend(() => {
          let attempts = 0
          let refreshed = false
          const sendWith = (key: string): Effect.Effect<A, RunsError.RunsError> =>
            Effect.suspend(() => {
              const number = ++attempts
              const run = (span: Option.Option<Tracer.Span>) => attempt(httpRequest(prepared, key, span), number)
              const sent = settings.httpSpans ? inAttemptSpan(prepared, number, run) : Effect.flatMap(currentSpan, run)
              return debug ? Effect.onExit(sent, (exit) => logAttempt(prepared, number, exit)) : sent
            })
          const refresh = credentials.refresh
          const once = Effect.flatMap(credentials.current, (key) =>
            refresh === undefined ? sendWith(key) : Effect.catchIf(
              sendWith(key),
              (error) => isAuthenticationError(error) && !refreshed,
              () => {
                refreshed = true
                return Effect.flatMap(refresh(key), sendWith)
              }
            ))
          return once.pipe(
            Effect.retry(idempotent ? call.idempotent : call.nonIdempotent),
            Effect.onExit(() => Effect.annotateCurrentSpan("openai.attempts", attempts))
          )
        }))

    const execute = <A, I>(
      request: ApiRequest,
      schema: Schema.Schema<A, I>,
      call: CallSettings
    ): Effect.Effect<ApiResponse<A>, RunsError.RunsError> =>
      Effect.flatMap(
        prepare(request, call),
        (prepared) => withRetries(prepared, request.idempotent, attemptFor(schema, call), call)
      )

    /** The only event of a stream answered with a JSON Run (lenient): the run's status as a run event. */
    const runAsEvent = (
      opened: Opened,
      contentType: string
    ): Effect.Effect<Stream.Stream<AssistantStreamEvent.AssistantStreamEvent, StreamError>, RunsError.RunsError> =>
      Effect.gen(function*() {
        const text = yield* Effect.mapError(
          opened.response.text,
          (error) => WireErrors.fromTransport(error, opened.context)
        )
        let body: unknown
        try {
          body = JSON.parse(text)
        } catch {
          return yield* notStream(contentType, text, opened.decodeContext)
        }
        const run = yield* decodeBody(decoderFor(Run), Run, body, opened.decodeContext)
        return Stream.make(
          { event: `thread.run.${run.status}`, data: run } as AssistantStreamEvent.AssistantStreamEvent
        )
      })

    /** Opens an event stream; a 2xx that is not `text/event-stream` fails (or, lenient, gives a JSON Run). */
    const openStream =
      (call: CallSettings): Attempt<Stream.Stream<AssistantStreamEvent.AssistantStreamEvent, StreamError>> =>
      (request, attempts) =>
        withTimeout(
          Effect.flatMap(open(request, attempts), (opened) => {
            const contentType = opened.response.headers["content-type"] ?? ""
            if (contentType.startsWith("text/event-stream")) {
              return Effect.succeed(
                EventStream.decode(
                  Stream.mapError(opened.response.stream, (error) => WireErrors.fromTransport(error, opened.context)),
                  opened.decodeContext
                )
              )
            }
            if (settings.lenient && contentType.includes("json")) return runAsEvent(opened, contentType)
            return Effect.flatMap(
              Effect.orElseSucceed(opened.response.text, () => ""),
              (text) => notStream(contentType, text, opened.decodeContext)
            )
          }),
          call.timeout,
          attempts
        )

    const stream = (
      request: ApiRequest,
      call: CallSettings
    ): Stream.Stream<AssistantStreamEvent.AssistantStreamEvent, StreamError> =>
      Stream.unwrap(
        Effect.flatMap(
          prepare(request, call, "text/event-stream"),
          (prepared) => withRetries(prepared, false, openStream(call), call)
        )
      )

    /** What every attempt of a call shares: method, URL, query, headers but the key's, and the JSON body. */
    interface Prepared {
      readonly method: ApiRequest["method"]
      readonly url: string
      readonly query: ReadonlyArray<readonly [string, string]>
      readonly headers: Readonly<Record<string, string>>
      readonly body: Uint8Array | undefined
    }

    const encoder = new TextEncoder()

    const prepare = (
      request: ApiRequest,
      call: CallSettings,
      accept?: string
    ): Effect.Effect<Prepared, RunsError.InvalidRequestError> => {
      let body: Uint8Array | undefined
      if (request.body !== undefined) {
        try {
          body = encoder.encode(JSON.stringify(request.body))
        } catch (error) {
          return Effect.fail(
            new RunsError.InvalidRequestError({
              field: "params",
              message: scrub(`params cannot be sent as JSON: ${error instanceof Error ? error.message : String(error)}`)
            })
          )
        }
      }
      return Effect.succeed({
        method: request.method,
        url: `${apiUrl}/${request.path.map(encodeURIComponent).join("/")}`,
        query: request.query === undefined ? call.query : [...request.query, ...call.query],
        headers: accept === undefined ? call.headers : { ...call.headers, accept },
        body
      })
    }

    return { callSettings, execute, stream }
  })

/** A 2xx answer to a stream request that is not an event stream. */
const notStream = (
  contentType: string,
  text: string,
  context: DecodeContext
): Effect.Effect<never, RunsError.ResponseDecodeError> =>
  Effect.fail(
    new RunsError.ResponseDecodeError({
      message: context.scrub(
        `Expected an event stream (text/event-stream), got ${contentType === "" ? "no content type" : contentType}`
      ),
      path: [],
      body: context.scrub(excerpt(text)),
      status: context.status,
      requestId: context.requestId,
      attempts: context.attempts
    })
  )
