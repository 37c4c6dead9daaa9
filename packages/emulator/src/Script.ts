/**
 * What an assistant does when a run executes: a list of items played in order, one per run step.
 *
 * @example
 * ```ts
 * import type { Script } from "@effect-openai/runs-emulator"
 *
 * const script: Script.Script = [
 *   { type: "function_call", name: "get_weather", arguments: { city: "Paris" } },
 *   { type: "message", text: "It is sunny." }
 * ]
 * ```
 *
 * @since 0.1.0
 */
import type * as Wire from "./Wire.js"

/**
 * What a reply can depend on: the thread's messages when the reply is written, oldest first (the last user message
 * among them is the one to answer).
 *
 * @since 0.2.0
 * @category models
 */
export interface ReplyContext {
  readonly messages: ReadonlyArray<Wire.Message>
}

/**
 * The assistant writes a message: a `message_creation` step, then the next item (or `completed`). `text` is fixed,
 * or a function of the thread, for an assistant whose answers follow the conversation.
 *
 * @since 0.1.0
 * @category models
 * @example
 * ```ts
 * import type { Script } from "@effect-openai/runs-emulator"
 *
 * const echo: Script.Message = {
 *   type: "message",
 *   text: ({ messages }) => `You said ${messages.filter((message) => message.role === "user").length} things.`
 * }
 * ```
 */
export interface Message {
  readonly type: "message"
  readonly text: string | ((context: ReplyContext) => string)
}

/**
 * One function call: a `tool_calls` step, and the run waits in `requires_action` for its output.
 *
 * @since 0.1.0
 * @category models
 */
export interface FunctionCall {
  readonly type: "function_call"
  readonly name: string
  /** An object is sent JSON-encoded; a string is sent as is. Defaults to `{}`. */
  readonly arguments?: Readonly<Record<string, unknown>> | string
}

/**
 * Several function calls in one `tool_calls` step (parallel tool calls).
 *
 * @since 0.1.0
 * @category models
 */
export interface FunctionCalls {
  readonly type: "function_calls"
  readonly calls: ReadonlyArray<Omit<FunctionCall, "type">>
}

/**
 * The run fails with `last_error`.
 *
 * @since 0.1.0
 * @category models
 */
export interface Fail {
  readonly type: "fail"
  /** Defaults to `"server_error"`. */
  readonly code?: "server_error" | "rate_limit_exceeded" | "invalid_prompt"
  /** Defaults to `"Sorry, something went wrong."`. */
  readonly message?: string
}

/**
 * The assistant writes a message cut short, and the run ends `incomplete` with `incomplete_details`.
 *
 * @since 0.1.0
 * @category models
 */
export interface Incomplete {
  readonly type: "incomplete"
  /** Defaults to `"max_completion_tokens"`. */
  readonly reason?: "max_completion_tokens" | "max_prompt_tokens"
  readonly text?: string
}

/**
 * @since 0.1.0
 * @category models
 */
export type Item = Message | FunctionCall | FunctionCalls | Fail | Incomplete

/**
 * @since 0.1.0
 * @category models
 */
export type Script = ReadonlyArray<Item>

/**
 * The script of an assistant seeded without one: a single reply, so runs complete.
 *
 * @example
 * ```ts
 * import { type Emulator, Script } from "@effect-openai/runs-emulator"
 *
 * const seed = (emulator: Emulator.Handle) => {
 *   // an assistant that says hello, then one that calls a function first
 *   emulator.seedAssistant({ script: Script.defaultScript })
 *   emulator.seedAssistant({
 *     script: [{ type: "function_call", name: "get_weather", arguments: { city: "Paris" } }, ...Script.defaultScript]
 *   })
 * }
 * ```
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultScript: Script = [{ type: "message", text: "Hello! How can I help you today?" }]
