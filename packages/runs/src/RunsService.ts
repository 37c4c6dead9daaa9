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
import * as Stream from "effect/Stream"
import type * as AssistantStreamEvent from "./AssistantStreamEvent.js"
import * as Checks from "./internal/checks.js"
import { fetchPageWith, fetchWith } from "./internal/fetch.js"
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
 * ```ts
 * import { Effect } from "effect"
 * import { RunsService } from "@effect-openai/runs"
 *
 * const status = Effect.gen(function*() {
 *   const runs = yield* RunsService.RunsService
 *   const run = yield* runs.createAndPoll("thread_abc123", { assistant_id: "asst_abc123" })
 *   return run.status
 * })
 * ```
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
    const fetch = fetchWith(client)
    const fetchPage = fetchPageWith(client)

    const createRun = (threadId: string, params: RunRequest.CreateRunRequest) =>
      Checks.ids(
        { threadId },
        () =>
          Effect.flatMap(checkCreateRun("params", params), (body) =>
            Effect.zipRight(Checks.notStreaming(body.stream), observe(Requests.createRun(threadId, body))))
      )
    const createThreadAndRun = (params: RunRequest.CreateThreadAndRunRequest) =>
      Effect.flatMap(
        checkCreateThreadAndRun("params", params),
        (body) => Effect.zipRight(Checks.notStreaming(body.stream), observe(Requests.createThreadAndRun(body)))
      )
    const submitToolOutputs = (threadId: string, runId: string, params: RunRequest.SubmitToolOutputsRequest) =>
      Checks.ids(
        { threadId, runId },
        () =>
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
      Checks.operation(
        "RunsService.listRuns",
        { threadId },
        () =>
          Effect.flatMap(checkListParams("params", params), (checked) =>
            fetchPage(Requests.listRuns(threadId, checked), RunPage, checked.limit))
      )
    const listRunSteps = (threadId: string, runId: string, params: RunRequest.ListRunStepsParams = {}) =>
      Checks.operation(
        "RunsService.listRunSteps",
        { threadId, runId },
        () =>
          Effect.flatMap(
            checkListRunStepsParams("params", params),
            (checked) => fetchPage(Requests.listRunSteps(threadId, runId, checked), RunStepPage, checked.limit)
          )
      )

    const eventStream = <A>(
      name: string,
      ids: Readonly<Record<string, string>>,
      checked: Effect.Effect<A, RunsError.InvalidRequestError>,
      request: (checked: A) => OpenAiClient.ApiRequest
    ) =>
      Stream.unwrap(Checks.ids(ids, () => Effect.map(checked, (value) => client.stream(request(value))))).pipe(
        Checks.tracedStream(name, ids)
      )

    return {
      createRun: (threadId, params) =>
        createRun(threadId, params).pipe(
          Effect.map(Poll.runOf),
          Checks.traced("RunsService.createRun", { threadId })
        ),
      createThreadAndRun: (params) =>
        createThreadAndRun(params).pipe(Effect.map(Poll.runOf), Checks.traced("RunsService.createThreadAndRun", {})),
      getRun: (threadId, runId) =>
        Checks.operation(
          "RunsService.getRun",
          { threadId, runId },
          () => fetch(Requests.getRun(threadId, runId), Run.Run)
        ),
      modifyRun: (threadId, runId, params) =>
        Checks.operation("RunsService.modifyRun", { threadId, runId }, () =>
          Effect.flatMap(
            checkModifyRun("params", params),
            (body) => fetch(Requests.modifyRun(threadId, runId, body), Run.Run)
          )),
      listRuns,
      listRunsStream: (threadId, params = {}) => paginate(params, (current) => listRuns(threadId, current)),
      cancelRun: (threadId, runId) =>
        Checks.operation(
          "RunsService.cancelRun",
          { threadId, runId },
          () => fetch(Requests.cancelRun(threadId, runId), Run.Run)
        ),
      submitToolOutputsToRun: (threadId, runId, params) =>
        submitToolOutputs(threadId, runId, params).pipe(
          Effect.map(Poll.runOf),
          Checks.traced("RunsService.submitToolOutputsToRun", { threadId, runId })
        ),
      listRunSteps,
      listRunStepsStream: (threadId, runId, params = {}) =>
        paginate(params, (current) => listRunSteps(threadId, runId, current)),
      getRunStep: (threadId, runId, stepId, params = {}) =>
        Checks.operation("RunsService.getRunStep", { threadId, runId, stepId }, () =>
          Effect.flatMap(
            checkGetRunStepParams("params", params),
            (checked) => fetch(Requests.getRunStep(threadId, runId, stepId, checked), RunStep.RunStep)
          )),
      pollRun: (threadId, runId, options) =>
        Checks.operation("RunsService.pollRun", { threadId, runId }, () => settle(threadId, runId, options)),
      createAndPoll: (threadId, params, options) =>
        Effect.flatMap(createRun(threadId, params), (first) => pollFrom(first, options)).pipe(
          Checks.traced("RunsService.createAndPoll", { threadId })
        ),
      submitToolOutputsAndPoll: (threadId, runId, params, options) =>
        Effect.flatMap(submitToolOutputs(threadId, runId, params), (first) => pollFrom(first, options)).pipe(
          Checks.traced("RunsService.submitToolOutputsAndPoll", { threadId, runId })
        ),
      createThreadAndRunPoll: (params, options) =>
        Effect.flatMap(createThreadAndRun(params), (first) => pollFrom(first, options)).pipe(
          Checks.traced("RunsService.createThreadAndRunPoll", {})
        ),
      watchRun: (threadId, runId, options = {}) =>
        Stream.unwrap(
          Checks.ids({ threadId, runId }, () =>
            Effect.succeed(Poll.observe(observe(Requests.getRun(threadId, runId)), Run.isTerminal, options)))
        ).pipe(
          Stream.changesWith((a, b) =>
            a.status === b.status
          ),
          Checks.tracedStream("RunsService.watchRun", { threadId, runId })
        ),
      createRunStream: (threadId, params) =>
        eventStream(
          "RunsService.createRunStream",
          { threadId },
          checkCreateRun("params", params),
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
          { threadId, runId },
          checkSubmitToolOutputs("params", params),
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
 * ```ts
 * import { FetchHttpClient } from "@effect/platform"
 * import { Layer } from "effect"
 * import { RunsService } from "@effect-openai/runs"
 *
 * const RunsLive = RunsService.layerConfig().pipe(Layer.provide(FetchHttpClient.layer))
 * ```
 */
export const layerConfig = (
  options?: Config.Config.Wrap<OpenAiClient.OpenAiClientOptions>
): Layer.Layer<RunsService, ConfigError.ConfigError | RunsError.InvalidOptionError, HttpClient.HttpClient> =>
  Layer.provide(layer, OpenAiClient.layerConfig(options))
