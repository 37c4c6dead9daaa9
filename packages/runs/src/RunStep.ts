/**
 * Run steps: what a run did (created a message, called tools), as Schemas that decode what real servers send.
 *
 * Real servers send `expires_at` where the spec says `expired_at`, no `metadata`, and file search results with an
 * `attributes` field: all of these decode (both timestamps are kept, missing ones are `null`).
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import { Metadata, nullableOrMissing, RunUsage, UnixSeconds } from "./Run.js"

/**
 * Every status a run step can be in.
 *
 * @since 0.1.0
 * @category schemas
 */
export const RunStepStatus = Schema.Literal("in_progress", "cancelled", "failed", "completed", "expired")

/**
 * @since 0.1.0
 * @category models
 */
export type RunStepStatus = typeof RunStepStatus.Type

/**
 * A step that created a message: the message's id.
 *
 * @since 0.1.0
 * @category schemas
 */
export const MessageCreationDetails = Schema.Struct({
  type: Schema.Literal("message_creation"),
  message_creation: Schema.Struct({ message_id: Schema.String })
})

/**
 * One output of a code interpreter call: logs or an image file.
 *
 * @since 0.1.0
 * @category schemas
 */
export const CodeInterpreterOutput = Schema.Union(
  Schema.Struct({ type: Schema.Literal("logs"), logs: Schema.String }),
  Schema.Struct({ type: Schema.Literal("image"), image: Schema.Struct({ file_id: Schema.String }) })
)

/**
 * A code interpreter call: the code it ran and what came out.
 *
 * @since 0.1.0
 * @category schemas
 */
export const CodeInterpreterToolCall = Schema.Struct({
  id: Schema.String,
  type: Schema.Literal("code_interpreter"),
  code_interpreter: Schema.Struct({
    input: Schema.String,
    outputs: Schema.Array(CodeInterpreterOutput)
  })
})

/**
 * One file search result; `content` is present when requested with `include[]`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const FileSearchResult = Schema.Struct({
  file_id: Schema.String,
  file_name: Schema.String,
  score: Schema.Finite,
  attributes: Schema.optional(Schema.NullOr(Schema.Record({ key: Schema.String, value: Schema.Unknown }))),
  content: Schema.optional(Schema.Array(Schema.Struct({ type: Schema.Literal("text"), text: Schema.String })))
})

/**
 * A file search call, with its ranking options and results when included.
 *
 * @since 0.1.0
 * @category schemas
 */
export const FileSearchToolCall = Schema.Struct({
  id: Schema.String,
  type: Schema.Literal("file_search"),
  file_search: Schema.Struct({
    ranking_options: Schema.optional(Schema.Struct({ ranker: Schema.String, score_threshold: Schema.Finite })),
    results: Schema.optional(Schema.Array(FileSearchResult))
  })
})

/**
 * A function call; `output` is `null` until the tool outputs are submitted.
 *
 * @since 0.1.0
 * @category schemas
 */
export const FunctionToolCall = Schema.Struct({
  id: Schema.String,
  type: Schema.Literal("function"),
  function: Schema.Struct({
    name: Schema.String,
    arguments: Schema.String,
    output: nullableOrMissing(Schema.String)
  })
})

/**
 * Any tool call of a step.
 *
 * @since 0.1.0
 * @category schemas
 */
export const StepToolCall = Schema.Union(CodeInterpreterToolCall, FileSearchToolCall, FunctionToolCall)

/**
 * @since 0.1.0
 * @category models
 */
export type StepToolCall = typeof StepToolCall.Type

/**
 * A step that called tools.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ToolCallsDetails = Schema.Struct({
  type: Schema.Literal("tool_calls"),
  tool_calls: Schema.Array(StepToolCall)
})

/**
 * The details of a step, by its kind.
 *
 * @since 0.1.0
 * @category schemas
 */
export const StepDetails = Schema.Union(MessageCreationDetails, ToolCallsDetails)

/**
 * The last error of a step that failed.
 *
 * @since 0.1.0
 * @category schemas
 */
export const StepLastError = Schema.Struct({ code: Schema.String, message: Schema.String })

/**
 * A step of a run (`object: "thread.run.step"`).
 *
 * @since 0.1.0
 * @category schemas
 */
export class RunStep extends Schema.Class<RunStep>("RunStep")({
  id: Schema.String,
  object: Schema.Literal("thread.run.step"),
  created_at: UnixSeconds,
  assistant_id: Schema.String,
  thread_id: Schema.String,
  run_id: Schema.String,
  type: Schema.Literal("message_creation", "tool_calls"),
  status: RunStepStatus,
  step_details: StepDetails,
  last_error: nullableOrMissing(StepLastError),
  expired_at: nullableOrMissing(UnixSeconds),
  expires_at: nullableOrMissing(UnixSeconds),
  cancelled_at: nullableOrMissing(UnixSeconds),
  failed_at: nullableOrMissing(UnixSeconds),
  completed_at: nullableOrMissing(UnixSeconds),
  metadata: nullableOrMissing(Metadata),
  usage: nullableOrMissing(RunUsage)
}) {}

/**
 * The wire (JSON) form of a {@link RunStep}.
 *
 * @since 0.1.0
 * @category models
 */
export type RunStepJson = typeof RunStep.Encoded
