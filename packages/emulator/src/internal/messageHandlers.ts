import * as Effect from "effect/Effect"
import type * as Wire from "../Wire.js"
import * as Errors from "./errors.js"
import { activeRun, type ApiRequest, type Env, type Handler, settleRuns } from "./handler.js"
import * as Pagination from "./pagination.js"
import * as Reply from "./reply.js"
import * as Requests from "./requests.js"
import * as Store from "./store.js"

/**
 * The thread of the request, its runs brought up to date (expiry, wall clock) so that a run's reply is there when
 * the run has ended. Reading messages does not advance a run in `perRequest` mode: only reading the run does.
 */
const settledThread = (env: Env, request: ApiRequest): Effect.Effect<Store.ThreadRecord, Errors.ApiError> =>
  Effect.map(Store.thread(env.store, request.params.thread_id!), (thread) => {
    settleRuns(env, thread)
    return thread
  })

const message = (env: Env, request: ApiRequest) =>
  Effect.flatMap(
    settledThread(env, request),
    (thread) => Effect.map(Store.message(thread, request.params.message_id!), (found) => ({ thread, found }))
  )

/**
 * Adds a message, unless a run of the thread is active (the real API's 400).
 *
 * @internal
 */
export const create: Handler = (env, request) =>
  Effect.gen(function*() {
    const body = yield* Requests.createMessage(request.body)
    const thread = yield* Store.thread(env.store, request.params.thread_id!)
    const active = activeRun(env, thread)
    if (active !== undefined) return yield* Errors.messageWhileActiveRun(thread.thread.id, active.run.id)
    return Reply.json(200, Store.addMessage(thread, body, Date.now()))
  })

/**
 * A page of the thread's messages (`limit`, `order`, `after`, `before`); `run_id` keeps those the run created.
 *
 * @internal
 */
export const list: Handler = (env, request) =>
  Effect.gen(function*() {
    const query = yield* Pagination.query(request.query)
    const runId = request.query.get("run_id")
    const thread = yield* settledThread(env, request)
    const messages = runId === null ? thread.messages : thread.messages.filter((item) => item.run_id === runId)
    return Reply.json(200, Pagination.page(messages, query))
  })

/** @internal */
export const retrieve: Handler = (env, request) =>
  Effect.map(message(env, request), ({ found }) => Reply.json(200, found))

/**
 * Replaces a message's metadata (absent or `null`: unchanged).
 *
 * @internal
 */
export const modify: Handler = (env, request) =>
  Effect.gen(function*() {
    const metadata = yield* Requests.modifyMessage(request.body)
    const { found, thread } = yield* message(env, request)
    const modified: Wire.Message = metadata === undefined ? found : { ...found, metadata }
    Store.replaceMessage(thread, modified)
    return Reply.json(200, modified)
  })

/** @internal */
export const remove: Handler = (env, request) =>
  Effect.map(message(env, request), ({ found, thread }) => {
    Store.removeMessage(thread, found.id)
    const deleted: Wire.MessageDeleted = { id: found.id, object: "thread.message.deleted", deleted: true }
    return Reply.json(200, deleted)
  })
