/**
 * The inputs of the Messages API operations, as Schemas that check them before anything is sent.
 *
 * @since 0.2.0
 */
import * as Schema from "effect/Schema"
import * as RunRequest from "./RunRequest.js"

/**
 * The body of `createMessage`: `role` (`user`, or `assistant` to put a reply of your own in the conversation),
 * `content` (text, or at least one part: text, an image file, an image URL), `attachments` and `metadata`. The
 * same shape as a message of `createThread` or a run's `additional_messages`.
 *
 * @since 0.2.0
 * @category schemas
 */
export const CreateMessageRequest = RunRequest.MessageParam

/**
 * @since 0.2.0
 * @category models
 */
export type CreateMessageRequest = typeof CreateMessageRequest.Type

/**
 * The body of `modifyMessage`: only `metadata` may change (replaced whole; `null` clears it). The same shape as the
 * body of `modifyRun`.
 *
 * @since 0.2.0
 * @category schemas
 */
export const ModifyMessageRequest = RunRequest.ModifyRunRequest

/**
 * @since 0.2.0
 * @category models
 */
export type ModifyMessageRequest = typeof ModifyMessageRequest.Type

/**
 * The parameters of `listMessages`: paging (`limit` 1–100, `order`, `after`, `before`) and `run_id`, which keeps
 * only the messages that run created.
 *
 * @since 0.2.0
 * @category schemas
 */
export const ListMessagesParams = Schema.Struct({
  ...RunRequest.ListParams.fields,
  run_id: Schema.optional(RunRequest.Id)
})

/**
 * @since 0.2.0
 * @category models
 */
export type ListMessagesParams = typeof ListMessagesParams.Type
