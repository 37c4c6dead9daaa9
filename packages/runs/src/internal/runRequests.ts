/**
 * The requests of the Runs API as plain data: method, path, query, body, and whether sending them twice is
 * harmless. Inputs are checked before these are built.
 *
 * @internal
 */
import type { ApiRequest } from "../OpenAiClient.js"
import * as Page from "../Page.js"
import type * as RunRequest from "../RunRequest.js"

const runsPath = (threadId: string) => ["threads", threadId, "runs"]

const runPath = (threadId: string, runId: string) => [...runsPath(threadId), runId]

const includeQuery = (include: ReadonlyArray<string> | undefined): Array<readonly [string, string]> =>
  include === undefined ? [] : include.map((value) => ["include[]", value] as const)

/** The body without `include`, which travels in the query; `stream` set as the variant asks. */
const createBody = (params: RunRequest.CreateRunRequest, stream: boolean) => {
  const { include: _, ...body } = params
  return stream ? { ...body, stream: true } : body
}

/** @internal */
export const createRun = (threadId: string, params: RunRequest.CreateRunRequest, stream = false): ApiRequest => ({
  method: "POST",
  path: runsPath(threadId),
  query: includeQuery(params.include),
  body: createBody(params, stream),
  idempotent: false
})

/** @internal */
export const createThreadAndRun = (params: RunRequest.CreateThreadAndRunRequest, stream = false): ApiRequest => ({
  method: "POST",
  path: ["threads", "runs"],
  body: stream ? { ...params, stream: true } : params,
  idempotent: false
})

/** @internal */
export const getRun = (threadId: string, runId: string): ApiRequest => ({
  method: "GET",
  path: runPath(threadId, runId),
  idempotent: true
})

/** @internal */
export const modifyRun = (threadId: string, runId: string, params: RunRequest.ModifyRunRequest): ApiRequest => ({
  method: "POST",
  path: runPath(threadId, runId),
  body: params,
  idempotent: true
})

/** @internal */
export const listRuns = (threadId: string, params: RunRequest.ListParams): ApiRequest => ({
  method: "GET",
  path: runsPath(threadId),
  query: Page.toQuery(params),
  idempotent: true
})

/** @internal */
export const cancelRun = (threadId: string, runId: string): ApiRequest => ({
  method: "POST",
  path: [...runPath(threadId, runId), "cancel"],
  idempotent: true
})

/** @internal */
export const submitToolOutputs = (
  threadId: string,
  runId: string,
  params: RunRequest.SubmitToolOutputsRequest,
  stream = false
): ApiRequest => ({
  method: "POST",
  path: [...runPath(threadId, runId), "submit_tool_outputs"],
  body: stream ? { ...params, stream: true } : params,
  idempotent: false
})

/** @internal */
export const listRunSteps = (threadId: string, runId: string, params: RunRequest.ListRunStepsParams): ApiRequest => ({
  method: "GET",
  path: [...runPath(threadId, runId), "steps"],
  query: [...Page.toQuery(params), ...includeQuery(params.include)],
  idempotent: true
})

/** @internal */
export const getRunStep = (
  threadId: string,
  runId: string,
  stepId: string,
  params: RunRequest.GetRunStepParams
): ApiRequest => ({
  method: "GET",
  path: [...runPath(threadId, runId), "steps", stepId],
  query: includeQuery(params.include),
  idempotent: true
})
