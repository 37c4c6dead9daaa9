/**
 * The Runs API as an Effect service: every operation traced, its inputs checked before anything is sent, its
 * failures typed; plus polling that never hangs and streams that page lazily.
 *
 * @since 0.1.0
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import * as Chunk from "effect/Chunk"
import type * as ConfigError from "effect/ConfigError"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import type * as AssistantStreamEvent from "./AssistantStreamEvent.js"
import { makeDecoder } from "./internal/decode.js"
import * as EventStream from "./internal/eventStream.js"
import * as MemoryApi from "./internal/memoryApi.js"
import * as Poll from "./internal/poll.js"
import { validator } from "./internal/validate.js"
import * as OpenAiClient from "./OpenAiClient.js"
import * as Page from "./Page.js"
import * as Run from "./Run.js"
import * as RunRequest from "./RunRequest.js"
import * as RunsError from "./RunsError.js"
import * as RunStep from "./RunStep.js"
import * as RunStream from "./RunStream.js"
import * as RunTools from "./RunTools.js"

/**
 * How to poll a run:
 * - `interval`: the wait between polls when the server does not advise one with `openai-poll-after-ms`
 *   (default 1 second);
 * - `schedule`: a `Schedule` fed with each Run seen, deciding every wait instead (the poll fails with
 *   `PollTimeoutError` when it ends);
 * - `timeout`: a bound on the whole poll; it fails with `PollTimeoutError` carrying the last Run seen.
 *
 * @since 0.1.0
 * @category models
 */
export interface PollOptions extends Poll.PollOptions {}

/**
 * A failure of a polling operation.
 *
 * @since 0.1.0
 * @category models
 */
export type PollError = RunsError.RunsError | RunsError.PollTimeoutError

/**
 * A failure of a streaming operation: any {@link RunsError.RunsError}, or an `error` event from the server.
 *
 * @since 0.1.0
 * @category models
 */
export type StreamError = RunsError.RunsError | RunsError.StreamEventError

/**
 * A failure of `runTools`.
 *
 * @since 0.1.0
 * @category models
 */
export type RunToolsError =
  | StreamError
  | RunsError.PollTimeoutError
  | RunsError.StreamEndedError
  | RunTools.ToolCallError

/**
 * The operations on runs and run steps.
 *
 * @since 0.1.0
 * @category models
 */
export interface Service {
  /** Creates a run on a thread (`POST /threads/{thread_id}/runs`). Never re-sent where it could run twice. */
  readonly createRun: (
    threadId: string,
    params: RunRequest.CreateRunRequest
  ) => Effect.Effect<Run.Run, RunsError.RunsError>
  /** Creates a thread and runs it in one request (`POST /threads/runs`). Never re-sent where it could run twice. */
  readonly createThreadAndRun: (
    params: RunRequest.CreateThreadAndRunRequest
  ) => Effect.Effect<Run.Run, RunsError.RunsError>
  /** Retrieves a run (`GET /threads/{thread_id}/runs/{run_id}`). */
  readonly getRun: (threadId: string, runId: string) => Effect.Effect<Run.Run, RunsError.RunsError>
  /** Replaces a run's metadata (`POST /threads/{thread_id}/runs/{run_id}`). */
  readonly modifyRun: (
    threadId: string,
    runId: string,
    params: RunRequest.ModifyRunRequest
  ) => Effect.Effect<Run.Run, RunsError.RunsError>
  /** One page of a thread's runs (`GET /threads/{thread_id}/runs`). */
  readonly listRuns: (
    threadId: string,
    params?: RunRequest.ListParams
  ) => Effect.Effect<Page.Page<Run.Run>, RunsError.RunsError>
  /** Every run of a thread, fetching pages lazily by following the cursors until `has_more` is false. */
  readonly listRunsStream: (
    threadId: string,
    params?: RunRequest.ListParams
  ) => Stream.Stream<Run.Run, RunsError.RunsError>
  /** Cancels a run (`POST …/cancel`): it goes through `cancelling` to `cancelled`. */
  readonly cancelRun: (threadId: string, runId: string) => Effect.Effect<Run.Run, RunsError.RunsError>
  /** Answers a `requires_action` run's tool calls (`POST …/submit_tool_outputs`). Never re-sent where it could run twice. */
  readonly submitToolOutputsToRun: (
    threadId: string,
    runId: string,
    params: RunRequest.SubmitToolOutputsRequest
  ) => Effect.Effect<Run.Run, RunsError.RunsError>
  /** One page of a run's steps (`GET …/steps`). */
  readonly listRunSteps: (
    threadId: string,
    runId: string,
    params?: RunRequest.ListRunStepsParams
  ) => Effect.Effect<Page.Page<RunStep.RunStep>, RunsError.RunsError>
  /** Every step of a run, fetching pages lazily. */
  readonly listRunStepsStream: (
    threadId: string,
    runId: string,
    params?: RunRequest.ListRunStepsParams
  ) => Stream.Stream<RunStep.RunStep, RunsError.RunsError>
  /** Retrieves a run step (`GET …/steps/{step_id}`). */
  readonly getRunStep: (
    threadId: string,
    runId: string,
    stepId: string,
    params?: RunRequest.GetRunStepParams
  ) => Effect.Effect<RunStep.RunStep, RunsError.RunsError>
  /**
   * Polls a run until it no longer is `queued`, `in_progress` or `cancelling`, and gives it: `requires_action`
   * and every terminal status return.
   */
  readonly pollRun: (threadId: string, runId: string, options?: PollOptions) => Effect.Effect<Run.Run, PollError>
  /** `createRun`, then `pollRun`. */
  readonly createAndPoll: (
    threadId: string,
    params: RunRequest.CreateRunRequest,
    options?: PollOptions
  ) => Effect.Effect<Run.Run, PollError>
  /** `submitToolOutputsToRun`, then `pollRun`. */
  readonly submitToolOutputsAndPoll: (
    threadId: string,
    runId: string,
    params: RunRequest.SubmitToolOutputsRequest,
    options?: PollOptions
  ) => Effect.Effect<Run.Run, PollError>
  /** `createThreadAndRun`, then `pollRun`. */
  readonly createThreadAndRunPoll: (
    params: RunRequest.CreateThreadAndRunRequest,
    options?: PollOptions
  ) => Effect.Effect<Run.Run, PollError>
  /**
   * The run each time its status changes (the first state included), ending at a terminal status: what a progress
   * display needs. It keeps polling through `requires_action` (someone else answers the tool calls).
   */
  readonly watchRun: (threadId: string, runId: string, options?: PollOptions) => Stream.Stream<Run.Run, PollError>
  /** `createRun` with `stream: true`: the run's events as they happen, up to `done`. */
  readonly createRunStream: (
    threadId: string,
    params: RunRequest.CreateRunRequest
  ) => Stream.Stream<AssistantStreamEvent.AssistantStreamEvent, StreamError>
  /** `createThreadAndRun` with `stream: true`. */
  readonly createThreadAndRunStream: (
    params: RunRequest.CreateThreadAndRunRequest
  ) => Stream.Stream<AssistantStreamEvent.AssistantStreamEvent, StreamError>
  /** `submitToolOutputsToRun` with `stream: true`. */
  readonly submitToolOutputsStream: (
    threadId: string,
    runId: string,
    params: RunRequest.SubmitToolOutputsRequest
  ) => Stream.Stream<AssistantStreamEvent.AssistantStreamEvent, StreamError>
  /**
   * Creates a run and answers its function calls with `tools` until it ends: each time the run requires action, the
   * arguments are decoded with each tool's Schema, the handlers run (concurrently), and the outputs are submitted.
   * Gives the final Run. The handlers' requirements flow into the result.
   */
  readonly runTools: <T extends RunTools.Tools, R = never>(
    threadId: string,
    params: RunRequest.CreateRunRequest,
    tools: T,
    options?: RunTools.Options<R>
  ) => Effect.Effect<Run.Run, RunToolsError, RunTools.Context<T> | R>
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
 *   const run = yield* runs.createAndPoll("thread_abc123", { assistant_id: "asst_abc123" })
 *   return run.status
 * })
 */
export class RunsService extends Context.Tag("@effect-openai/runs/RunsService")<RunsService, Service>() {}

const checkId = validator(RunRequest.Id)
const checkModifyRun = validator(RunRequest.ModifyRunRequest)
const checkCreateRun = validator(RunRequest.CreateRunRequest)
const checkCreateThreadAndRun = validator(RunRequest.CreateThreadAndRunRequest)
const checkSubmitToolOutputs = validator(RunRequest.SubmitToolOutputsRequest)
const checkListParams = validator(RunRequest.ListParams)
const checkListRunStepsParams = validator(RunRequest.ListRunStepsParams)
const checkGetRunStepParams = validator(RunRequest.GetRunStepParams)

const decodeRun = makeDecoder(Run.Run, "Run")
const decodeRunPage = makeDecoder(Page.Page(Run.Run), "a list of runs")
const decodeStep = makeDecoder(RunStep.RunStep, "RunStep")
const decodeStepPage = makeDecoder(Page.Page(RunStep.RunStep), "a list of run steps")

const ids = (threadId: string, runId?: string) =>
  Effect.gen(function*() {
    yield* Effect.annotateCurrentSpan(
      runId === undefined ? { "openai.thread_id": threadId } : {
        "openai.thread_id": threadId,
        "openai.run_id": runId
      }
    )
    yield* checkId("threadId", threadId)
    if (runId !== undefined) yield* checkId("runId", runId)
  })

/** The non-streaming operations refuse `stream: true`, whose answer is an event stream, not a Run. */
const notStreaming = (stream: boolean | null | undefined) =>
  stream === true
    ? new RunsError.InvalidRequestError({
      field: "params.stream",
      message: "params.stream must not be true here: use the streaming variant of the operation"
    })
    : Effect.void

const includeQuery = (include: ReadonlyArray<string> | undefined): Array<readonly [string, string]> =>
  include === undefined ? [] : include.map((value) => ["include[]", value] as const)

const withoutKey = <A extends object, K extends keyof A>(value: A, key: K): Omit<A, K> => {
  const { [key]: _, ...rest } = value
  return rest
}

/** Follows the cursors of a list: `before` pages backwards from the first id, anything else forwards. */
const paginate = <A, P extends RunRequest.ListParams>(
  params: P,
  fetchPage: (params: P) => Effect.Effect<Page.Page<A>, RunsError.RunsError>
): Stream.Stream<A, RunsError.RunsError> =>
  Stream.paginateChunkEffect(params, (current) =>
    Effect.map(fetchPage(current), (page) => {
      const backwards = current.before !== undefined && current.after === undefined
      const cursor = backwards ? page.first_id : page.last_id
      const next: Option.Option<P> = page.has_more && cursor !== null && page.data.length > 0
        ? Option.some(backwards ? { ...current, before: cursor } : { ...current, after: cursor })
        : Option.none()
      return [Chunk.unsafeFromArray(page.data), next] as const
    }))

/**
 * Builds the service over a client.
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeWith = (client: OpenAiClient.Service): Service => {
  const send = <A>(
    decode: (body: unknown, context: Parameters<typeof decodeRun>[1]) => Effect.Effect<A, RunsError.RunsError>,
    request: OpenAiClient.ApiRequest
  ) =>
    Effect.flatMap(
      client.execute(request),
      (response) =>
        Effect.map(decode(response.body, { ...response, scrub: client.scrub }), (value) => ({ value, response }))
    )

  const observeRun = (request: OpenAiClient.ApiRequest): Effect.Effect<Poll.Observation, RunsError.RunsError> =>
    Effect.map(send(decodeRun, request), ({ response, value }) => ({
      run: value,
      pollAfter: Poll.pollAfter(response.headers)
    }))

  const runPath = (threadId: string, runId: string) => ["threads", threadId, "runs", runId]
  const getRunRequest = (threadId: string, runId: string): OpenAiClient.ApiRequest => ({
    method: "GET",
    path: runPath(threadId, runId),
    idempotent: true
  })

  const createRunObserved = (threadId: string, params: RunRequest.CreateRunRequest) =>
    Effect.gen(function*() {
      yield* ids(threadId)
      const body = yield* checkCreateRun("params", params)
      yield* notStreaming(body.stream)
      return yield* observeRun({
        method: "POST",
        path: ["threads", threadId, "runs"],
        query: includeQuery(body.include),
        body: withoutKey(body, "include"),
        idempotent: false
      })
    })

  const createThreadAndRunObserved = (params: RunRequest.CreateThreadAndRunRequest) =>
    Effect.gen(function*() {
      const body = yield* checkCreateThreadAndRun("params", params)
      yield* notStreaming(body.stream)
      return yield* observeRun({ method: "POST", path: ["threads", "runs"], body, idempotent: false })
    })

  const submitObserved = (threadId: string, runId: string, params: RunRequest.SubmitToolOutputsRequest) =>
    Effect.gen(function*() {
      yield* ids(threadId, runId)
      const body = yield* checkSubmitToolOutputs("params", params)
      yield* notStreaming(body.stream)
      return yield* observeRun({
        method: "POST",
        path: [...runPath(threadId, runId), "submit_tool_outputs"],
        body,
        idempotent: false
      })
    })

  const untilSettled = (status: Run.RunStatus) => !Run.isPending(status)

  const pollFrom = (first: Poll.Observation, options: PollOptions | undefined) =>
    Poll.observe(observeRun(getRunRequest(first.run.thread_id, first.run.id)), untilSettled, options ?? {}, first)
      .pipe(Stream.runLast, Effect.map(Option.getOrElse(() => first.run)))

  const listRunsPage = (threadId: string, params: RunRequest.ListParams = {}) =>
    Effect.gen(function*() {
      yield* ids(threadId)
      const checked = yield* checkListParams("params", params)
      const { value } = yield* send(decodeRunPage, {
        method: "GET",
        path: ["threads", threadId, "runs"],
        query: Page.toQuery(checked),
        idempotent: true
      })
      return value
    })

  const listStepsPage = (threadId: string, runId: string, params: RunRequest.ListRunStepsParams = {}) =>
    Effect.gen(function*() {
      yield* ids(threadId, runId)
      const checked = yield* checkListRunStepsParams("params", params)
      const { value } = yield* send(decodeStepPage, {
        method: "GET",
        path: [...runPath(threadId, runId), "steps"],
        query: [...Page.toQuery(checked), ...includeQuery(checked.include)],
        idempotent: true
      })
      return value
    })

  const runOf = (observation: Poll.Observation) => observation.run

  const eventStream = (request: OpenAiClient.ApiRequest) =>
    EventStream.decode(client.stream(request), { status: 200, requestId: null, attempts: 1, scrub: client.scrub })

  const createRunStream = (threadId: string, params: RunRequest.CreateRunRequest) =>
    Stream.unwrap(Effect.gen(function*() {
      yield* ids(threadId)
      const body = yield* checkCreateRun("params", params)
      return eventStream({
        method: "POST",
        path: ["threads", threadId, "runs"],
        query: includeQuery(body.include),
        body: { ...withoutKey(body, "include"), stream: true },
        idempotent: false
      })
    })).pipe(Stream.withSpan("RunsService.createRunStream", { attributes: { "openai.thread_id": threadId } }))

  const submitToolOutputsStream = (threadId: string, runId: string, params: RunRequest.SubmitToolOutputsRequest) =>
    Stream.unwrap(Effect.gen(function*() {
      yield* ids(threadId, runId)
      const body = yield* checkSubmitToolOutputs("params", params)
      return eventStream({
        method: "POST",
        path: [...runPath(threadId, runId), "submit_tool_outputs"],
        body: { ...body, stream: true },
        idempotent: false
      })
    })).pipe(
      Stream.withSpan("RunsService.submitToolOutputsStream", {
        attributes: { "openai.thread_id": threadId, "openai.run_id": runId }
      })
    )

  /** The run's status changes as events, as a stream would report them. */
  const statusEvent = (run: Run.Run) =>
    ({ event: `thread.run.${run.status}`, data: run }) as AssistantStreamEvent.KnownEvent

  const runTools = <T extends RunTools.Tools, R = never>(
    threadId: string,
    params: RunRequest.CreateRunRequest,
    tools: T,
    options: RunTools.Options<R> = {}
  ): Effect.Effect<Run.Run, RunToolsError, RunTools.Context<T> | R> => {
    const observed = <E, R2>(events: Stream.Stream<AssistantStreamEvent.AssistantStreamEvent, E, R2>) =>
      options.onEvent === undefined ? events : Stream.tap(events, options.onEvent)
    const settleByPolling = (first: Poll.Observation) =>
      Poll.observe(
        observeRun(getRunRequest(first.run.thread_id, first.run.id)),
        untilSettled,
        options.poll ?? {},
        first
      )
        .pipe(
          Stream.changesWith((a, b) => a.status === b.status),
          Stream.map(statusEvent),
          observed,
          RunStream.finalRun
        )
    const start: Effect.Effect<Run.Run, RunToolsError, R> = options.mode === "stream"
      ? RunStream.finalRun(observed(createRunStream(threadId, params)))
      : Effect.flatMap(createRunObserved(threadId, params), settleByPolling)
    const answer = (
      run: Run.Run,
      tool_outputs: Array<RunRequest.ToolOutput>
    ): Effect.Effect<Run.Run, RunToolsError, R> =>
      options.mode === "stream"
        ? RunStream.finalRun(observed(submitToolOutputsStream(run.thread_id, run.id, { tool_outputs })))
        : Effect.flatMap(submitObserved(run.thread_id, run.id, { tool_outputs }), settleByPolling)
    const loop = (run: Run.Run): Effect.Effect<Run.Run, RunToolsError, RunTools.Context<T> | R> =>
      run.status === "requires_action" && run.required_action !== null
        ? RunTools.callAll(tools, run.required_action.submit_tool_outputs.tool_calls, options).pipe(
          Effect.flatMap((outputs) => answer(run, outputs)),
          Effect.flatMap(loop)
        )
        : Effect.succeed(run)
    return Effect.flatMap(start, loop).pipe(
      Effect.withSpan("RunsService.runTools", { attributes: { "openai.thread_id": threadId } })
    )
  }

  return {
    createRun: Effect.fn("RunsService.createRun")(function*(threadId: string, params: RunRequest.CreateRunRequest) {
      return runOf(yield* createRunObserved(threadId, params))
    }),
    createThreadAndRun: Effect.fn("RunsService.createThreadAndRun")(
      function*(params: RunRequest.CreateThreadAndRunRequest) {
        return runOf(yield* createThreadAndRunObserved(params))
      }
    ),
    getRun: Effect.fn("RunsService.getRun")(function*(threadId: string, runId: string) {
      yield* ids(threadId, runId)
      return runOf(yield* observeRun(getRunRequest(threadId, runId)))
    }),
    modifyRun: Effect.fn("RunsService.modifyRun")(
      function*(threadId: string, runId: string, params: RunRequest.ModifyRunRequest) {
        yield* ids(threadId, runId)
        const body = yield* checkModifyRun("params", params)
        return runOf(yield* observeRun({ method: "POST", path: runPath(threadId, runId), body, idempotent: true }))
      }
    ),
    listRuns: Effect.fn("RunsService.listRuns")(listRunsPage),
    listRunsStream: (threadId, params = {}) =>
      paginate(params, (current) => listRunsPage(threadId, current).pipe(Effect.withSpan("RunsService.listRuns"))),
    cancelRun: Effect.fn("RunsService.cancelRun")(function*(threadId: string, runId: string) {
      yield* ids(threadId, runId)
      return runOf(
        yield* observeRun({ method: "POST", path: [...runPath(threadId, runId), "cancel"], idempotent: true })
      )
    }),
    submitToolOutputsToRun: Effect.fn("RunsService.submitToolOutputsToRun")(
      function*(threadId: string, runId: string, params: RunRequest.SubmitToolOutputsRequest) {
        return runOf(yield* submitObserved(threadId, runId, params))
      }
    ),
    listRunSteps: Effect.fn("RunsService.listRunSteps")(listStepsPage),
    listRunStepsStream: (threadId, runId, params = {}) =>
      paginate(
        params,
        (current) => listStepsPage(threadId, runId, current).pipe(Effect.withSpan("RunsService.listRunSteps"))
      ),
    getRunStep: Effect.fn("RunsService.getRunStep")(
      function*(threadId: string, runId: string, stepId: string, params: RunRequest.GetRunStepParams = {}) {
        yield* ids(threadId, runId)
        yield* Effect.annotateCurrentSpan("openai.step_id", stepId)
        yield* checkId("stepId", stepId)
        const checked = yield* checkGetRunStepParams("params", params)
        const { value } = yield* send(decodeStep, {
          method: "GET",
          path: [...runPath(threadId, runId), "steps", stepId],
          query: includeQuery(checked.include),
          idempotent: true
        })
        return value
      }
    ),
    pollRun: Effect.fn("RunsService.pollRun")(function*(threadId: string, runId: string, options?: PollOptions) {
      yield* ids(threadId, runId)
      const last = yield* Poll.observe(observeRun(getRunRequest(threadId, runId)), untilSettled, options ?? {}).pipe(
        Stream.runLast
      )
      return yield* Option.match(last, {
        onNone: () => Effect.dieMessage("polling ended without a run"),
        onSome: Effect.succeed
      })
    }),
    createAndPoll: Effect.fn("RunsService.createAndPoll")(
      function*(threadId: string, params: RunRequest.CreateRunRequest, options?: PollOptions) {
        return yield* pollFrom(yield* createRunObserved(threadId, params), options)
      }
    ),
    submitToolOutputsAndPoll: Effect.fn("RunsService.submitToolOutputsAndPoll")(
      function*(threadId: string, runId: string, params: RunRequest.SubmitToolOutputsRequest, options?: PollOptions) {
        return yield* pollFrom(yield* submitObserved(threadId, runId, params), options)
      }
    ),
    createThreadAndRunPoll: Effect.fn("RunsService.createThreadAndRunPoll")(
      function*(params: RunRequest.CreateThreadAndRunRequest, options?: PollOptions) {
        return yield* pollFrom(yield* createThreadAndRunObserved(params), options)
      }
    ),
    createRunStream,
    createThreadAndRunStream: (params) =>
      Stream.unwrap(Effect.map(
        checkCreateThreadAndRun("params", params),
        (body) =>
          eventStream({ method: "POST", path: ["threads", "runs"], body: { ...body, stream: true }, idempotent: false })
      )).pipe(Stream.withSpan("RunsService.createThreadAndRunStream")),
    submitToolOutputsStream,
    runTools,
    watchRun: (threadId, runId, options) =>
      Stream.unwrap(Effect.as(
        ids(threadId, runId),
        Poll.observe(
          observeRun(getRunRequest(threadId, runId)),
          Run.isTerminal,
          options ?? {}
        )
      )).pipe(
        Stream.changesWith((a, b) => a.status === b.status),
        Stream.withSpan("RunsService.watchRun", {
          attributes: { "openai.thread_id": threadId, "openai.run_id": runId }
        })
      )
  }
}

/**
 * Builds the service over the {@link OpenAiClient.OpenAiClient} in context.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: Effect.Effect<Service, never, OpenAiClient.OpenAiClient> = Effect.map(
  OpenAiClient.OpenAiClient,
  makeWith
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

const decodeSeedRun = Schema.decodeUnknown(Run.Run)
const decodeSeedStep = Schema.decodeUnknown(RunStep.RunStep)

/**
 * What an in-memory service starts with: runs, and optionally their steps (`Run.Run` / `RunStep.RunStep` values or
 * their wire JSON).
 *
 * @since 0.1.0
 * @category models
 */
export interface TestSeed {
  readonly runs?: Iterable<Run.Run | Run.RunJson>
  readonly steps?: Iterable<RunStep.RunStep | RunStep.RunStepJson>
}

/**
 * An in-memory service for your tests. It validates inputs and decodes answers exactly like the real one (same
 * code), answers an unknown thread, run or step with `NotFoundError` worded as the API does, pages lists with real
 * cursors, and keeps what you change: `modifyRun` replaces metadata, `createRun` / `createThreadAndRun` add a
 * `queued` run, `cancelRun` cancels, `submitToolOutputsToRun` answers a `requires_action` run (and refuses any
 * other, as the API does). It does not stream (the streaming operations fail with `InvalidRequestError`), and runs
 * do not move on by themselves: seed them in the state your code should meet, or use
 * the emulator (`@effect-openai/runs-emulator`) for lifecycles.
 *
 * @since 0.1.0
 * @category layers
 * @example
 * import { RunsService } from "@effect-openai/runs"
 *
 * const RunsTest = RunsService.layerTest([{ id: "run_1", thread_id: "thread_1", status: "completed", ... }])
 */
export const layerTest = (seed: Iterable<Run.Run | Run.RunJson> | TestSeed): Layer.Layer<RunsService> =>
  Layer.effect(
    RunsService,
    Effect.gen(function*() {
      const { runs = [], steps = [] } = Symbol.iterator in seed ? { runs: seed } : seed
      const seededRuns = yield* Effect.forEach(runs, (run) =>
        run instanceof Run.Run ? Effect.succeed(run) : decodeSeedRun(run))
      const seededSteps = yield* Effect.forEach(
        steps,
        (step) =>
          step instanceof RunStep.RunStep ? Effect.succeed(step) : decodeSeedStep(step)
      )
      return makeWith(yield* MemoryApi.make(seededRuns, seededSteps))
    }).pipe(Effect.orDie)
  )
