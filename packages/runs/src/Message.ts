/**
 * Threads, messages and the deltas a run streams, as Schemas tolerant of what real servers add.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import { Metadata, nullableOrMissing, UnixSeconds } from "./Run.js"

const LooseObject = Schema.Record({ key: Schema.String, value: Schema.Unknown })

/**
 * A thread (`object: "thread"`).
 *
 * @since 0.1.0
 * @category schemas
 */
export class Thread extends Schema.Class<Thread>("Thread")({
  id: Schema.String,
  object: Schema.Literal("thread"),
  created_at: UnixSeconds,
  tool_resources: nullableOrMissing(LooseObject),
  metadata: nullableOrMissing(Metadata)
}) {}

/**
 * The text of a message, with its annotations (file citations and paths) kept as they came.
 *
 * @since 0.1.0
 * @category schemas
 */
export const TextContent = Schema.Struct({
  type: Schema.Literal("text"),
  text: Schema.Struct({
    value: Schema.String,
    annotations: Schema.optionalWith(Schema.Array(LooseObject), { default: () => [] })
  })
})

/**
 * A part of a message that is not text (an image file, an image URL, a refusal, or a kind still to come).
 *
 * @since 0.1.0
 * @category schemas
 */
export const OtherContent = Schema.Struct(
  { type: Schema.String.pipe(Schema.filter((type) => type !== "text", { identifier: "NonTextContentType" })) },
  LooseObject
)

/**
 * A part of a message.
 *
 * @since 0.1.0
 * @category schemas
 */
export const MessageContent = Schema.Union(TextContent, OtherContent)

/**
 * A message of a thread (`object: "thread.message"`).
 *
 * @since 0.1.0
 * @category schemas
 */
export class Message extends Schema.Class<Message>("Message")({
  id: Schema.String,
  object: Schema.Literal("thread.message"),
  created_at: UnixSeconds,
  thread_id: Schema.String,
  status: nullableOrMissing(Schema.String),
  incomplete_details: nullableOrMissing(Schema.Struct({ reason: Schema.String })),
  completed_at: nullableOrMissing(UnixSeconds),
  incomplete_at: nullableOrMissing(UnixSeconds),
  role: Schema.Literal("user", "assistant"),
  content: Schema.Array(MessageContent),
  assistant_id: nullableOrMissing(Schema.String),
  run_id: nullableOrMissing(Schema.String),
  attachments: nullableOrMissing(Schema.Array(LooseObject)),
  metadata: nullableOrMissing(Metadata)
}) {}

/**
 * A piece of a message's content as it streams: `index` says which part it extends.
 *
 * @since 0.1.0
 * @category schemas
 */
export const MessageContentDelta = Schema.Struct(
  {
    index: Schema.Int,
    type: Schema.String,
    text: Schema.optional(Schema.Struct({
      value: Schema.optional(Schema.String),
      annotations: Schema.optional(Schema.Array(LooseObject))
    }))
  },
  LooseObject
)

/**
 * A change to a message while it streams (`object: "thread.message.delta"`).
 *
 * @since 0.1.0
 * @category schemas
 */
export class MessageDelta extends Schema.Class<MessageDelta>("MessageDelta")({
  id: Schema.String,
  object: Schema.Literal("thread.message.delta"),
  delta: Schema.Struct({
    role: Schema.optional(Schema.Literal("user", "assistant")),
    content: Schema.optional(Schema.Array(MessageContentDelta))
  })
}) {}

/**
 * A piece of a tool call as it streams: the first piece of a call carries its `id`, `type` and function name, the
 * following ones only `index` and more `arguments`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ToolCallDelta = Schema.Struct(
  {
    index: Schema.Int,
    id: Schema.optional(Schema.String),
    type: Schema.optional(Schema.String),
    function: Schema.optional(Schema.Struct({
      name: Schema.optional(Schema.String),
      arguments: Schema.optional(Schema.String),
      output: Schema.optional(Schema.NullOr(Schema.String))
    }))
  },
  LooseObject
)

/**
 * A change to a run step while it streams (`object: "thread.run.step.delta"`).
 *
 * @since 0.1.0
 * @category schemas
 */
export class RunStepDelta extends Schema.Class<RunStepDelta>("RunStepDelta")({
  id: Schema.String,
  object: Schema.Literal("thread.run.step.delta"),
  delta: Schema.Struct({
    step_details: Schema.optional(Schema.Union(
      Schema.Struct({
        type: Schema.Literal("message_creation"),
        message_creation: Schema.optional(Schema.Struct({ message_id: Schema.optional(Schema.String) }))
      }),
      Schema.Struct({
        type: Schema.Literal("tool_calls"),
        tool_calls: Schema.optional(Schema.Array(ToolCallDelta))
      })
    ))
  })
}) {}

const isText = (part: typeof MessageContent.Type): part is typeof TextContent.Type =>
  part.type === "text" && typeof part.text === "object" && part.text !== null

/**
 * The text of a message: the values of its text parts, joined.
 *
 * @example
 * ```ts
 * import { Message } from "@effect-openai/runs"
 *
 * const reply = (message: Message.Message): string => Message.text(message) // the text parts, joined
 * ```
 *
 * @since 0.1.0
 * @category getters
 */
export const text = (message: Message): string => message.content.filter(isText).map((part) => part.text.value).join("")
