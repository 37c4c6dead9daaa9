/**
 * Typed function tools for `RunsService.runTools`: a Schema for each tool's arguments and an Effect handler.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import type { AssistantStreamEvent } from "./AssistantStreamEvent.js"
import type { PollOptions } from "./internal/poll.js"
import type * as Run from "./Run.js"
import type { ToolOutput } from "./RunRequest.js"

/**
 * A function tool: how its arguments decode, and what answers a call.
 *
 * @since 0.1.0
 * @category models
 */
export interface Tool<A, I, E, R> {
  readonly parameters: Schema.Schema<A, I>
  readonly handler: (args: A) => Effect.Effect<string | object, E, R>
}

/**
 * Tools by function name.
 *
 * @since 0.1.0
 * @category models
 */
export type Tools = Readonly<Record<string, Tool<any, any, any, any>>>

/**
 * The services the handlers of `tools` need: they flow into the result of `runTools`.
 *
 * @since 0.1.0
 * @category models
 */
export type Context<T extends Tools> = {
  [K in keyof T]: T[K] extends Tool<any, any, any, infer R> ? R : never
}[keyof T]

/**
 * A tool, with its argument type inferred from the Schema.
 *
 * @since 0.1.0
 * @category constructors
 * @example
 * import { Effect, Schema } from "effect"
 * import { RunTools } from "@effect-openai/runs"
 *
 * const getWeather = RunTools.make(Schema.Struct({ city: Schema.String }), ({ city }) =>
 *   Effect.succeed({ city, forecast: "sunny" }))
 */
export const make = <A, I, E, R>(
  parameters: Schema.Schema<A, I>,
  handler: (args: A) => Effect.Effect<string | object, E, R>
): Tool<A, I, E, R> => ({ parameters, handler })

/**
 * A tool call that could not be answered: an unknown function, arguments that do not decode, or a handler that
 * failed. With `onToolError: "fail"`, `runTools` fails with it; by default it becomes the call's output instead.
 *
 * @since 0.1.0
 * @category errors
 */
export class ToolCallError extends Schema.TaggedError<ToolCallError>()("ToolCallError", {
  message: Schema.String,
  toolName: Schema.String,
  toolCallId: Schema.String,
  reason: Schema.Literal("UnknownTool", "InvalidArguments", "HandlerFailed"),
  cause: Schema.optional(Schema.Unknown)
}) {}

/**
 * How `runTools` proceeds:
 * - `mode`: `"poll"` (default) polls between rounds, `"stream"` streams every round;
 * - `concurrency`: how many handlers run at once (default 8);
 * - `onToolError`: `"report"` (default) answers a call that failed with `{"error": "..."}` so the model can react,
 *   `"fail"` stops with the {@link ToolCallError};
 * - `onEvent`: observes every event (streamed, or the run's status changes when polling);
 * - `poll`: the polling options in `"poll"` mode.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options<R = never> {
  readonly mode?: "poll" | "stream" | undefined
  readonly concurrency?: number | undefined
  readonly onToolError?: "report" | "fail" | undefined
  readonly onEvent?: ((event: AssistantStreamEvent) => Effect.Effect<void, never, R>) | undefined
  readonly poll?: PollOptions | undefined
}

const outputText = (value: string | object): string => typeof value === "string" ? value : JSON.stringify(value)

const describeCause = (cause: unknown): string =>
  ParseResult.isParseError(cause)
    ? ParseResult.TreeFormatter.formatErrorSync(cause)
    : cause instanceof Error
    ? cause.message
    : typeof cause === "object" && cause !== null && "message" in cause && typeof cause.message === "string"
    ? cause.message
    : String(cause)

/**
 * Answers one call with its tool: decodes the JSON arguments with the tool's Schema and runs the handler.
 *
 * @since 0.1.0
 * @category running
 */
export const call = <T extends Tools>(
  tools: T,
  toolCall: Run.RunToolCall
): Effect.Effect<ToolOutput, ToolCallError, Context<T>> => {
  const name = toolCall.function.name
  const failed = (reason: ToolCallError["reason"], cause: unknown) =>
    new ToolCallError({
      message: `${name} (${toolCall.id}): ${describeCause(cause)}`,
      toolName: name,
      toolCallId: toolCall.id,
      reason,
      cause
    })
  const tool = Object.hasOwn(tools, name) ? tools[name] : undefined
  if (tool === undefined) return Effect.fail(failed("UnknownTool", `no tool is named ${JSON.stringify(name)}`))
  return Effect.try({ try: () => JSON.parse(toolCall.function.arguments) as unknown, catch: (e) => e }).pipe(
    Effect.flatMap(Schema.decodeUnknown(tool.parameters)),
    Effect.mapError((cause) => failed("InvalidArguments", cause)),
    Effect.flatMap((args) => Effect.mapError(tool.handler(args), (cause) => failed("HandlerFailed", cause))),
    Effect.map((output) => ({ tool_call_id: toolCall.id, output: outputText(output) }))
  )
}

/**
 * Answers every call, `concurrency` at a time; a call that fails is answered with its error, or fails the whole
 * round, as `onToolError` says.
 *
 * @since 0.1.0
 * @category running
 */
export const callAll = <T extends Tools>(
  tools: T,
  toolCalls: ReadonlyArray<Run.RunToolCall>,
  options: { readonly concurrency?: number | undefined; readonly onToolError?: "report" | "fail" | undefined }
): Effect.Effect<Array<ToolOutput>, ToolCallError, Context<T>> =>
  Effect.forEach(
    toolCalls,
    (toolCall) =>
      options.onToolError === "fail"
        ? call(tools, toolCall)
        : Effect.catchAll(
          call(tools, toolCall),
          (error) => Effect.succeed({ tool_call_id: toolCall.id, output: JSON.stringify({ error: error.message }) })
        ),
    { concurrency: options.concurrency ?? 8 }
  )
