/**
 * The Thread object of the Assistants v2 API, and the answer to deleting one, as Schemas tolerant of what real
 * servers send: unknown fields are ignored, and a missing `tool_resources` or `metadata` decodes as `null`.
 *
 * @since 0.2.0
 */
import * as Schema from "effect/Schema"
import { Metadata, nullableOrMissing, UnixSeconds } from "./Run.js"

/**
 * The files and vector stores a thread gives its runs' tools: up to 20 files for the code interpreter, one vector
 * store for file search.
 *
 * @since 0.2.0
 * @category schemas
 */
export const ThreadToolResources = Schema.Struct({
  code_interpreter: Schema.optional(Schema.Struct({ file_ids: Schema.optional(Schema.Array(Schema.String)) })),
  file_search: Schema.optional(Schema.Struct({ vector_store_ids: Schema.optional(Schema.Array(Schema.String)) }))
})

/**
 * @since 0.2.0
 * @category models
 */
export type ThreadToolResources = typeof ThreadToolResources.Type

/**
 * A thread (`object: "thread"`): the conversation that messages and runs belong to.
 *
 * @since 0.1.0
 * @category schemas
 */
export class Thread extends Schema.Class<Thread>("Thread")({
  id: Schema.String,
  object: Schema.Literal("thread"),
  created_at: UnixSeconds,
  tool_resources: nullableOrMissing(ThreadToolResources),
  metadata: nullableOrMissing(Metadata)
}) {}

/**
 * The answer to deleting a thread (`object: "thread.deleted"`).
 *
 * @since 0.2.0
 * @category schemas
 */
export class ThreadDeleted extends Schema.Class<ThreadDeleted>("ThreadDeleted")({
  id: Schema.String,
  object: Schema.Literal("thread.deleted"),
  deleted: Schema.Boolean
}) {}
