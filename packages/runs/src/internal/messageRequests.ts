/**
 * The requests of the Messages API as plain data. Inputs are checked before these are built.
 *
 * @internal
 */
import type * as MessageRequest from "../MessageRequest.js"
import type { ApiRequest } from "../OpenAiClient.js"
import * as Page from "../Page.js"

const messagesPath = (threadId: string) => ["threads", threadId, "messages"]

const messagePath = (threadId: string, messageId: string) => [...messagesPath(threadId), messageId]

/** @internal */
export const createMessage = (threadId: string, params: MessageRequest.CreateMessageRequest): ApiRequest => ({
  method: "POST",
  path: messagesPath(threadId),
  body: params,
  idempotent: false
})

/** @internal */
export const listMessages = (threadId: string, params: MessageRequest.ListMessagesParams): ApiRequest => ({
  method: "GET",
  path: messagesPath(threadId),
  query: params.run_id === undefined ? Page.toQuery(params) : [...Page.toQuery(params), ["run_id", params.run_id]],
  idempotent: true
})

/** @internal */
export const getMessage = (threadId: string, messageId: string): ApiRequest => ({
  method: "GET",
  path: messagePath(threadId, messageId),
  idempotent: true
})

/** @internal */
export const modifyMessage = (
  threadId: string,
  messageId: string,
  params: MessageRequest.ModifyMessageRequest
): ApiRequest => ({
  method: "POST",
  path: messagePath(threadId, messageId),
  body: params,
  idempotent: true
})

/** @internal */
export const deleteMessage = (threadId: string, messageId: string): ApiRequest => ({
  method: "DELETE",
  path: messagePath(threadId, messageId),
  idempotent: true
})
