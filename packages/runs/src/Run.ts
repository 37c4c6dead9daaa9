/**
 * The Run object of the Assistants v2 API, as a Schema that decodes what real servers send.
 *
 * Field names are the wire's (snake_case) so the OpenAI reference reads true for these types. Decoding is
 * tolerant where real servers differ from the published schema: unknown fields are ignored, nullable fields that
 * are missing decode as `null`, a missing `parallel_tool_calls` decodes as `true`, and a tool whose `type` is new
 * decodes as {@link UnknownTool} instead of failing the whole Run. A client with `decode: "lenient"` also fills
 * `model` (`""`), `tools` (`[]`) and `last_error.code` (`"unknown"`) when a compatible server leaves them out.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import { withDefault } from "./internal/lenient.js"

/**
 * Every status a run can be in.
 *
 * @since 0.1.0
 * @category schemas
 */
export const RunStatus = Schema.Literal(
  "queued",
  "in_progress",
  "requires_action",
  "cancelling",
  "cancelled",
  "failed",
  "completed",
  "incomplete",
  "expired"
)

/**
 * @since 0.1.0
 * @category models
 */
export type RunStatus = typeof RunStatus.Type

const terminalStatuses: ReadonlySet<RunStatus> = new Set(["cancelled", "failed", "completed", "incomplete", "expired"])
const pendingStatuses: ReadonlySet<RunStatus> = new Set(["queued", "in_progress", "cancelling"])

/**
 * A terminal status never changes again: `completed`, `failed`, `cancelled`, `expired` or `incomplete`.
 *
 * @example
 * ```ts
 * import { Run } from "@effect-openai/runs"
 *
 * Run.isTerminal("completed") // true
 * ```
 *
 * @since 0.1.0
 * @category status
 */
export const isTerminal = (status: RunStatus): boolean => terminalStatuses.has(status)

/**
 * A pending status changes without anything from the caller: `queued`, `in_progress` or `cancelling`.
 * Polling waits while a run is pending.
 *
 * @example
 * ```ts
 * import { Run } from "@effect-openai/runs"
 *
 * Run.isPending("queued") // true
 * ```
 *
 * @since 0.1.0
 * @category status
 */
export const isPending = (status: RunStatus): boolean => pendingStatuses.has(status)

/**
 * The run waits for the caller: `requires_action` (submit the tool outputs to move it on).
 *
 * @example
 * ```ts
 * import { Run } from "@effect-openai/runs"
 *
 * Run.requiresAction("requires_action") // true
 * ```
 *
 * @since 0.1.0
 * @category status
 */
export const requiresAction = (status: RunStatus): boolean => status === "requires_action"

/**
 * A run that ended well: `completed`.
 *
 * @example
 * ```ts
 * import { Run } from "@effect-openai/runs"
 *
 * Run.isSuccess("failed") // false
 * ```
 *
 * @since 0.1.0
 * @category status
 */
export const isSuccess = (status: RunStatus): boolean => status === "completed"

/**
 * Up to 16 string pairs attached to an object (keys up to 64 characters, values up to 512).
 *
 * @since 0.1.0
 * @category schemas
 */
export const Metadata = Schema.Record({ key: Schema.String, value: Schema.String })

/**
 * @since 0.1.0
 * @category models
 */
export type Metadata = typeof Metadata.Type

/**
 * A Unix timestamp in seconds.
 *
 * @since 0.1.0
 * @category schemas
 */
export const UnixSeconds = Schema.Int

/**
 * A nullable field that real servers sometimes leave out: missing decodes as `null`.
 *
 * @example
 * ```ts
 * import { Run } from "@effect-openai/runs"
 * import { Schema } from "effect"
 *
 * const Note = Schema.Struct({ note: Run.nullableOrMissing(Schema.String) })
 *
 * Schema.decodeUnknownSync(Note)({}) // { note: null }
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const nullableOrMissing = <S extends Schema.Schema.Any>(schema: S) =>
  Schema.optionalWith(Schema.NullOr(schema), { default: () => null })

/**
 * The known `last_error.code` values. Servers may add codes, so {@link LastError} accepts any string.
 *
 * @since 0.1.0
 * @category schemas
 */
export const LastErrorCode = Schema.Literal("server_error", "rate_limit_exceeded", "invalid_prompt")

/**
 * The last error of a run that failed.
 *
 * @since 0.1.0
 * @category schemas
 */
export class LastError extends Schema.Class<LastError>("LastError")({
  code: withDefault(Schema.String, "unknown"),
  message: Schema.String
}) {}

/**
 * Why a run ended `incomplete` (`max_completion_tokens` or `max_prompt_tokens`).
 *
 * @since 0.1.0
 * @category schemas
 */
export class IncompleteDetails extends Schema.Class<IncompleteDetails>("IncompleteDetails")({
  reason: Schema.optional(Schema.String)
}) {}

/**
 * A function call the run is waiting on: answer it by `id` when submitting tool outputs.
 *
 * @since 0.1.0
 * @category schemas
 */
export class RunToolCall extends Schema.Class<RunToolCall>("RunToolCall")({
  id: Schema.String,
  type: Schema.Literal("function"),
  function: Schema.Struct({
    name: Schema.String,
    arguments: Schema.String
  })
}) {}

/**
 * What a `requires_action` run needs: the outputs of its tool calls.
 *
 * @since 0.1.0
 * @category schemas
 */
export class RequiredAction extends Schema.Class<RequiredAction>("RequiredAction")({
  type: Schema.Literal("submit_tool_outputs"),
  submit_tool_outputs: Schema.Struct({
    tool_calls: Schema.Array(RunToolCall)
  })
}) {}

/**
 * The code interpreter tool.
 *
 * @since 0.1.0
 * @category tools
 */
export const CodeInterpreterTool = Schema.Struct({
  type: Schema.Literal("code_interpreter")
})

/**
 * The file search tool, with its optional result count and ranking options.
 *
 * @since 0.1.0
 * @category tools
 */
export const FileSearchTool = Schema.Struct({
  type: Schema.Literal("file_search"),
  file_search: Schema.optional(Schema.Struct({
    max_num_results: Schema.optional(Schema.Int),
    ranking_options: Schema.optional(Schema.Struct({
      ranker: Schema.optional(Schema.String),
      score_threshold: Schema.Finite
    }))
  }))
})

/**
 * A function the model may call: its name, description and JSON Schema parameters.
 *
 * @since 0.1.0
 * @category tools
 */
export const FunctionDefinition = Schema.Struct({
  name: Schema.String,
  description: Schema.optional(Schema.String),
  parameters: Schema.optional(Schema.Record({ key: Schema.String, value: Schema.Unknown })),
  strict: Schema.optional(Schema.NullOr(Schema.Boolean))
})

/**
 * The function tool.
 *
 * @since 0.1.0
 * @category tools
 */
export const FunctionTool = Schema.Struct({
  type: Schema.Literal("function"),
  function: FunctionDefinition
})

const knownToolTypes: ReadonlySet<string> = new Set(["code_interpreter", "file_search", "function"])

/**
 * A tool of a type this library does not know yet. Its other fields are kept as they came.
 *
 * @since 0.1.0
 * @category tools
 */
export const UnknownTool = Schema.Struct(
  { type: Schema.String.pipe(Schema.filter((type) => !knownToolTypes.has(type), { identifier: "UnknownToolType" })) },
  Schema.Record({ key: Schema.String, value: Schema.Unknown })
)

/**
 * Any tool an assistant or a run can use.
 *
 * @since 0.1.0
 * @category tools
 */
export const AssistantTool = Schema.Union(CodeInterpreterTool, FileSearchTool, FunctionTool, UnknownTool)

/**
 * @since 0.1.0
 * @category models
 */
export type AssistantTool = typeof AssistantTool.Type

/**
 * The format the model must output: `"auto"`, text, JSON mode, or structured outputs with a JSON schema.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ResponseFormat = Schema.Union(
  Schema.Literal("auto"),
  Schema.Struct({ type: Schema.Literal("text") }),
  Schema.Struct({ type: Schema.Literal("json_object") }),
  Schema.Struct({
    type: Schema.Literal("json_schema"),
    json_schema: Schema.Struct({
      name: Schema.String,
      description: Schema.optional(Schema.String),
      schema: Schema.optional(Schema.Record({ key: Schema.String, value: Schema.Unknown })),
      strict: Schema.optional(Schema.NullOr(Schema.Boolean))
    })
  })
)

/**
 * @since 0.1.0
 * @category models
 */
export type ResponseFormat = typeof ResponseFormat.Type

/**
 * Which tool the model calls: `"none"`, `"auto"`, `"required"`, or a named tool.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ToolChoice = Schema.Union(
  Schema.Literal("none", "auto", "required"),
  Schema.Struct({
    type: Schema.Literal("function", "code_interpreter", "file_search"),
    function: Schema.optional(Schema.Struct({ name: Schema.String }))
  })
)

/**
 * @since 0.1.0
 * @category models
 */
export type ToolChoice = typeof ToolChoice.Type

/**
 * How the thread is truncated before the run: `auto`, or the last `last_messages` messages.
 *
 * @since 0.1.0
 * @category schemas
 */
export class TruncationStrategy extends Schema.Class<TruncationStrategy>("TruncationStrategy")({
  type: Schema.Literal("auto", "last_messages"),
  last_messages: Schema.optional(Schema.NullOr(Schema.Int))
}) {}

/**
 * Token usage of a run; `null` on the run until it is terminal.
 *
 * @since 0.1.0
 * @category schemas
 */
export class RunUsage extends Schema.Class<RunUsage>("RunUsage")({
  completion_tokens: Schema.Int,
  prompt_tokens: Schema.Int,
  total_tokens: Schema.Int
}) {}

/**
 * A run on a thread (`object: "thread.run"`).
 *
 * @since 0.1.0
 * @category schemas
 * @example
 * ```ts
 * import { Schema } from "effect"
 * import { Run } from "@effect-openai/runs"
 *
 * const run = Schema.decodeUnknownSync(Run.Run)(json)
 * if (Run.isTerminal(run.status)) console.log(run.usage?.total_tokens)
 * ```
 */
export class Run extends Schema.Class<Run>("Run")({
  id: Schema.String,
  object: Schema.Literal("thread.run"),
  created_at: UnixSeconds,
  thread_id: Schema.String,
  assistant_id: Schema.String,
  status: RunStatus,
  required_action: nullableOrMissing(RequiredAction),
  last_error: nullableOrMissing(LastError),
  expires_at: nullableOrMissing(UnixSeconds),
  started_at: nullableOrMissing(UnixSeconds),
  cancelled_at: nullableOrMissing(UnixSeconds),
  failed_at: nullableOrMissing(UnixSeconds),
  completed_at: nullableOrMissing(UnixSeconds),
  incomplete_details: nullableOrMissing(IncompleteDetails),
  model: withDefault(Schema.String, ""),
  instructions: nullableOrMissing(Schema.String),
  tools: withDefault(Schema.Array(AssistantTool), []),
  metadata: nullableOrMissing(Metadata),
  usage: nullableOrMissing(RunUsage),
  temperature: nullableOrMissing(Schema.Finite),
  top_p: nullableOrMissing(Schema.Finite),
  max_prompt_tokens: nullableOrMissing(Schema.Int),
  max_completion_tokens: nullableOrMissing(Schema.Int),
  truncation_strategy: nullableOrMissing(TruncationStrategy),
  tool_choice: nullableOrMissing(ToolChoice),
  parallel_tool_calls: Schema.optionalWith(Schema.Boolean, { default: () => true }),
  response_format: nullableOrMissing(ResponseFormat)
}) {}

/**
 * The wire (JSON) form of a {@link Run}.
 *
 * @since 0.1.0
 * @category models
 */
export type RunJson = typeof Run.Encoded
