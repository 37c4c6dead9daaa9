/**
 * Where validated operations go: the HTTP API, or an in-memory store for tests.
 *
 * @internal
 */
import * as Effect from "effect/Effect"
import * as Ref from "effect/Ref"
import type * as OpenAiClient from "../OpenAiClient.js"
import * as Run from "../Run.js"
import type * as RunRequest from "../RunRequest.js"
import * as RunsError from "../RunsError.js"
import { makeDecoder } from "./decode.js"

/**
 * The operations after their inputs were checked.
 *
 * @internal
 */
export interface RunsBackend {
  readonly getRun: (threadId: string, runId: string) => Effect.Effect<Run.Run, RunsError.RunsError>
  readonly modifyRun: (
    threadId: string,
    runId: string,
    body: RunRequest.ModifyRunRequest
  ) => Effect.Effect<Run.Run, RunsError.RunsError>
}

const decodeRun = makeDecoder(Run.Run, "Run")

/**
 * The backend that calls the API through the client.
 *
 * @internal
 */
export const http = (client: OpenAiClient.Service): RunsBackend => {
  const runRequest = (request: OpenAiClient.ApiRequest) =>
    Effect.flatMap(
      client.execute(request),
      (response) => decodeRun(response.body, { ...response, scrub: client.scrub })
    )
  return {
    getRun: (threadId, runId) =>
      runRequest({ method: "GET", path: ["threads", threadId, "runs", runId], idempotent: true }),
    modifyRun: (threadId, runId, body) =>
      runRequest({ method: "POST", path: ["threads", threadId, "runs", runId], body, idempotent: true })
  }
}

const notFound = (message: string) =>
  new RunsError.NotFoundError({
    status: 404,
    message,
    type: "invalid_request_error",
    code: null,
    param: null,
    requestId: null,
    retryAfterMs: null,
    shouldRetry: null,
    attempts: 1
  })

const storeKey = (threadId: string, runId: string) => `${threadId}/${runId}`

/**
 * An in-memory backend seeded with runs, answering as the API does (404 messages included).
 *
 * @internal
 */
export const memory = (runs: Iterable<Run.Run>): Effect.Effect<RunsBackend> =>
  Effect.gen(function*() {
    const seeded = Array.from(runs)
    const threads = new Set(seeded.map((run) => run.thread_id))
    const store = yield* Ref.make(new Map(seeded.map((run) => [storeKey(run.thread_id, run.id), run])))

    const find = (threadId: string, runId: string) =>
      Effect.flatMap(Ref.get(store), (map) => {
        const run = map.get(storeKey(threadId, runId))
        if (run !== undefined) return Effect.succeed(run)
        return Effect.fail(
          notFound(
            threads.has(threadId) ? `No run found with id '${runId}'.` : `No thread found with id '${threadId}'.`
          )
        )
      })

    return {
      getRun: find,
      modifyRun: (threadId, runId, body) =>
        Effect.flatMap(find(threadId, runId), (run) => {
          if (body.metadata === undefined) return Effect.succeed(run)
          const modified = new Run.Run({ ...run, metadata: body.metadata })
          return Effect.as(Ref.update(store, (map) => new Map(map).set(storeKey(threadId, runId), modified)), modified)
        })
    }
  })
