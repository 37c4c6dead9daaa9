/**
 * The inputs of the Threads API operations, as Schemas that check them before anything is sent.
 *
 * @since 0.2.0
 */
import * as Schema from "effect/Schema"
import * as RunRequest from "./RunRequest.js"

/**
 * The body of `createThread`: the messages the thread starts with (each as `createMessage` takes it), its tools'
 * resources and its metadata; all optional. The same shape as the `thread` of `createThreadAndRun`.
 *
 * @since 0.2.0
 * @category schemas
 */
export const CreateThreadRequest = RunRequest.ThreadParam

/**
 * @since 0.2.0
 * @category models
 */
export type CreateThreadRequest = typeof CreateThreadRequest.Type

const atMost = (max: number) =>
  Schema.Array(Schema.String).pipe(
    Schema.filter((items) => items.length <= max || `must have at most ${max} items`)
  )

/**
 * The resources `modifyThread` may set: up to 20 files for the code interpreter, one vector store for file search
 * (an existing one: creating vector stores is only offered when a thread is created).
 *
 * @since 0.2.0
 * @category schemas
 */
export const ModifyToolResources = Schema.Struct({
  code_interpreter: Schema.optional(Schema.Struct({ file_ids: Schema.optional(atMost(20)) })),
  file_search: Schema.optional(Schema.Struct({ vector_store_ids: Schema.optional(atMost(1)) }))
})

/**
 * The body of `modifyThread`: `metadata` (replaced whole; `null` clears it) and `tool_resources`.
 *
 * @since 0.2.0
 * @category schemas
 */
export const ModifyThreadRequest = Schema.Struct({
  tool_resources: Schema.optional(Schema.NullOr(ModifyToolResources)),
  metadata: Schema.optional(Schema.NullOr(RunRequest.MetadataParam))
})

/**
 * @since 0.2.0
 * @category models
 */
export type ModifyThreadRequest = typeof ModifyThreadRequest.Type
