import type * as Effect from "effect/Effect"
import * as Engine from "./engine.js"
import type * as Errors from "./errors.js"
import * as Reply from "./reply.js"
import type * as Sse from "./sse.js"
import type * as Store from "./store.js"

/**
 * What every route handler works with.
 *
 * @internal
 */
export interface Env {
  readonly store: Store.Store
  readonly engine: Engine.Engine
  readonly pollAfterMs: number
}

/**
 * An authorized request to a known route, its JSON body parsed.
 *
 * @internal
 */
export interface ApiRequest {
  readonly params: Readonly<Record<string, string>>
  readonly query: URLSearchParams
  readonly body: unknown
}

/**
 * A route's answer: JSON, or the events of a stream.
 *
 * @internal
 */
export type Response = Reply.Send | Sse.EventStream

/** @internal */
export type Handler = (env: Env, request: ApiRequest) => Effect.Effect<Response, Errors.ApiError>

/**
 * The answer to every endpoint returning a run: the run, with the polling advice header.
 *
 * @internal
 */
export const runReply = (env: Env, record: Store.RunRecord): Reply.Send =>
  Reply.json(200, record.run, { "openai-poll-after-ms": String(env.pollAfterMs) })

/**
 * Brings every run of a thread up to date (expiry, wall clock), without advancing any in `perRequest` mode.
 *
 * @internal
 */
export const settleRuns = (env: Env, thread: Store.ThreadRecord): void => {
  thread.runs.forEach(env.engine.settle)
}

/**
 * The active run of a thread, if one is (not ended yet), once every run of the thread is brought up to date: a
 * thread takes no new run and no new message while it has one.
 *
 * @internal
 */
export const activeRun = (env: Env, thread: Store.ThreadRecord): Store.RunRecord | undefined => {
  settleRuns(env, thread)
  return thread.runs.find((record) => !Engine.isTerminal(record.run.status))
}
