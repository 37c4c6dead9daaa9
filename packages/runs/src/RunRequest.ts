/**
 * The inputs of the Runs API operations, as Schemas that check them before anything is sent.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import * as Run from "./Run.js"

/** Characters that would change the meaning of a path segment, or make a header/log line ambiguous. */
const forbiddenInId = /[/?#%\s\p{Cc}]/u

/** Half of a UTF-16 surrogate pair, alone: no UTF-8 text can carry it. */
const loneSurrogate = /\p{Cs}/u

/**
 * An object id (`thread_…`, `run_…`, `step_…`): 1–128 characters, not `.` or `..`, and none of `/ ? # %`,
 * whitespace or control characters, so it always stays exactly one path segment; and well-formed Unicode (no lone
 * surrogate, which cannot be percent-encoded and would be sent as U+FFFD in a query).
 *
 * @since 0.1.0
 * @category schemas
 */
export const Id = Schema.String.pipe(
  Schema.filter((id) => {
    if (id.length === 0) return "must not be empty"
    if (id.length > 128) return "must be at most 128 characters"
    if (id === "." || id === "..") return "must not be . or .."
    if (loneSurrogate.test(id)) return "must be well-formed Unicode (it holds a lone surrogate)"
    if (forbiddenInId.test(id)) return "must not contain /, ?, #, %, whitespace or control characters"
    return true
  }, { identifier: "Id" })
)

/**
 * Metadata as a request may send it: at most 16 pairs, keys of 1–64 characters, string values of at most 512.
 *
 * @since 0.1.0
 * @category schemas
 */
export const MetadataParam = Schema.Record({
  key: Schema.String.pipe(
    Schema.filter((key) => key.length >= 1 && key.length <= 64 || "keys must be 1 to 64 characters")
  ),
  value: Schema.String.pipe(Schema.maxLength(512, { message: () => "values must be at most 512 characters" }))
}).pipe(
  Schema.filter((metadata) => Object.keys(metadata).length <= 16 || "must have at most 16 pairs", {
    identifier: "Metadata"
  })
)

/**
 * The body of `modifyRun`: only `metadata` may change (`null` clears it).
 *
 * @since 0.1.0
 * @category schemas
 */
export const ModifyRunRequest = Schema.Struct({
  metadata: Schema.optional(Schema.NullOr(MetadataParam))
})

/**
 * @since 0.1.0
 * @category models
 */
export type ModifyRunRequest = typeof ModifyRunRequest.Type

const between = (min: number, max: number) =>
  Schema.Number.pipe(Schema.filter((n) => n >= min && n <= max || `must be between ${min} and ${max}`))

const tokenLimit = Schema.Int.pipe(Schema.filter((n) => n >= 256 || "must be at least 256"))

const atMost = <S extends Schema.Schema.Any>(max: number, schema: S) =>
  Schema.Array(schema).pipe(Schema.filter((items) => items.length <= max || `must have at most ${max} items`))

/**
 * A function name: letters, digits, `_` and `-`, at most 64 characters.
 *
 * @since 0.1.0
 * @category schemas
 */
export const FunctionName = Schema.String.pipe(
  Schema.filter((name) => /^[A-Za-z0-9_-]{1,64}$/.test(name) || "must be 1 to 64 letters, digits, _ or -")
)

/**
 * A tool a request may give the run: code interpreter, file search (1–50 results), or a function.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ToolParam = Schema.Union(
  Run.CodeInterpreterTool,
  Schema.Struct({
    type: Schema.Literal("file_search"),
    file_search: Schema.optional(Schema.Struct({
      max_num_results: Schema.optional(
        Schema.Int.pipe(Schema.filter((n) => n >= 1 && n <= 50 || "must be between 1 and 50"))
      ),
      ranking_options: Schema.optional(Schema.Struct({
        ranker: Schema.optional(Schema.Literal("auto", "default_2024_08_21")),
        score_threshold: between(0, 1)
      }))
    }))
  }),
  Schema.Struct({
    type: Schema.Literal("function"),
    function: Schema.Struct({ ...Run.FunctionDefinition.fields, name: FunctionName })
  })
)

/**
 * @since 0.1.0
 * @category models
 */
export type ToolParam = typeof ToolParam.Type

/**
 * A part of a message's content: text, an uploaded image file, or an image URL.
 *
 * @since 0.1.0
 * @category schemas
 */
export const MessageContentPart = Schema.Union(
  Schema.Struct({ type: Schema.Literal("text"), text: Schema.String }),
  Schema.Struct({
    type: Schema.Literal("image_file"),
    image_file: Schema.Struct({
      file_id: Schema.String,
      detail: Schema.optional(Schema.Literal("auto", "low", "high"))
    })
  }),
  Schema.Struct({
    type: Schema.Literal("image_url"),
    image_url: Schema.Struct({ url: Schema.String, detail: Schema.optional(Schema.Literal("auto", "low", "high")) })
  })
)

/**
 * A message to add to a thread: role, content (text or parts), attachments and metadata.
 *
 * @since 0.1.0
 * @category schemas
 */
export const MessageParam = Schema.Struct({
  role: Schema.Literal("user", "assistant"),
  content: Schema.Union(
    Schema.String,
    Schema.Array(MessageContentPart).pipe(Schema.filter((parts) => parts.length >= 1 || "must not be empty"))
  ),
  attachments: Schema.optional(Schema.NullOr(Schema.Array(Schema.Struct({
    file_id: Schema.optional(Schema.String),
    tools: Schema.optional(Schema.Array(Schema.Struct({ type: Schema.Literal("code_interpreter", "file_search") })))
  })))),
  metadata: Schema.optional(Schema.NullOr(MetadataParam))
})

/**
 * @since 0.1.0
 * @category models
 */
export type MessageParam = typeof MessageParam.Type

/**
 * Files and vector stores the tools may use.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ToolResources = Schema.Struct({
  code_interpreter: Schema.optional(Schema.Struct({ file_ids: Schema.optional(atMost(20, Schema.String)) })),
  file_search: Schema.optional(Schema.Struct({
    vector_store_ids: Schema.optional(atMost(1, Schema.String)),
    vector_stores: Schema.optional(atMost(1, Schema.Record({ key: Schema.String, value: Schema.Unknown })))
  }))
})

/** The run settings that createRun and createThreadAndRun share. */
const runSettings = {
  assistant_id: Id,
  model: Schema.optional(Schema.NullOr(Schema.String)),
  instructions: Schema.optional(Schema.NullOr(Schema.String)),
  tools: Schema.optional(Schema.NullOr(atMost(20, ToolParam))),
  metadata: Schema.optional(Schema.NullOr(MetadataParam)),
  temperature: Schema.optional(Schema.NullOr(between(0, 2))),
  top_p: Schema.optional(Schema.NullOr(between(0, 1))),
  stream: Schema.optional(Schema.NullOr(Schema.Boolean)),
  max_prompt_tokens: Schema.optional(Schema.NullOr(tokenLimit)),
  max_completion_tokens: Schema.optional(Schema.NullOr(tokenLimit)),
  truncation_strategy: Schema.optional(Schema.NullOr(Schema.Struct({
    type: Schema.Literal("auto", "last_messages"),
    last_messages: Schema.optional(Schema.NullOr(Schema.Int.pipe(Schema.filter((n) => n >= 1 || "must be at least 1"))))
  }))),
  tool_choice: Schema.optional(Schema.NullOr(Run.ToolChoice)),
  parallel_tool_calls: Schema.optional(Schema.Boolean),
  response_format: Schema.optional(Schema.NullOr(Run.ResponseFormat))
}

/**
 * What `include[]` may ask for: the content of file search results.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Include = Schema.Array(Schema.Literal("step_details.tool_calls[*].file_search.results[*].content"))

/**
 * The body of `createRun` (`include` goes to the query string as `include[]`). Limits are the spec's: temperature
 * 0–2, top_p 0–1, token limits at least 256, at most 20 tools.
 *
 * @since 0.1.0
 * @category schemas
 */
export const CreateRunRequest = Schema.Struct({
  ...runSettings,
  reasoning_effort: Schema.optional(Schema.NullOr(Schema.Literal("minimal", "low", "medium", "high"))),
  additional_instructions: Schema.optional(Schema.NullOr(Schema.String)),
  additional_messages: Schema.optional(Schema.NullOr(Schema.Array(MessageParam))),
  include: Schema.optional(Include)
})

/**
 * @since 0.1.0
 * @category models
 */
export type CreateRunRequest = typeof CreateRunRequest.Type

/**
 * A new thread: the messages it starts with, its tools' resources and its metadata. The body of `createThread`, and
 * the `thread` of `createThreadAndRun`.
 *
 * @since 0.2.0
 * @category schemas
 */
export const ThreadParam = Schema.Struct({
  messages: Schema.optional(Schema.Array(MessageParam)),
  tool_resources: Schema.optional(Schema.NullOr(ToolResources)),
  metadata: Schema.optional(Schema.NullOr(MetadataParam))
})

/**
 * @since 0.2.0
 * @category models
 */
export type ThreadParam = typeof ThreadParam.Type

/**
 * The body of `createThreadAndRun`: the new thread (messages, resources, metadata) and the run's settings.
 *
 * @since 0.1.0
 * @category schemas
 */
export const CreateThreadAndRunRequest = Schema.Struct({
  ...runSettings,
  thread: Schema.optional(ThreadParam),
  tool_resources: Schema.optional(Schema.NullOr(ToolResources))
})

/**
 * @since 0.1.0
 * @category models
 */
export type CreateThreadAndRunRequest = typeof CreateThreadAndRunRequest.Type

/**
 * One tool output: the id of the call it answers and the output text.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ToolOutput = Schema.Struct({
  tool_call_id: Id,
  output: Schema.String
})

/**
 * @since 0.1.0
 * @category models
 */
export type ToolOutput = typeof ToolOutput.Type

/**
 * The body of `submitToolOutputsToRun`: at least one output, each call answered once.
 *
 * @since 0.1.0
 * @category schemas
 */
export const SubmitToolOutputsRequest = Schema.Struct({
  tool_outputs: Schema.Array(ToolOutput).pipe(
    Schema.filter((outputs) => outputs.length >= 1 || "must have at least one output"),
    Schema.filter((outputs) =>
      new Set(outputs.map((output) => output.tool_call_id)).size === outputs.length ||
      "must answer each tool call once"
    )
  ),
  stream: Schema.optional(Schema.NullOr(Schema.Boolean))
})

/**
 * @since 0.1.0
 * @category models
 */
export type SubmitToolOutputsRequest = typeof SubmitToolOutputsRequest.Type

/**
 * The parameters of `getRunStep`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const GetRunStepParams = Schema.Struct({ include: Schema.optional(Include) })

/**
 * @since 0.1.0
 * @category models
 */
export type GetRunStepParams = typeof GetRunStepParams.Type

/**
 * Paging parameters: `limit` 1–100 (server default 20), `order` by creation time (server default `desc`), and the
 * `after` / `before` cursors (ids from a previous page).
 *
 * @since 0.1.0
 * @category schemas
 */
export const ListParams = Schema.Struct({
  limit: Schema.optional(
    Schema.Int.pipe(Schema.filter((limit) => limit >= 1 && limit <= 100 || "must be between 1 and 100"))
  ),
  order: Schema.optional(Schema.Literal("asc", "desc")),
  after: Schema.optional(Id),
  before: Schema.optional(Id)
})

/**
 * @since 0.1.0
 * @category models
 */
export type ListParams = typeof ListParams.Type

/**
 * The parameters of `listRunSteps`: paging, and `include[]`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ListRunStepsParams = Schema.Struct({ ...ListParams.fields, include: Schema.optional(Include) })

/**
 * @since 0.1.0
 * @category models
 */
export type ListRunStepsParams = typeof ListRunStepsParams.Type
