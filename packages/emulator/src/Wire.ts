/**
 * The JSON objects the emulator sends, typed with the wire's snake_case names.
 *
 * @since 0.1.0
 */

/**
 * @since 0.1.0
 * @category models
 */
export type RunStatus =
  | "queued"
  | "in_progress"
  | "requires_action"
  | "cancelling"
  | "cancelled"
  | "failed"
  | "completed"
  | "incomplete"
  | "expired"

/**
 * @since 0.1.0
 * @category models
 */
export type RunStepStatus = "in_progress" | "cancelled" | "failed" | "completed" | "expired"

/**
 * @since 0.1.0
 * @category models
 */
export interface FunctionDefinition {
  readonly name: string
  readonly description?: string
  readonly parameters?: Readonly<Record<string, unknown>>
  readonly strict?: boolean | null
}

/**
 * A tool an assistant or a run may use.
 *
 * @since 0.1.0
 * @category models
 */
export type Tool =
  | { readonly type: "code_interpreter" }
  | { readonly type: "file_search"; readonly file_search?: Readonly<Record<string, unknown>> }
  | { readonly type: "function"; readonly function: FunctionDefinition }

/**
 * @since 0.1.0
 * @category models
 */
export type Metadata = Readonly<Record<string, string>>

/**
 * Token usage of a run or a run step, with the detail objects real servers add.
 *
 * @since 0.1.0
 * @category models
 */
export interface Usage {
  readonly prompt_tokens: number
  readonly completion_tokens: number
  readonly total_tokens: number
  readonly prompt_token_details: { readonly cached_tokens: number }
  readonly completion_tokens_details: { readonly reasoning_tokens: number }
}

/**
 * @since 0.1.0
 * @category models
 */
export interface LastError {
  readonly code: "server_error" | "rate_limit_exceeded" | "invalid_prompt"
  readonly message: string
}

/**
 * @since 0.1.0
 * @category models
 */
export interface FunctionToolCall {
  readonly id: string
  readonly type: "function"
  readonly function: { readonly name: string; readonly arguments: string }
}

/**
 * @since 0.1.0
 * @category models
 */
export interface RequiredAction {
  readonly type: "submit_tool_outputs"
  readonly submit_tool_outputs: { readonly tool_calls: ReadonlyArray<FunctionToolCall> }
}

/**
 * A complete `thread.run` object, as the real API sends it in 2025.
 *
 * @since 0.1.0
 * @category models
 */
export interface Run {
  readonly id: string
  readonly object: "thread.run"
  readonly created_at: number
  readonly assistant_id: string
  readonly thread_id: string
  readonly status: RunStatus
  readonly started_at: number | null
  readonly expires_at: number | null
  readonly cancelled_at: number | null
  readonly failed_at: number | null
  readonly completed_at: number | null
  readonly required_action: RequiredAction | null
  readonly last_error: LastError | null
  readonly model: string
  readonly instructions: string | null
  readonly tools: ReadonlyArray<Tool>
  readonly tool_resources: Readonly<Record<string, unknown>>
  readonly metadata: Metadata
  readonly temperature: number | null
  readonly top_p: number | null
  readonly reasoning_effort: string | null
  readonly max_completion_tokens: number | null
  readonly max_prompt_tokens: number | null
  readonly truncation_strategy:
    | { readonly type: "auto" | "last_messages"; readonly last_messages: number | null }
    | null
  readonly incomplete_details: { readonly reason: "max_completion_tokens" | "max_prompt_tokens" } | null
  readonly usage: Usage | null
  readonly response_format: unknown
  readonly tool_choice: unknown
  readonly parallel_tool_calls: boolean
}

/**
 * A function call recorded in a `tool_calls` run step; `output` is `null` until submitted.
 *
 * @since 0.1.0
 * @category models
 */
export interface FunctionToolCallDetails {
  readonly id: string
  readonly type: "function"
  readonly function: { readonly name: string; readonly arguments: string; readonly output: string | null }
}

/**
 * @since 0.1.0
 * @category models
 */
export type StepDetails =
  | { readonly type: "message_creation"; readonly message_creation: { readonly message_id: string } }
  | { readonly type: "tool_calls"; readonly tool_calls: ReadonlyArray<FunctionToolCallDetails> }

/**
 * A `thread.run.step` object as real servers send it: `expires_at` (not the spec's `expired_at`), no
 * `metadata`.
 *
 * @since 0.1.0
 * @category models
 */
export interface RunStep {
  readonly id: string
  readonly object: "thread.run.step"
  readonly created_at: number
  readonly run_id: string
  readonly assistant_id: string
  readonly thread_id: string
  readonly type: StepDetails["type"]
  readonly status: RunStepStatus
  readonly cancelled_at: number | null
  readonly completed_at: number | null
  readonly expires_at: number | null
  readonly failed_at: number | null
  readonly last_error: LastError | null
  readonly step_details: StepDetails
  readonly usage: Usage | null
}

/**
 * @since 0.1.0
 * @category models
 */
export interface Assistant {
  readonly id: string
  readonly object: "assistant"
  readonly created_at: number
  readonly name: string | null
  readonly description: string | null
  readonly model: string
  readonly instructions: string | null
  readonly tools: ReadonlyArray<Tool>
  readonly tool_resources: Readonly<Record<string, unknown>>
  readonly metadata: Metadata
  readonly temperature: number
  readonly top_p: number
  readonly reasoning_effort: string | null
  readonly response_format: unknown
}

/**
 * The files and vector stores a thread gives its runs' tools.
 *
 * @since 0.2.0
 * @category models
 */
export interface ThreadToolResources {
  readonly code_interpreter?: { readonly file_ids: ReadonlyArray<string> }
  readonly file_search?: { readonly vector_store_ids: ReadonlyArray<string> }
}

/**
 * @since 0.1.0
 * @category models
 */
export interface Thread {
  readonly id: string
  readonly object: "thread"
  readonly created_at: number
  readonly metadata: Metadata
  readonly tool_resources: ThreadToolResources
}

/**
 * The answer to deleting a thread.
 *
 * @since 0.2.0
 * @category models
 */
export interface ThreadDeleted {
  readonly id: string
  readonly object: "thread.deleted"
  readonly deleted: true
}

/**
 * The text content of a message.
 *
 * @since 0.1.0
 * @category models
 */
export interface MessageText {
  readonly type: "text"
  readonly text: { readonly value: string; readonly annotations: ReadonlyArray<unknown> }
}

/**
 * An image file in a message's content.
 *
 * @since 0.2.0
 * @category models
 */
export interface MessageImageFile {
  readonly type: "image_file"
  readonly image_file: { readonly file_id: string; readonly detail?: "auto" | "low" | "high" }
}

/**
 * An image URL in a message's content.
 *
 * @since 0.2.0
 * @category models
 */
export interface MessageImageUrl {
  readonly type: "image_url"
  readonly image_url: { readonly url: string; readonly detail?: "auto" | "low" | "high" }
}

/**
 * A part of a message's content.
 *
 * @since 0.2.0
 * @category models
 */
export type MessageContent = MessageText | MessageImageFile | MessageImageUrl

/**
 * A file attached to a message, and the tools it is given to.
 *
 * @since 0.2.0
 * @category models
 */
export interface Attachment {
  readonly file_id: string
  readonly tools: ReadonlyArray<{ readonly type: "code_interpreter" | "file_search" }>
}

/**
 * A complete `thread.message` object, as the Messages API and event streams send it: a message added to a thread
 * (`run_id` and `assistant_id` `null`) or a run's reply.
 *
 * @since 0.1.0
 * @category models
 */
export interface Message {
  readonly id: string
  readonly object: "thread.message"
  readonly created_at: number
  readonly assistant_id: string | null
  readonly thread_id: string
  readonly run_id: string | null
  readonly status: "in_progress" | "incomplete" | "completed"
  readonly incomplete_details: { readonly reason: "max_tokens" | "content_filter" | "run_failed" } | null
  readonly incomplete_at: number | null
  readonly completed_at: number | null
  readonly role: "user" | "assistant"
  readonly content: ReadonlyArray<MessageContent>
  readonly attachments: ReadonlyArray<Attachment>
  readonly metadata: Metadata
}

/**
 * The answer to deleting a message.
 *
 * @since 0.2.0
 * @category models
 */
export interface MessageDeleted {
  readonly id: string
  readonly object: "thread.message.deleted"
  readonly deleted: true
}

/**
 * A piece of a message being written (`thread.message.delta`); only the first piece carries `annotations`, as
 * real servers send it.
 *
 * @since 0.1.0
 * @category models
 */
export interface MessageDelta {
  readonly id: string
  readonly object: "thread.message.delta"
  readonly delta: {
    readonly content: ReadonlyArray<{
      readonly index: number
      readonly type: "text"
      readonly text: { readonly value: string; readonly annotations?: ReadonlyArray<unknown> }
    }>
  }
}

/**
 * A piece of a tool call being written (`thread.run.step.delta`): the first piece of a call carries its `id`,
 * `name` and empty `arguments`, the next ones pieces of `arguments`.
 *
 * @since 0.1.0
 * @category models
 */
export interface RunStepDelta {
  readonly id: string
  readonly object: "thread.run.step.delta"
  readonly delta: {
    readonly step_details: {
      readonly type: "tool_calls"
      readonly tool_calls: ReadonlyArray<{
        readonly index: number
        readonly id?: string
        readonly type: "function"
        readonly function: { readonly name?: string; readonly arguments: string; readonly output?: null }
      }>
    }
  }
}

/**
 * A page of a list endpoint; `first_id` and `last_id` are `null` on an empty page.
 *
 * @since 0.1.0
 * @category models
 */
export interface List<A> {
  readonly object: "list"
  readonly data: ReadonlyArray<A>
  readonly first_id: string | null
  readonly last_id: string | null
  readonly has_more: boolean
}

/**
 * The body of every error response.
 *
 * @since 0.1.0
 * @category models
 */
export interface ErrorBody {
  readonly error: {
    readonly message: string
    readonly type: string
    readonly param: string | null
    readonly code: string | null
  }
}
