import * as Effect from "effect/Effect"
import type { IncomingHttpHeaders } from "node:http"
import type * as Fault from "../Fault.js"
import type { StreamingOptions } from "../Options.js"
import * as Errors from "./errors.js"
import * as Faults from "./faults.js"
import type * as Handler from "./handler.js"
import * as Reply from "./reply.js"
import * as RequestLog from "./requestLog.js"
import * as Routes from "./routes.js"
import * as Sse from "./sse.js"

/**
 * A request as the emulator takes it, whatever carried it, body included.
 *
 * @internal
 */
export interface Incoming {
  readonly method: string
  readonly url: URL
  /** Lower-case names. */
  readonly headers: IncomingHttpHeaders
  readonly body: string
  /** When it arrived (ms). */
  readonly time: number
}

/** @internal */
export interface Env extends Handler.Env {
  readonly apiKey: string
  /** The header holding the key alone (lower-case), or `undefined` for `Authorization: Bearer <key>`. */
  readonly apiKeyHeader: string | undefined
  readonly log: RequestLog.RequestLog
  readonly faults: Faults.FaultQueue<Fault.Fault>
  readonly streamFaults: Faults.FaultQueue<Fault.StreamFault>
  readonly streaming: StreamingOptions
}

/** The key a request carries: the bearer token of `authorization`, or the whole value of the env's key header. */
const keyOf = (headers: IncomingHttpHeaders, apiKeyHeader: string | undefined): string | undefined => {
  if (apiKeyHeader === undefined) {
    return headers.authorization === undefined ? undefined : /^Bearer\s+(.+)$/i.exec(headers.authorization)?.[1]
  }
  const value = headers[apiKeyHeader]
  return typeof value === "string" && value !== "" ? value : undefined
}

const authorize = (incoming: Incoming, env: Env): Effect.Effect<void, Errors.ApiError> => {
  const token = keyOf(incoming.headers, env.apiKeyHeader)
  if (token === undefined) return Effect.fail(Errors.missingApiKey())
  return token === env.apiKey ? Effect.void : Effect.fail(Errors.incorrectApiKey())
}

const requireBeta = (header: string | undefined): Effect.Effect<void, Errors.ApiError> =>
  header?.split(",").some((part) => part.trim() === "assistants=v2")
    ? Effect.void
    : Effect.fail(Errors.invalidBeta())

const parseJson = (text: string): Effect.Effect<unknown, Errors.ApiError> =>
  text.trim() === ""
    ? Effect.succeed(undefined)
    : Effect.try({ try: () => JSON.parse(text), catch: Errors.invalidJson })

/** The normal answer: authentication, routing, the beta header, the body, then the route's handler. */
const answer = (env: Env, incoming: Incoming): Effect.Effect<Handler.Response> =>
  Effect.gen(function*() {
    yield* authorize(incoming, env)
    const route = yield* Routes.find(incoming.method, incoming.url.pathname)
    yield* requireBeta(String(incoming.headers["openai-beta"] ?? ""))
    const body = yield* parseJson(incoming.body)
    return yield* route.handler(env, { params: route.params, query: incoming.url.searchParams, body })
  }).pipe(Effect.catchTag("ApiError", (error) => Effect.succeed(Reply.json(error.status, Errors.body(error)))))

/** The normal answer as written: a stream is rendered, with the stream fault due for it. */
const written = (env: Env, incoming: Incoming): Effect.Effect<Reply.Send> =>
  Effect.map(answer(env, incoming), (response) =>
    response._tag === "EventStream"
      ? Sse.render(response, env.streaming, env.streamFaults.take(incoming.method, incoming.url.pathname))
      : response)

/**
 * Every request goes through here: it is logged, then a queued fault matching it takes over, or it is answered.
 *
 * @internal
 */
export const make = (env: Env) => (incoming: Incoming): Effect.Effect<Reply.Reply> =>
  Effect.suspend(() => {
    env.log.record({
      method: incoming.method,
      path: incoming.url.pathname,
      query: RequestLog.queryOf(incoming.url.searchParams),
      headers: RequestLog.redactHeaders(incoming.headers, env.apiKeyHeader),
      body: incoming.body,
      time: incoming.time
    })
    const fault = env.faults.take(incoming.method, incoming.url.pathname)
    const normal = written(env, incoming)
    return fault === undefined ? normal : Faults.reply(fault, normal, incoming.headers)
  })
