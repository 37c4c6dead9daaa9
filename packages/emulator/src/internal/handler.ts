import { Effect } from "effect"
import type * as Engine from "./engine.js"
import * as Errors from "./errors.js"
import * as Reply from "./reply.js"
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

/** @internal */
export type Handler = (env: Env, request: ApiRequest) => Effect.Effect<Reply.Reply, Errors.ApiError>

/**
 * The answer to every endpoint returning a run: the run, with the polling advice header.
 *
 * @internal
 */
export const runReply = (env: Env, record: Store.RunRecord): Reply.Reply =>
  Reply.json(200, record.run, { "openai-poll-after-ms": String(env.pollAfterMs) })

/**
 * `stream: true` is refused until the SSE responder exists; it will take over from here.
 *
 * @internal
 */
export const refuseStreaming = (stream: boolean | undefined): Effect.Effect<void, Errors.ApiError> =>
  stream === true ? Effect.fail(Errors.streamingUnsupported()) : Effect.void
