import type { SeedAssistantOptions } from "../Seed.js"
import type * as Wire from "../Wire.js"
import * as Ids from "./ids.js"

/**
 * Unix seconds, the unit of every timestamp on the wire.
 *
 * @internal
 */
export const seconds = (ms: number): number => Math.floor(ms / 1000)

/**
 * How long a run may wait before it expires, as on the real API.
 *
 * @internal
 */
export const runLifetimeSeconds = 600

/** @internal */
export type AssistantFields = Omit<SeedAssistantOptions, "script">

/** @internal */
export const assistant = (fields: AssistantFields, at: number): Wire.Assistant => ({
  id: fields.id ?? Ids.make("asst"),
  object: "assistant",
  created_at: seconds(at),
  name: fields.name ?? null,
  description: fields.description ?? null,
  model: fields.model ?? "gpt-4o",
  instructions: fields.instructions === undefined ? "You are a helpful assistant." : fields.instructions,
  tools: fields.tools ?? [],
  tool_resources: {},
  metadata: fields.metadata ?? {},
  temperature: 1,
  top_p: 1,
  reasoning_effort: null,
  response_format: "auto"
})

/** @internal */
export const thread = (
  fields: {
    readonly id?: string | undefined
    readonly metadata?: Wire.Metadata | undefined
    readonly tool_resources?: Wire.ThreadToolResources | undefined
  },
  at: number
): Wire.Thread => ({
  id: fields.id ?? Ids.make("thread"),
  object: "thread",
  created_at: seconds(at),
  metadata: fields.metadata ?? {},
  tool_resources: fields.tool_resources ?? {}
})

/** @internal */
export const textContent = (text: string): Wire.MessageText => ({
  type: "text",
  text: { value: text, annotations: [] }
})

/**
 * A message with every field of a real one: `completed_at`, or `incomplete_at` with `incomplete_details`, by
 * its status.
 *
 * @internal
 */
export const message = (
  fields: {
    readonly id?: string
    readonly thread_id: string
    readonly role: Wire.Message["role"]
    readonly content: ReadonlyArray<Wire.MessageContent>
    readonly attachments?: ReadonlyArray<Wire.Attachment> | undefined
    readonly metadata?: Wire.Metadata | undefined
    readonly assistant_id?: string
    readonly run_id?: string
    readonly status?: "completed" | "incomplete"
  },
  at: number
): Wire.Message => {
  const incomplete = fields.status === "incomplete"
  return {
    id: fields.id ?? Ids.make("msg"),
    object: "thread.message",
    created_at: seconds(at),
    assistant_id: fields.assistant_id ?? null,
    thread_id: fields.thread_id,
    run_id: fields.run_id ?? null,
    status: fields.status ?? "completed",
    incomplete_details: incomplete ? { reason: "max_tokens" } : null,
    incomplete_at: incomplete ? seconds(at) : null,
    completed_at: incomplete ? null : seconds(at),
    role: fields.role,
    content: fields.content,
    attachments: fields.attachments ?? [],
    metadata: fields.metadata ?? {}
  }
}

/**
 * The text of a message: its text parts' values, joined.
 *
 * @internal
 */
export const messageText = (message: Wire.Message): string =>
  message.content.map((part) => part.type === "text" ? part.text.value : "").join("")

/**
 * The run fields a request may set; `undefined` takes the assistant's value or the default.
 *
 * @internal
 */
export type RunOverrides = {
  readonly [K in OverrideKey]?: Wire.Run[K] | undefined
}

type OverrideKey =
  | "model"
  | "instructions"
  | "tools"
  | "metadata"
  | "temperature"
  | "top_p"
  | "reasoning_effort"
  | "max_prompt_tokens"
  | "max_completion_tokens"
  | "truncation_strategy"
  | "tool_choice"
  | "parallel_tool_calls"
  | "response_format"

/**
 * A new `queued` run of `assistant` on a thread, with every field of a real RunObject.
 *
 * @internal
 */
export const run = (
  fields: {
    readonly thread_id: string
    readonly assistant: Wire.Assistant
    readonly overrides: RunOverrides
    readonly additional_instructions?: string | undefined
  },
  at: number
): Wire.Run => {
  const { assistant, overrides } = fields
  const instructions = overrides.instructions ?? assistant.instructions
  return {
    id: Ids.make("run"),
    object: "thread.run",
    created_at: seconds(at),
    assistant_id: assistant.id,
    thread_id: fields.thread_id,
    status: "queued",
    started_at: null,
    expires_at: seconds(at) + runLifetimeSeconds,
    cancelled_at: null,
    failed_at: null,
    completed_at: null,
    required_action: null,
    last_error: null,
    model: overrides.model ?? assistant.model,
    instructions: fields.additional_instructions === undefined
      ? instructions
      : [instructions, fields.additional_instructions].filter((part) => part !== null).join("\n"),
    tools: overrides.tools ?? assistant.tools,
    tool_resources: {},
    metadata: overrides.metadata ?? {},
    temperature: overrides.temperature ?? assistant.temperature,
    top_p: overrides.top_p ?? assistant.top_p,
    reasoning_effort: overrides.reasoning_effort ?? assistant.reasoning_effort,
    max_completion_tokens: overrides.max_completion_tokens ?? null,
    max_prompt_tokens: overrides.max_prompt_tokens ?? null,
    truncation_strategy: overrides.truncation_strategy ?? { type: "auto", last_messages: null },
    incomplete_details: null,
    usage: null,
    response_format: overrides.response_format ?? assistant.response_format,
    tool_choice: overrides.tool_choice ?? "auto",
    parallel_tool_calls: overrides.parallel_tool_calls ?? true
  }
}

/**
 * A new `in_progress` step of a run.
 *
 * @internal
 */
export const step = (run: Wire.Run, details: Wire.StepDetails, at: number): Wire.RunStep => ({
  id: Ids.make("step"),
  object: "thread.run.step",
  created_at: seconds(at),
  run_id: run.id,
  assistant_id: run.assistant_id,
  thread_id: run.thread_id,
  type: details.type,
  status: "in_progress",
  cancelled_at: null,
  completed_at: null,
  expires_at: run.expires_at,
  failed_at: null,
  last_error: null,
  step_details: details,
  usage: null
})

/** @internal */
export const usage = (prompt: number, completion: number): Wire.Usage => ({
  prompt_tokens: prompt,
  completion_tokens: completion,
  total_tokens: prompt + completion,
  prompt_token_details: { cached_tokens: 0 },
  completion_tokens_details: { reasoning_tokens: 0 }
})

/**
 * The usage of a run: the sum over its steps.
 *
 * @internal
 */
export const totalUsage = (steps: ReadonlyArray<Wire.RunStep>): Wire.Usage =>
  steps.reduce(
    (total, step) =>
      step.usage === null
        ? total
        : usage(total.prompt_tokens + step.usage.prompt_tokens, total.completion_tokens + step.usage.completion_tokens),
    usage(0, 0)
  )
