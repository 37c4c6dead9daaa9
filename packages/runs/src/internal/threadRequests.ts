/**
 * The requests of the Threads API as plain data. Inputs are checked before these are built.
 *
 * @internal
 */
import type { ApiRequest } from "../OpenAiClient.js"
import type * as ThreadRequest from "../ThreadRequest.js"

const threadPath = (threadId: string) => ["threads", threadId]

/** @internal */
export const createThread = (params: ThreadRequest.CreateThreadRequest): ApiRequest => ({
  method: "POST",
  path: ["threads"],
  body: params,
  idempotent: false
})

/** @internal */
export const getThread = (threadId: string): ApiRequest => ({
  method: "GET",
  path: threadPath(threadId),
  idempotent: true
})

/** @internal */
export const modifyThread = (threadId: string, params: ThreadRequest.ModifyThreadRequest): ApiRequest => ({
  method: "POST",
  path: threadPath(threadId),
  body: params,
  idempotent: true
})

/** @internal */
export const deleteThread = (threadId: string): ApiRequest => ({
  method: "DELETE",
  path: threadPath(threadId),
  idempotent: true
})
