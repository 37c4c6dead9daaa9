/**
 * The wire: building each request, sending it under the per-attempt timeout and the retry policy, refreshing a
 * provided key after a `401`, mapping every failure to a typed error, and decoding the answer.
 *
 * The success path of a call is kept lean (it is most of what a program does): what a layer can build once is built
 * once, the fiber's state (request options, log level, span) is read in one place, no retry driver exists until a
 * first failure, and the per-attempt timeout forks one fiber, not a race.
 *
 * @internal
 */
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as HttpClient from "@effect/platform/HttpClient"
import type * as HttpClientError from "@effect/platform/HttpClientError"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import type * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Exit from "effect/Exit"
import type * as Fiber from "effect/Fiber"
import * as FiberRef from "effect/FiberRef"
import * as LogLevel from "effect/LogLevel"
import * as Option from "effect/Option"
import * as Schedule from "effect/Schedule"
import type * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import type * as Tracer from "effect/Tracer"
import {
  type ApiRequest,
  type ApiResponse,
  CurrentRequestOptions,
  type RequestOptions,
  type StreamError
} from "../ApiCall.js"
import type * as AssistantStreamEvent from "../AssistantStreamEvent.js"
import { Run } from "../Run.js"
import * as RunsError from "../RunsError.js"
import * as Body from "./body.js"
import type { Credentials } from "./credentials.js"
import * as Deadline from "./deadline.js"
import { type DecodeContext, decodeError, type Decoder, decoderFor, notJson } from "./decode.js"
import * as EventStream from "./eventStream.js"
import * as Json from "./json.js"
import * as Lenient from "./lenient.js"
import { scrubbedExcerpt } from "./redact.js"
import * as Retry from "./retry.js"
import * as Serialise from "./serialise.js"
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
  readonly maxResponseBytes: number
  readonly maxEventBytes: number
  readonly streamIdleTimeout: Duration.Duration
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
 * The wire, as the client uses it; the request options in effect are read from the calling fiber.
 *
 * @internal
 */
export interface Transport {
  readonly execute: <A, I>(
    request: ApiRequest,
    schema: Schema.Schema<A, I>
  ) => Effect.Effect<ApiResponse<A>, RunsError.RunsError>
  readonly stream: (request: ApiRequest) => Stream.Stream<AssistantStreamEvent.AssistantStreamEvent, StreamError>
}

/** What one call works with: the client's settings with the request options in effect applied. */
interface CallSettings {
  readonly timeout: Duration.Duration
  readonly maxRetries: number
  readonly maxResponseBytes: number
  readonly maxEventBytes: number
  readonly streamIdleTimeout: Duration.Duration
  /** Every header but the auth header, lower-case names. */
  readonly headers: Readonly<Record<string, string>>
  readonly query: ReadonlyArray<readonly [string, string]>
}

/** What every attempt of a call shares: its settings (the request's own query and accept header added), and more. */
interface Prepared extends CallSettings {
  readonly method: ApiRequest["method"]
  readonly url: string
  readonly body: Uint8Array | undefined
  readonly idempotent: boolean
}

/** A 2xx answer's head, and what its errors need to know. */
interface Opened {
  readonly response: HttpClientResponse.HttpClientResponse
  readonly decodeContext: DecodeContext
}

const lowerCaseKeys = (headers: Readonly<Record<string, string>>): Record<string, string> => {
  const out: Record<string, string> = {}
  for (const name in headers) out[name.toLowerCase()] = headers[name]!
  return out
}

const noRequestOptions = (options: RequestOptions) =>
  options.timeout === undefined && options.maxRetries === undefined && options.headers === undefined &&
  options.queryParams === undefined && options.maxResponseBytes === undefined &&
  options.maxEventBytes === undefined && options.streamIdleTimeout === undefined

const invalidRequestOption = (option: string, must: string) =>
  new RunsError.InvalidRequestError({
    field: `requestOptions.${option}`,
    message: `requestOptions.${option} must be ${must}`
  })

const encoder = new TextEncoder()

const isSpan = (span: Tracer.AnySpan | undefined): span is Tracer.Span => span !== undefined && span._tag === "Span"

/** The W3C and B3 trace headers of a span, as `@effect/platform`'s `HttpTraceContext.toHeaders` writes them. */
const traceHeaders = (headers: Record<string, string>, span: Tracer.AnySpan) => {
  headers.traceparent = `00-${span.traceId}-${span.spanId}-${span.sampled ? "01" : "00"}`
  headers.b3 = `${span.traceId}-${span.spanId}-${span.sampled ? "1" : "0"}${
    span._tag === "Span" && span.parent._tag === "Some" ? `-${span.parent.value.spanId}` : ""
  }`
}

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
    const defaults: CallSettings = {
      timeout: settings.timeout,
      maxRetries: settings.maxRetries,
      maxResponseBytes: settings.maxResponseBytes,
      maxEventBytes: settings.maxEventBytes,
      streamIdleTimeout: settings.streamIdleTimeout,
      headers: withoutAuth({
        "openai-beta": "assistants=v2",
        accept: "application/json",
        "user-agent": userAgent,
        ...(settings.organization === undefined ? {} : { "openai-organization": settings.organization }),
        ...(settings.project === undefined ? {} : { "openai-project": settings.project }),
        ...lowerCaseKeys(settings.headers)
      }),
      query: Object.entries(settings.queryParams)
    }

    const backoff = settings.backoff ?? Retry.defaultBackoff
    const isRetryable = (idempotent: boolean) =>
      idempotent || settings.retryNonIdempotent ? Retry.isRetryableIdempotent : Retry.isRetryableNonIdempotent
    const schedules = new Map<string, Schedule.Schedule<unknown, RunsError.RunsError>>()
    /** The retry schedule of a policy and a number of retries, built once. */
    const scheduleFor = (idempotent: boolean, maxRetries: number) => {
      const key = `${idempotent}:${maxRetries}`
      let schedule = schedules.get(key)
      if (schedule === undefined) {
        schedule = Retry.makeSchedule({ maxRetries, backoff, isRetryable: isRetryable(idempotent) })
        schedules.set(key, schedule)
      }
      return schedule
    }

    /** The settings of a call under `options`, or why they cannot be used. */
    const callSettings = (options: RequestOptions): CallSettings | RunsError.InvalidRequestError => {
      if (noRequestOptions(options)) return defaults
      const maxRetries = options.maxRetries ?? settings.maxRetries
      if (!Number.isInteger(maxRetries) || maxRetries < 0) {
        return invalidRequestOption("maxRetries", "a whole number, 0 or more")
      }
      const maxResponseBytes = options.maxResponseBytes ?? settings.maxResponseBytes
      const maxEventBytes = options.maxEventBytes ?? settings.maxEventBytes
      for (
        const [option, bytes] of [["maxResponseBytes", maxResponseBytes], ["maxEventBytes", maxEventBytes]] as const
      ) {
        if (!Number.isInteger(bytes) || bytes <= 0) {
          return invalidRequestOption(option, "a whole number of bytes, 1 or more")
        }
      }
      return {
        timeout: options.timeout === undefined ? defaults.timeout : Duration.decode(options.timeout),
        maxRetries,
        maxResponseBytes,
        maxEventBytes,
        streamIdleTimeout: options.streamIdleTimeout === undefined
          ? defaults.streamIdleTimeout
          : Duration.decode(options.streamIdleTimeout),
        headers: options.headers === undefined
          ? defaults.headers
          : withoutAuth({ ...defaults.headers, ...lowerCaseKeys(options.headers) }),
        query: options.queryParams === undefined
          ? defaults.query
          : Object.entries({ ...Object.fromEntries(defaults.query), ...options.queryParams })
      }
    }

    /** What every attempt of a call shares, or why the call cannot be made. */
    const prepare = (
      request: ApiRequest,
      call: CallSettings,
      accept: string | undefined
    ): Prepared | RunsError.InvalidRequestError => {
      let body: Uint8Array | undefined
      if (request.body !== undefined) {
        const text = Serialise.toJsonText("params", request.body)
        if (Either.isLeft(text)) {
          return text.left
        }
        body = encoder.encode(text.right)
      }
      let path = ""
      for (const segment of request.path) {
        const encoded = Serialise.pathSegment("path", segment)
        if (Either.isLeft(encoded)) return encoded.left
        path += `/${encoded.right}`
      }
      const query = request.query === undefined || request.query.length === 0
        ? call.query
        : [...request.query, ...call.query]
      for (const [name, value] of query) {
        const checked = Serialise.queryValue(`query.${name}`, value)
        if (Either.isLeft(checked)) return checked.left
      }
      return {
        ...call,
        method: request.method,
        url: apiUrl + path,
        query,
        headers: accept === undefined ? call.headers : { ...call.headers, accept },
        body,
        idempotent: request.idempotent
      }
    }

    const attemptContext = (attempts: number): WireErrors.AttemptContext => ({
      attempts,
      nowMs: Date.now(),
      scrub
    })

    const transportError = (error: HttpClientError.HttpClientError, attempts: number) =>
      error._tag === "RequestError" && error.reason !== "Transport"
        ? new RunsError.InvalidRequestError({
          field: "request",
          message: scrub(`The request could not be built: ${error.message}`)
        })
        : WireErrors.fromTransport(error, attemptContext(attempts))

    /** The body of an answer, within `maxBytes`. */
    const readText = (
      response: HttpClientResponse.HttpClientResponse,
      maxBytes: number,
      context: Body.BodyContext
    ) =>
      Body.readText(
        response,
        maxBytes,
        context,
        (error) => WireErrors.fromTransport(error, attemptContext(context.attempts))
      )

    /** The error of a non-2xx answer, its body read (within `maxBytes`). */
    const statusError = (
      response: HttpClientResponse.HttpClientResponse,
      attempts: number,
      requestId: string | null,
      maxBytes: number
    ) =>
      Effect.flatMap(
        readText(response, maxBytes, { status: response.status, requestId, attempts }),
        (text) =>
          Effect.flatMap(Clock.currentTimeMillis, (nowMs) =>
            Effect.fail(WireErrors.fromResponse(response.status, response.headers, text, { attempts, nowMs, scrub })))
      )

    /** Sends one attempt and gives the 2xx answer's head; any other status fails with its typed error. */
    const open = (
      request: HttpClientRequest.HttpClientRequest,
      attempts: number,
      span: Tracer.AnySpan | undefined,
      maxBytes: number
    ): Effect.Effect<Opened, RunsError.RunsError> =>
      Effect.matchEffect(send(request), {
        onFailure: (error) => Effect.fail(transportError(error, attempts)),
        onSuccess: (response) => {
          const requestId = WireErrors.requestId(response.headers, scrub)
          if (isSpan(span)) {
            span.attribute("http.response.status_code", response.status)
            span.attribute("openai.request_id", requestId ?? "")
          }
          if (response.status < 200 || response.status >= 300) {
            return statusError(response, attempts, requestId, maxBytes)
          }
          return Effect.succeed({ response, decodeContext: { status: response.status, requestId, attempts, scrub } })
        }
      })

    const lenientReported = new Set<string>()

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

    /** Decodes a 2xx body; under `lenient`, fills what the server left out and reports it. */
    const decodeBody = <A>(
      decoder: Decoder<A>,
      schema: Schema.Schema.Any,
      body: unknown,
      decodeContext: DecodeContext
    ): Effect.Effect<A, RunsError.ResponseDecodeError> => {
      const strict = decoder.decode(body)
      if (Either.isRight(strict)) return Effect.succeed(strict.right)
      if (!settings.lenient) return Effect.fail(decodeError(decoder.what, strict.left, body, decodeContext))
      const filled = Lenient.fill(schema, body)
      const lenient = filled.paths.length === 0 ? strict : decoder.decode(filled.value)
      return Either.isLeft(lenient)
        ? Effect.fail(decodeError(decoder.what, lenient.left, body, decodeContext))
        : Effect.as(reportLenient(decoder.what, filled.paths), lenient.right)
    }

    /** The decoded 2xx answer of an opened attempt, its body read within `maxBytes`. */
    const read = <A>(decoder: Decoder<A>, schema: Schema.Schema.Any, maxBytes: number) => (opened: Opened) =>
      Effect.flatMap(
        readText(opened.response, maxBytes, opened.decodeContext),
        (text): Effect.Effect<ApiResponse<A>, RunsError.RunsError> => {
          const body = Json.parse(text)
          if (Either.isLeft(body)) return Effect.fail(notJson(text, opened.decodeContext, body.left))
          const { attempts, requestId, status } = opened.decodeContext
          const headers = opened.response.headers
          return Effect.map(
            decodeBody(decoder, schema, body.right, opened.decodeContext),
            (value): ApiResponse<A> => ({ value, status, headers, requestId, attempts })
          )
        }
      )

    /** The HTTP request of an attempt: the call's headers, the key, and the trace context of `span`. */
    const httpRequest = (prepared: Prepared, key: string, span: Tracer.AnySpan | undefined) => {
      const headers: Record<string, string> = { ...prepared.headers }
      headers[authHeader] = authValue(key)
      if (settings.propagateTrace && span !== undefined) traceHeaders(headers, span)
      const request = HttpClientRequest.make(prepared.method)(prepared.url, { headers, urlParams: prepared.query })
      return prepared.body === undefined
        ? request
        : HttpClientRequest.bodyUint8Array(request, prepared.body, "application/json")
    }

    /** An attempt in a span of its own (`httpSpans`); the span ends without the response, which could hold anything. */
    const inAttemptSpan = <A>(
      prepared: Prepared,
      attempts: number,
      use: (span: Tracer.AnySpan) => Effect.Effect<A, RunsError.RunsError>
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
          use(span).pipe(
            Effect.withParentSpan(span),
            Effect.onExit((exit) =>
              Effect.flatMap(
                Clock.currentTimeNanos,
                (now) => Effect.sync(() => span.end(now, Exit.isSuccess(exit) ? Exit.void : exit))
              )
            )
          )
      )

    /** A debug log line for an attempt that ended. */
    const logAttempt = (prepared: Prepared, attempts: number, exit: Exit.Exit<unknown, RunsError.RunsError>) => {
      const failure = Exit.isFailure(exit)
        ? Option.getOrUndefined(
          Exit.causeOption(exit).pipe(
            Option.flatMap((cause) => Option.fromNullable(cause._tag === "Fail" ? cause.error : undefined))
          )
        )
        : undefined
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
     * One call: its attempts under the retry policy, each bounded by the timeout, counted onto the operation's span.
     * With a provided key, a `401` asks the provider again and repeats the attempt, once per call. The retry driver
     * is built on the first failure, not before.
     */
    const run = <A>(
      prepared: Prepared,
      attempt: (opened: Opened, prepared: Prepared) => Effect.Effect<A, RunsError.RunsError>,
      fiber: Fiber.RuntimeFiber<unknown, unknown>
    ): Effect.Effect<A, RunsError.RunsError> => {
      const span = fiber.currentSpan
      const debug = LogLevel.lessThanEqual(fiber.getFiberRef(FiberRef.currentMinimumLogLevel), LogLevel.Debug)
      let attempts = 0
      let refreshed = false
      const once = (key: string, spanOfAttempt: Tracer.AnySpan | undefined, number: number) =>
        Deadline.bound(
          Effect.flatMap(
            open(httpRequest(prepared, key, spanOfAttempt), number, spanOfAttempt, prepared.maxResponseBytes),
            (opened) => attempt(opened, prepared)
          ),
          prepared.timeout,
          () =>
            new RunsError.TimeoutError({
              message: `The attempt took longer than ${Duration.format(prepared.timeout)}`,
              timeoutMs: Duration.toMillis(prepared.timeout),
              attempts: number
            })
        )
      const sendWith = (key: string): Effect.Effect<A, RunsError.RunsError> => {
        const number = ++attempts
        const sent = settings.httpSpans
          ? inAttemptSpan(prepared, number, (attemptSpan) => once(key, attemptSpan, number))
          : once(key, span, number)
        return debug ? Effect.onExit(sent, (exit) => logAttempt(prepared, number, exit)) : sent
      }
      const refresh = credentials.refresh
      const attemptOnce: Effect.Effect<A, RunsError.RunsError> = credentials.fixed !== undefined
        ? Effect.suspend(() => sendWith(credentials.fixed!))
        : Effect.flatMap(credentials.current, (key) =>
          refresh === undefined ? sendWith(key) : Effect.catchIf(
            sendWith(key),
            (error) => error._tag === "AuthenticationError" && !refreshed,
            () => {
              refreshed = true
              return Effect.flatMap(refresh(key), sendWith)
            }
          ))
      const retrying = (first: RunsError.RunsError): Effect.Effect<A, RunsError.RunsError> =>
        Effect.flatMap(Schedule.driver(scheduleFor(prepared.idempotent, prepared.maxRetries)), (driver) => {
          const next = (error: RunsError.RunsError): Effect.Effect<A, RunsError.RunsError> =>
            Effect.matchEffect(driver.next(error), {
              onFailure: () => Effect.fail(error),
              onSuccess: () => Effect.catchAll(attemptOnce, next)
            })
          return next(first)
        })
      const counted = (effect: Effect.Effect<A, RunsError.RunsError>) =>
        isSpan(span)
          ? Effect.onExit(effect, () => Effect.sync(() => span.attribute("openai.attempts", attempts)))
          : effect
      return counted(
        prepared.maxRetries === 0 ? attemptOnce : Effect.catchAll(attemptOnce, retrying)
      )
    }

    /** Runs `body` with the settings of the calling fiber's request options, or fails when they are unusable. */
    const withCall = <A>(
      request: ApiRequest,
      accept: string | undefined,
      body: (prepared: Prepared, fiber: Fiber.RuntimeFiber<unknown, unknown>) => Effect.Effect<A, RunsError.RunsError>
    ): Effect.Effect<A, RunsError.RunsError> =>
      Effect.withFiberRuntime((fiber) => {
        const call = callSettings(Context.get(fiber.currentContext, CurrentRequestOptions))
        if (call instanceof RunsError.InvalidRequestError) return Effect.fail(call)
        const prepared = prepare(request, call, accept)
        return prepared instanceof RunsError.InvalidRequestError ? Effect.fail(prepared) : body(prepared, fiber)
      })

    const execute = <A, I>(
      request: ApiRequest,
      schema: Schema.Schema<A, I>
    ): Effect.Effect<ApiResponse<A>, RunsError.RunsError> => {
      const decoder = decoderFor(schema)
      return withCall(
        request,
        undefined,
        (prepared, fiber) => run(prepared, read(decoder, schema, prepared.maxResponseBytes), fiber)
      )
    }

    /** The only event of a stream answered with a JSON Run (lenient): the run's status as a run event. */
    const runAsEvent = (opened: Opened, contentType: string, maxBytes: number) =>
      Effect.flatMap(readText(opened.response, maxBytes, opened.decodeContext), (text) => {
        const body = Json.parse(text)
        if (Either.isLeft(body)) return notStream(contentType, text, opened.decodeContext)
        return Effect.map(
          decodeBody(decoderFor(Run), Run, body.right, opened.decodeContext),
          (run): Stream.Stream<AssistantStreamEvent.AssistantStreamEvent, StreamError> =>
            Stream.make({ event: `thread.run.${run.status}`, data: run } as AssistantStreamEvent.AssistantStreamEvent)
        )
      })

    /**
     * The events of an opened stream, each within `maxEventBytes`, none more than `streamIdleTimeout` after the last;
     * a 2xx that is not `text/event-stream` fails (or, lenient, gives a JSON Run).
     */
    const events = (
      opened: Opened,
      prepared: Prepared
    ): Effect.Effect<Stream.Stream<AssistantStreamEvent.AssistantStreamEvent, StreamError>, RunsError.RunsError> => {
      const contentType = opened.response.headers["content-type"] ?? ""
      if (contentType.startsWith("text/event-stream")) {
        const context = attemptContext(opened.decodeContext.attempts)
        return Effect.succeed(
          EventStream.decode(
            Stream.mapError(opened.response.stream, (error) => WireErrors.fromTransport(error, context)),
            opened.decodeContext,
            { maxEventBytes: prepared.maxEventBytes }
          ).pipe(EventStream.idleTimeout(prepared.streamIdleTimeout, opened.decodeContext.attempts))
        )
      }
      if (settings.lenient && contentType.includes("json")) {
        return runAsEvent(opened, contentType, prepared.maxResponseBytes)
      }
      return Effect.flatMap(
        Effect.orElseSucceed(readText(opened.response, prepared.maxResponseBytes, opened.decodeContext), () => ""),
        (text) => notStream(contentType, text, opened.decodeContext)
      )
    }

    const stream = (request: ApiRequest): Stream.Stream<AssistantStreamEvent.AssistantStreamEvent, StreamError> =>
      Stream.unwrap(
        withCall(
          { ...request, idempotent: false },
          "text/event-stream",
          (prepared, fiber) => run(prepared, events, fiber)
        )
      )

    return { execute, stream }
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
      body: scrubbedExcerpt(text, context.scrub),
      status: context.status,
      requestId: context.requestId,
      attempts: context.attempts
    })
  )
