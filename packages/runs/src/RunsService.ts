/**
 * The Runs API as an Effect service: every operation traced, its inputs checked before anything is sent, its
 * failures typed.
 *
 * @since 0.1.0
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import type * as ConfigError from "effect/ConfigError"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Schema from "effect/Schema"
import * as Backend from "./internal/backend.js"
import { validator } from "./internal/validate.js"
import * as OpenAiClient from "./OpenAiClient.js"
import * as Run from "./Run.js"
import * as RunRequest from "./RunRequest.js"
import type * as RunsError from "./RunsError.js"

/**
 * The operations on runs.
 *
 * @since 0.1.0
 * @category models
 */
export interface Service {
  /** Retrieves a run (`GET /threads/{thread_id}/runs/{run_id}`). */
  readonly getRun: (threadId: string, runId: string) => Effect.Effect<Run.Run, RunsError.RunsError>
  /** Replaces a run's metadata (`POST /threads/{thread_id}/runs/{run_id}`). */
  readonly modifyRun: (
    threadId: string,
    runId: string,
    params: RunRequest.ModifyRunRequest
  ) => Effect.Effect<Run.Run, RunsError.RunsError>
}

/**
 * The service tag.
 *
 * @since 0.1.0
 * @category tags
 * @example
 * import { Effect } from "effect"
 * import { RunsService } from "@effect-openai/runs"
 *
 * const status = Effect.gen(function*() {
 *   const runs = yield* RunsService.RunsService
 *   const run = yield* runs.getRun("thread_abc123", "run_abc123")
 *   return run.status
 * })
 */
export class RunsService extends Context.Tag("@effect-openai/runs/RunsService")<RunsService, Service>() {}

const checkId = validator(RunRequest.Id)
const checkModifyRun = validator(RunRequest.ModifyRunRequest)

const runSpanAttributes = (threadId: string, runId: string) =>
  Effect.annotateCurrentSpan({ "openai.thread_id": threadId, "openai.run_id": runId })

const checkRunIds = (threadId: string, runId: string) =>
  Effect.zipRight(checkId("threadId", threadId), checkId("runId", runId))

/**
 * The service over a backend: validation and tracing are the same whatever answers the calls.
 */
const makeWith = (backend: Backend.RunsBackend): Service => ({
  getRun: Effect.fn("RunsService.getRun")(function*(threadId: string, runId: string) {
    yield* runSpanAttributes(threadId, runId)
    yield* checkRunIds(threadId, runId)
    return yield* backend.getRun(threadId, runId)
  }),
  modifyRun: Effect.fn("RunsService.modifyRun")(
    function*(threadId: string, runId: string, params: RunRequest.ModifyRunRequest) {
      yield* runSpanAttributes(threadId, runId)
      yield* checkRunIds(threadId, runId)
      const body = yield* checkModifyRun("params", params)
      return yield* backend.modifyRun(threadId, runId, body)
    }
  )
})

/**
 * Builds the service over the {@link OpenAiClient.OpenAiClient} in context.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: Effect.Effect<Service, never, OpenAiClient.OpenAiClient> = Effect.map(
  OpenAiClient.OpenAiClient,
  (client) => makeWith(Backend.http(client))
)

/**
 * The service over the {@link OpenAiClient.OpenAiClient} layer you provide.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<RunsService, never, OpenAiClient.OpenAiClient> = Layer.effect(RunsService, make)

/**
 * The service with its client configured from the environment (`OPENAI_API_KEY`, `OPENAI_BASE_URL`, …); it still
 * needs an `HttpClient`.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerConfig: Layer.Layer<RunsService, ConfigError.ConfigError, HttpClient.HttpClient> = layer.pipe(
  Layer.provide(OpenAiClient.layerConfig())
)

const decodeSeed = Schema.decodeUnknown(Run.Run)

/**
 * An in-memory service for your tests, seeded with runs (`Run.Run` values or their wire JSON). It validates inputs
 * like the real one, answers an unknown run with `NotFoundError`, and `modifyRun` replaces the metadata.
 *
 * @since 0.1.0
 * @category layers
 * @example
 * import { RunsService } from "@effect-openai/runs"
 *
 * const RunsTest = RunsService.layerTest([{ id: "run_1", thread_id: "thread_1", ... }])
 */
export const layerTest = (runs: Iterable<Run.Run | Run.RunJson>): Layer.Layer<RunsService> =>
  Layer.effect(
    RunsService,
    Effect.forEach(runs, (run) => run instanceof Run.Run ? Effect.succeed(run) : decodeSeed(run)).pipe(
      Effect.orDie,
      Effect.flatMap(Backend.memory),
      Effect.map(makeWith)
    )
  )
