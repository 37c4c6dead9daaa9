import * as Effect from "effect/Effect"
import * as Errors from "./errors.js"
import type { Handler } from "./handler.js"
import * as Pagination from "./pagination.js"
import * as Reply from "./reply.js"
import * as Store from "./store.js"
import * as Validate from "./validate.js"

/**
 * The run whose steps are read, brought up to date (expiry, wall clock). Reading steps does not advance a run
 * in `perRequest` mode, so a test can look at them without moving it.
 */
const settledRun: (...args: Parameters<Handler>) => Effect.Effect<Store.RunRecord, Errors.ApiError> = (
  env,
  request
) =>
  Effect.gen(function*() {
    yield* Validate.include(request.query)
    const record = yield* Store.run(env.store, request.params.thread_id!, request.params.run_id!)
    env.engine.settle(record)
    return record
  })

/** @internal */
export const list: Handler = (env, request) =>
  Effect.gen(function*() {
    const query = yield* Pagination.query(request.query)
    const record = yield* settledRun(env, request)
    return Reply.json(200, Pagination.page(record.steps, query))
  })

/** @internal */
export const retrieve: Handler = (env, request) =>
  Effect.gen(function*() {
    const record = yield* settledRun(env, request)
    const stepId = request.params.step_id!
    const step = record.steps.find((candidate) => candidate.id === stepId)
    return step === undefined ? yield* Errors.notFound("run step", stepId) : Reply.json(200, step)
  })
