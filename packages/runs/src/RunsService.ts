/**
 * The Runs API as an Effect service: every operation traced, its inputs checked before anything is sent, its
 * failures typed; plus polling that never hangs and streams that page lazily.
 *
 * @since 0.1.0
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import type * as Config from "effect/Config"
import type * as ConfigError from "effect/ConfigError"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import type * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import type * as AssistantStreamEvent from "./AssistantStreamEvent.js"
import * as Checks from "./internal/checks.js"
import { paginate } from "./internal/paginate.js"
import * as Poll from "./internal/poll.js"
import * as Requests from "./internal/runRequests.js"
import * as OpenAiClient from "./OpenAiClient.js"
import * as Page from "./Page.js"
import type { PollError, PollOptions } from "./Polling.js"
import * as Run from "./Run.js"
import * as RunRequest from "./RunRequest.js"
import type * as RunsError from "./RunsError.js"
import * as RunStep from "./RunStep.js"

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
  /** `createRun`, then `pollRun` from the run it answered. */
  readonly createAndPoll: (
    threadId: string,
    params: RunRequest.CreateRunRequest,
    options?: PollOptions
  ) => Effect.Effect<Run.Run, PollError>
  /** `submitToolOutputsToRun`, then `pollRun` from the run it answered. */
  readonly submitToolOutputsAndPoll: (
    threadId: string,
    runId: string,
    params: RunRequest.SubmitToolOutputsRequest,
    options?: PollOptions
  ) => Effect.Effect<Run.Run, PollError>
  /** `createThreadAndRun`, then `pollRun` from the run it answered. */
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
  ) => Stream.Stream<AssistantStreamEvent.AssistantStreamEvent, OpenAiClient.StreamError>
  /** `createThreadAndRun` with `stream: true`. */
  readonly createThreadAndRunStream: (
    params: RunRequest.CreateThreadAndRunRequest
  ) => Stream.Stream<AssistantStreamEvent.AssistantStreamEvent, OpenAiClient.StreamError>
  /** `submitToolOutputsToRun` with `stream: true`. */
  readonly submitToolOutputsStream: (
    threadId: string,
    runId: string,
    params: RunRequest.SubmitToolOutputsRequest
  ) => Stream.Stream<AssistantStreamEvent.AssistantStreamEvent, OpenAiClient.StreamError>
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

const checkModifyRun = Checks.validator(RunRequest.ModifyRunRequest)
const checkCreateRun = Checks.validator(RunRequest.CreateRunRequest)
const checkCreateThreadAndRun = Checks.validator(RunRequest.CreateThreadAndRunRequest)
const checkSubmitToolOutputs = Checks.validator(RunRequest.SubmitToolOutputsRequest)
const checkListParams = Checks.validator(RunRequest.ListParams)
const checkListRunStepsParams = Checks.validator(RunRequest.ListRunStepsParams)
const checkGetRunStepParams = Checks.validator(RunRequest.GetRunStepParams)

const RunPage = Page.Page(Run.Run)
const RunStepPage = Page.Page(RunStep.RunStep)

const untilSettled = (status: Run.RunStatus) => !Run.isPending(status)

/**
 * Builds the service over the {@link OpenAiClient.OpenAiClient} in context.
 *
 * @example
 * ```ts
 * import { OpenAiClient, RunsService } from "@effect-openai/runs"
 * import { FetchHttpClient } from "@effect/platform"
 * import { Effect, Layer, Redacted } from "effect"
 *
 * const ClientLive = OpenAiClient.layer({ apiKey: Redacted.make("sk-..."), apiUrl: "http://127.0.0.1:4010/v1" }).pipe(
 *   Layer.provide(FetchHttpClient.layer)
 * )
 *
 * // the service as a value, e.g. to wrap it before providing it
 * const service = RunsService.make.pipe(Effect.provide(ClientLive))
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: Effect.Effect<Service, never, OpenAiClient.OpenAiClient> = Effect.map(
  OpenAiClient.OpenAiClient,
  (client): Service => {
    const observe = (request: OpenAiClient.ApiRequest): Effect.Effect<Poll.Observation, RunsError.RunsError> =>
      Effect.map(client.execute(request, Run.Run), Poll.observation)
    const fetch = <A, I>(request: OpenAiClient.ApiRequest, schema: Schema.Schema<A, I>) =>
      Effect.map(client.execute(request, schema), (response) => response.value)

    const createRun = (threadId: string, params: RunRequest.CreateRunRequest) =>
      Effect.zipRight(
        Checks.ids({ threadId }),
        Effect.flatMap(checkCreateRun("params", params), (body) =>
          Effect.zipRight(Checks.notStreaming(body.stream), observe(Requests.createRun(threadId, body))))
      )
    const createThreadAndRun = (params: RunRequest.CreateThreadAndRunRequest) =>
      Effect.flatMap(
        checkCreateThreadAndRun("params", params),
        (body) => Effect.zipRight(Checks.notStreaming(body.stream), observe(Requests.createThreadAndRun(body)))
      )
    const submitToolOutputs = (threadId: string, runId: string, params: RunRequest.SubmitToolOutputsRequest) =>
      Effect.zipRight(
        Checks.ids({ threadId, runId }),
        Effect.flatMap(checkSubmitToolOutputs("params", params), (body) =>
          Effect.zipRight(
            Checks.notStreaming(body.stream),
            observe(Requests.submitToolOutputs(threadId, runId, body))
          ))
      )

    /** Polls until the run settles, from a state already known (the answer of a create or submit) if given. */
    const settle = (threadId: string, runId: string, options: PollOptions = {}, first?: Poll.Observation) =>
      Poll.observe(observe(Requests.getRun(threadId, runId)), untilSettled, options, first).pipe(
        Stream.runLast,
        Effect.flatMap(Option.match({
          onNone: () => Effect.dieMessage("polling ended without a run"),
          onSome: Effect.succeed
        }))
      )
    const pollFrom = (first: Poll.Observation, options?: PollOptions) =>
      settle(first.run.thread_id, first.run.id, options, first)

    const listRuns = (threadId: string, params: RunRequest.ListParams = {}) =>
      Effect.zipRight(
        Checks.ids({ threadId }),
        Effect.flatMap(checkListParams("params", params), (checked) =>
          fetch(Requests.listRuns(threadId, checked), RunPage))
      )
    const listRunSteps = (threadId: string, runId: string, params: RunRequest.ListRunStepsParams = {}) =>
      Effect.zipRight(
        Checks.ids({ threadId, runId }),
        Effect.flatMap(
          checkListRunStepsParams("params", params),
          (checked) => fetch(Requests.listRunSteps(threadId, runId, checked), RunStepPage)
        )
      )

    const eventStream = <A>(
      name: string,
      attributes: Record<string, string>,
      checked: Effect.Effect<A, RunsError.InvalidRequestError>,
      request: (checked: A) => OpenAiClient.ApiRequest
    ) =>
      Stream.unwrap(Effect.map(checked, (value) => client.stream(request(value)))).pipe(
        Stream.withSpan(name, { attributes })
      )

    return {
      createRun: Effect.fn("RunsService.createRun")(function*(threadId: string, params: RunRequest.CreateRunRequest) {
        return (yield* createRun(threadId, params)).run
      }),
      createThreadAndRun: Effect.fn("RunsService.createThreadAndRun")(
        function*(params: RunRequest.CreateThreadAndRunRequest) {
          return (yield* createThreadAndRun(params)).run
        }
      ),
      getRun: Effect.fn("RunsService.getRun")(function*(threadId: string, runId: string) {
        yield* Checks.ids({ threadId, runId })
        return yield* fetch(Requests.getRun(threadId, runId), Run.Run)
      }),
      modifyRun: Effect.fn("RunsService.modifyRun")(
        function*(threadId: string, runId: string, params: RunRequest.ModifyRunRequest) {
          yield* Checks.ids({ threadId, runId })
          const body = yield* checkModifyRun("params", params)
          return yield* fetch(Requests.modifyRun(threadId, runId, body), Run.Run)
        }
      ),
      listRuns: Effect.fn("RunsService.listRuns")(listRuns),
      listRunsStream: (threadId, params = {}) =>
        paginate(params, (current) => listRuns(threadId, current).pipe(Effect.withSpan("RunsService.listRuns"))),
      cancelRun: Effect.fn("RunsService.cancelRun")(function*(threadId: string, runId: string) {
        yield* Checks.ids({ threadId, runId })
        return yield* fetch(Requests.cancelRun(threadId, runId), Run.Run)
      }),
      submitToolOutputsToRun: Effect.fn("RunsService.submitToolOutputsToRun")(
        function*(threadId: string, runId: string, params: RunRequest.SubmitToolOutputsRequest) {
          return (yield* submitToolOutputs(threadId, runId, params)).run
        }
      ),
      listRunSteps: Effect.fn("RunsService.listRunSteps")(listRunSteps),
      listRunStepsStream: (threadId, runId, params = {}) =>
        paginate(
          params,
          (current) => listRunSteps(threadId, runId, current).pipe(Effect.withSpan("RunsService.listRunSteps"))
        ),
      getRunStep: Effect.fn("RunsService.getRunStep")(
        function*(threadId: string, runId: string, stepId: string, params: RunRequest.GetRunStepParams = {}) {
          yield* Checks.ids({ threadId, runId, stepId })
          const checked = yield* checkGetRunStepParams("params", params)
          return yield* fetch(Requests.getRunStep(threadId, runId, stepId, checked), RunStep.RunStep)
        }
      ),
      pollRun: Effect.fn("RunsService.pollRun")(function*(threadId: string, runId: string, options?: PollOptions) {
        yield* Checks.ids({ threadId, runId })
        return yield* settle(threadId, runId, options)
      }),
      createAndPoll: Effect.fn("RunsService.createAndPoll")(
        function*(threadId: string, params: RunRequest.CreateRunRequest, options?: PollOptions) {
          return yield* pollFrom(yield* createRun(threadId, params), options)
        }
      ),
      submitToolOutputsAndPoll: Effect.fn("RunsService.submitToolOutputsAndPoll")(
        function*(threadId: string, runId: string, params: RunRequest.SubmitToolOutputsRequest, options?: PollOptions) {
          return yield* pollFrom(yield* submitToolOutputs(threadId, runId, params), options)
        }
      ),
      createThreadAndRunPoll: Effect.fn("RunsService.createThreadAndRunPoll")(
        function*(params: RunRequest.CreateThreadAndRunRequest, options?: PollOptions) {
          return yield* pollFrom(yield* createThreadAndRun(params), options)
        }
      ),
      watchRun: (threadId, runId, options = {}) =>
        Stream.unwrap(
          Effect.as(
            Checks.ids({ threadId, runId }),
            Poll.observe(observe(Requests.getRun(threadId, runId)), Run.isTerminal, options)
          )
        ).pipe(
          Stream.changesWith((a, b) => a.status === b.status),
          Stream.withSpan("RunsService.watchRun", {
            attributes: { "openai.thread_id": threadId, "openai.run_id": runId }
          })
        ),
      createRunStream: (threadId, params) =>
        eventStream(
          "RunsService.createRunStream",
          { "openai.thread_id": threadId },
          Effect.zipRight(Checks.ids({ threadId }), checkCreateRun("params", params)),
          (body) => Requests.createRun(threadId, body, true)
        ),
      createThreadAndRunStream: (params) =>
        eventStream(
          "RunsService.createThreadAndRunStream",
          {},
          checkCreateThreadAndRun("params", params),
          (body) => Requests.createThreadAndRun(body, true)
        ),
      submitToolOutputsStream: (threadId, runId, params) =>
        eventStream(
          "RunsService.submitToolOutputsStream",
          { "openai.thread_id": threadId, "openai.run_id": runId },
          Effect.zipRight(Checks.ids({ threadId, runId }), checkSubmitToolOutputs("params", params)),
          (body) => Requests.submitToolOutputs(threadId, runId, body, true)
        )
    }
  }
)

/**
 * The service over the {@link OpenAiClient.OpenAiClient} layer you provide.
 *
 * @example
 * ```ts
 * import { OpenAiClient, RunsService } from "@effect-openai/runs"
 * import { FetchHttpClient } from "@effect/platform"
 * import { Effect, Layer, Redacted } from "effect"
 *
 * const RunsLive = RunsService.layer.pipe(
 *   Layer.provide(OpenAiClient.layer({ apiKey: Redacted.make("sk-..."), apiUrl: "http://127.0.0.1:4010/v1" })),
 *   Layer.provide(FetchHttpClient.layer)
 * )
 *
 * const program = Effect.flatMap(RunsService.RunsService, (runs) => runs.getRun("thread_abc123", "run_abc123"))
 *
 * const main = program.pipe(Effect.provide(RunsLive)) // then Effect.runPromise(main)
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<RunsService, never, OpenAiClient.OpenAiClient> = Layer.effect(RunsService, make)

/**
 * The service with its client configured through Effect `Config` (see {@link OpenAiClient.layerConfig}: the
 * `OPENAI_*` variables by default); it still needs an `HttpClient`.
 *
 * @since 0.1.0
 * @category layers
 * @example
 * import { FetchHttpClient } from "@effect/platform"
 * import { Layer } from "effect"
 * import { RunsService } from "@effect-openai/runs"
 *
 * const RunsLive = RunsService.layerConfig().pipe(Layer.provide(FetchHttpClient.layer))
 */
export const layerConfig = (
  options?: Config.Config.Wrap<OpenAiClient.OpenAiClientOptions>
): Layer.Layer<RunsService, ConfigError.ConfigError | RunsError.InvalidOptionError, HttpClient.HttpClient> =>
  Layer.provide(layer, OpenAiClient.layerConfig(options))
