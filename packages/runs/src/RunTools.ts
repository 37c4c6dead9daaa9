/**
 * The tool loop: typed function tools (a Schema for each tool's arguments and an Effect handler), and `run`, which
 * creates a run and answers its function calls until it ends, over the public operations of `RunsService`.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import * as Event from "./AssistantStreamEvent.js"
import type * as OpenAiClient from "./OpenAiClient.js"
import type { PollError, PollOptions } from "./Polling.js"
import * as Run from "./Run.js"
import type { CreateRunRequest, ToolOutput } from "./RunRequest.js"
import type * as RunsError from "./RunsError.js"
import { RunsService } from "./RunsService.js"
import * as RunStream from "./RunStream.js"

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
 * ```ts
 * import { Effect, Schema } from "effect"
 * import { RunTools } from "@effect-openai/runs"
 *
 * const getWeather = RunTools.make(Schema.Struct({ city: Schema.String }), ({ city }) =>
 *   Effect.succeed({ city, forecast: "sunny" }))
 * ```
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
 * How {@link run} proceeds:
 * - `mode`: `"poll"` (default) polls between rounds, `"stream"` streams every round;
 * - `concurrency`: how many handlers run at once (default 8);
 * - `onToolError`: `"report"` (default) answers a call that failed with `{"error": "..."}` so the model can react,
 *   `"fail"` stops with the {@link ToolCallError};
 * - `onRun`: observes the run each time its status changes, in either mode;
 * - `onEvent`: observes every streamed event (`"stream"` mode);
 * - `poll`: the polling options in `"poll"` mode.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options<R = never> {
  readonly mode?: "poll" | "stream" | undefined
  readonly concurrency?: number | undefined
  readonly onToolError?: "report" | "fail" | undefined
  readonly onRun?: ((run: Run.Run) => Effect.Effect<void, never, R>) | undefined
  readonly onEvent?: ((event: Event.AssistantStreamEvent) => Effect.Effect<void, never, R>) | undefined
  readonly poll?: PollOptions | undefined
}

/**
 * A failure of {@link run}.
 *
 * @since 0.2.0
 * @category models
 */
export type RunToolsError =
  | OpenAiClient.StreamError
  | PollError
  | RunsError.StreamEndedError
  | ToolCallError

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
 * @example
 * ```ts
 * import { type Run, RunTools } from "@effect-openai/runs"
 * import { Effect, Schema } from "effect"
 *
 * const tools = {
 *   get_weather: RunTools.make(
 *     Schema.Struct({ city: Schema.String }),
 *     ({ city }) => Effect.succeed({ city, celsius: 21 })
 *   )
 * }
 *
 * // { tool_call_id, output }: the handler's answer, or the error it failed with
 * const answer = (toolCall: Run.RunToolCall) => RunTools.call(tools, toolCall)
 * ```
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
 * @example
 * ```ts
 * import { type Run, RunTools } from "@effect-openai/runs"
 * import { Effect, Schema } from "effect"
 *
 * const tools = {
 *   get_weather: RunTools.make(
 *     Schema.Struct({ city: Schema.String }),
 *     ({ city }) => Effect.succeed({ city, celsius: 21 })
 *   )
 * }
 *
 * const answerAll = (run: Run.Run) =>
 *   RunTools.callAll(tools, run.required_action?.submit_tool_outputs.tool_calls ?? [], {
 *     concurrency: 4,
 *     onToolError: "report"
 *   })
 * ```
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

const settled = (run: Run.Run) => !Run.isPending(run.status)

/**
 * Creates a run and answers its function calls with `tools` until it ends: each time the run requires action, the
 * arguments are decoded with each tool's Schema, the handlers run (concurrently), and the outputs are submitted.
 * Gives the final Run. It uses only the public operations of {@link RunsService}; the handlers' requirements flow
 * into the result.
 *
 * @since 0.2.0
 * @category running
 * @example
 * ```ts
 * import { Effect, Schema } from "effect"
 * import { RunTools } from "@effect-openai/runs"
 *
 * const tools = {
 *   get_weather: RunTools.make(Schema.Struct({ city: Schema.String }), ({ city }) =>
 *     Effect.succeed({ city, forecast: "sunny" }))
 * }
 * const finished = RunTools.run("thread_abc123", { assistant_id: "asst_abc123" }, tools)
 * ```
 */
export const run = <T extends Tools, R = never>(
  threadId: string,
  params: CreateRunRequest,
  tools: T,
  options: Options<R> = {}
): Effect.Effect<Run.Run, RunToolsError, RunsService | Context<T> | R> =>
  Effect.gen(function*() {
    const runs = yield* RunsService
    const onEvent = options.onEvent
    let seen: Run.Run | undefined
    /** `onRun` for each run whose status differs from the last one seen. */
    const observeRun = (current: Run.Run): Effect.Effect<void, never, R> => {
      if (options.onRun === undefined || (seen?.id === current.id && seen.status === current.status)) {
        return Effect.void
      }
      seen = current
      return options.onRun(current)
    }
    /** The run a streamed round settles on (`requires_action` or terminal), observed as the options ask. */
    const settle = (
      events: Stream.Stream<Event.AssistantStreamEvent, OpenAiClient.StreamError>
    ): Effect.Effect<Run.Run, RunToolsError, R> =>
      RunStream.finalRun(
        Stream.tap(events, (event) =>
          Effect.zipRight(
            onEvent === undefined ? Effect.void : onEvent(event),
            Event.isRunEvent(event) ? observeRun(event.data) : Effect.void
          ))
      )
    /** Polls from the run a create or submit answered until it settles, observing each status change. */
    const pollFrom = (first: Run.Run): Effect.Effect<Run.Run, RunToolsError, R> =>
      Stream.concat(Stream.make(first), runs.watchRun(first.thread_id, first.id, options.poll)).pipe(
        Stream.tap(observeRun),
        Stream.takeUntil(settled),
        Stream.runLast,
        Effect.map((last) => last._tag === "Some" ? last.value : first)
      )
    const start = options.mode === "stream"
      ? settle(runs.createRunStream(threadId, params))
      : Effect.flatMap(runs.createRun(threadId, params), pollFrom)
    const answer = (current: Run.Run, tool_outputs: Array<ToolOutput>) =>
      options.mode === "stream"
        ? settle(runs.submitToolOutputsStream(current.thread_id, current.id, { tool_outputs }))
        : Effect.flatMap(runs.submitToolOutputsToRun(current.thread_id, current.id, { tool_outputs }), pollFrom)
    const loop = (current: Run.Run): Effect.Effect<Run.Run, RunToolsError, Context<T> | R> =>
      current.status === "requires_action" && current.required_action !== null
        ? callAll(tools, current.required_action.submit_tool_outputs.tool_calls, options).pipe(
          Effect.flatMap((outputs) => answer(current, outputs)),
          Effect.flatMap(loop)
        )
        : Effect.succeed(current)
    return yield* Effect.flatMap(start, loop)
  }).pipe(Effect.withSpan("RunTools.run", { attributes: { "openai.thread_id": threadId } }))
