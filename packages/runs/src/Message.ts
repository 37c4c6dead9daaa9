/**
 * Messages and the deltas a run streams, as Schemas tolerant of what real servers add: unknown fields are ignored,
 * missing nullable fields decode as `null`, and a content part of a kind still to come decodes as
 * {@link OtherContent} instead of failing the message.
 *
 * One {@link Message} serves the Messages API (`createMessage`, `getMessage`, `listMessages`, …) and the
 * `thread.message.*` events of a streamed run.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import { Metadata, nullableOrMissing, UnixSeconds } from "./Run.js"

const LooseObject = Schema.Record({ key: Schema.String, value: Schema.Unknown })

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
 * An image file in a message (`type: "image_file"`): the id of an uploaded file.
 *
 * @since 0.2.0
 * @category schemas
 */
export const ImageFileContent = Schema.Struct({
  type: Schema.Literal("image_file"),
  image_file: Schema.Struct({ file_id: Schema.String, detail: Schema.optional(Schema.String) })
})

/**
 * An image URL in a message (`type: "image_url"`).
 *
 * @since 0.2.0
 * @category schemas
 */
export const ImageUrlContent = Schema.Struct({
  type: Schema.Literal("image_url"),
  image_url: Schema.Struct({ url: Schema.String, detail: Schema.optional(Schema.String) })
})

/**
 * The assistant's refusal to answer (`type: "refusal"`).
 *
 * @since 0.2.0
 * @category schemas
 */
export const RefusalContent = Schema.Struct({
  type: Schema.Literal("refusal"),
  refusal: Schema.String
})

const knownContentTypes: ReadonlySet<string> = new Set(["text", "image_file", "image_url", "refusal"])

/**
 * A part of a message of a kind this library does not know yet, kept as it came.
 *
 * @since 0.1.0
 * @category schemas
 */
export const OtherContent = Schema.Struct(
  {
    type: Schema.String.pipe(
      Schema.filter((type) => !knownContentTypes.has(type), { identifier: "OtherContentType" })
    )
  },
  LooseObject
)

/**
 * A part of a message: text, an image file, an image URL, a refusal, or a kind still to come.
 *
 * @since 0.1.0
 * @category schemas
 */
export const MessageContent = Schema.Union(TextContent, ImageFileContent, ImageUrlContent, RefusalContent, OtherContent)

/**
 * @since 0.2.0
 * @category models
 */
export type MessageContent = typeof MessageContent.Type

/**
 * Where a message is: `in_progress` while a run writes it, then `completed` or `incomplete`.
 *
 * @since 0.2.0
 * @category schemas
 */
export const MessageStatus = Schema.Literal("in_progress", "incomplete", "completed")

/**
 * @since 0.2.0
 * @category models
 */
export type MessageStatus = typeof MessageStatus.Type

/**
 * A file attached to a message, and the tools it was given to.
 *
 * @since 0.2.0
 * @category schemas
 */
export const MessageAttachment = Schema.Struct({
  file_id: Schema.optional(Schema.String),
  tools: Schema.optional(Schema.Array(Schema.Struct({ type: Schema.String })))
})

/**
 * A message of a thread (`object: "thread.message"`): written by the user, or by the assistant in a run (`run_id`,
 * `assistant_id`). The spec's own examples leave out `status`, `incomplete_details`, `completed_at` and
 * `incomplete_at`; they decode as `null`.
 *
 * @since 0.1.0
 * @category schemas
 */
export class Message extends Schema.Class<Message>("Message")({
  id: Schema.String,
  object: Schema.Literal("thread.message"),
  created_at: UnixSeconds,
  thread_id: Schema.String,
  status: nullableOrMissing(MessageStatus),
  incomplete_details: nullableOrMissing(Schema.Struct({ reason: Schema.String })),
  completed_at: nullableOrMissing(UnixSeconds),
  incomplete_at: nullableOrMissing(UnixSeconds),
  role: Schema.Literal("user", "assistant"),
  content: Schema.Array(MessageContent),
  assistant_id: nullableOrMissing(Schema.String),
  run_id: nullableOrMissing(Schema.String),
  attachments: nullableOrMissing(Schema.Array(MessageAttachment)),
  metadata: nullableOrMissing(Metadata)
}) {}

/**
 * The answer to deleting a message (`object: "thread.message.deleted"`).
 *
 * @since 0.2.0
 * @category schemas
 */
export class MessageDeleted extends Schema.Class<MessageDeleted>("MessageDeleted")({
  id: Schema.String,
  object: Schema.Literal("thread.message.deleted"),
  deleted: Schema.Boolean
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

const isText = (part: MessageContent): part is typeof TextContent.Type =>
  part.type === "text" && typeof part.text === "object" && part.text !== null

/**
 * The text of a message: the values of its text parts, joined with nothing between them (parts of one message are
 * pieces of one text). Other parts (images, refusals) add nothing.
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
 * @example
 * ```ts
 * import { Message } from "@effect-openai/runs"
 *
 * const print = (message: Message.Message) => console.log(`${message.role}: ${Message.text(message)}`)
 * ```
 */
export const text = (message: Message): string => message.content.filter(isText).map((part) => part.text.value).join("")
