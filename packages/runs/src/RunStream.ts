/**
 * Helpers over a run's event stream: its final run, its text as it arrives, its tool calls.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import * as Event from "./AssistantStreamEvent.js"
import * as Run from "./Run.js"
import * as RunsError from "./RunsError.js"

/**
 * Whether a run event ends its stream's part of the run: a terminal status, or `requires_action` (the stream stops
 * there until the tool outputs are submitted).
 */
const settles = (run: Run.Run) => Run.isTerminal(run.status) || Run.requiresAction(run.status)

/**
 * The run as the stream left it: the last run event whose status is terminal or `requires_action`. Fails with
 * {@link RunsError.StreamEndedError} when the stream ended without one (a cut connection, a server that stopped
 * early).
 *
 * @example
 * ```ts
 * import { RunsService, RunStream } from "@effect-openai/runs"
 * import { Console, Effect } from "effect"
 *
 * const program = Effect.gen(function*() {
 *   const runs = yield* RunsService.RunsService
 *   const run = yield* RunStream.finalRun(runs.createRunStream("thread_abc123", { assistant_id: "asst_abc123" }))
 *   yield* Console.log(run.status, run.usage?.total_tokens)
 * })
 * ```
 *
 * @since 0.1.0
 * @category consumers
 */
export const finalRun = <E, R>(
  stream: Stream.Stream<Event.AssistantStreamEvent, E, R>
): Effect.Effect<Run.Run, E | RunsError.StreamEndedError, R> =>
  Effect.flatMap(
    Stream.runFold(stream, { run: Option.none<Run.Run>(), last: null as string | null }, (state, event) => ({
      run: Event.isRunEvent(event) && settles(event.data) ? Option.some(event.data) : state.run,
      last: event.event
    })),
    ({ last, run }) =>
      Option.match(run, {
        onSome: Effect.succeed,
        onNone: () =>
          new RunsError.StreamEndedError({
            message: last === null
              ? "The stream ended before any event"
              : `The stream ended after "${last}" without a run that completed or requires action`,
            lastEvent: last
          })
      })
  )

/**
 * The assistant's text as it streams: the `value` of every text piece of every `thread.message.delta`.
 *
 * @example
 * ```ts
 * import { RunsService, RunStream } from "@effect-openai/runs"
 * import { Effect, Stream } from "effect"
 *
 * // print the assistant's text as it streams
 * const program = Effect.flatMap(RunsService.RunsService, (runs) =>
 *   RunStream.textDeltas(runs.createRunStream("thread_abc123", { assistant_id: "asst_abc123" })).pipe(
 *     Stream.runForEach((text) => Effect.sync(() => process.stdout.write(text)))
 *   ))
 * ```
 *
 * @since 0.1.0
 * @category consumers
 */
export const textDeltas = <E, R>(
  stream: Stream.Stream<Event.AssistantStreamEvent, E, R>
): Stream.Stream<string, E, R> =>
  Stream.mapConcat(stream, (event) =>
    event.event === "thread.message.delta"
      ? (event as Extract<Event.KnownEvent, { event: "thread.message.delta" }>).data.delta.content?.flatMap((part) =>
        part.type === "text" && part.text?.value !== undefined && part.text.value !== "" ? [part.text.value] : []
      ) ?? []
      : [])

/**
 * A function call the run waits on, with the run it belongs to.
 *
 * @since 0.1.0
 * @category models
 */
export interface ToolCall {
  readonly runId: string
  readonly threadId: string
  readonly call: Run.RunToolCall
}

/**
 * The complete tool calls of the stream, with their ids and the run id: those of each `thread.run.requires_action`
 * event (whole, unlike the pieces of `thread.run.step.delta` events, where only the first piece has the id).
 *
 * @example
 * ```ts
 * import { RunsService, RunStream } from "@effect-openai/runs"
 * import { Console, Effect, Stream } from "effect"
 *
 * const program = Effect.flatMap(RunsService.RunsService, (runs) =>
 *   RunStream.toolCalls(runs.createRunStream("thread_abc123", { assistant_id: "asst_abc123" })).pipe(
 *     Stream.runForEach((call) => Console.log(call))
 *   ))
 * ```
 *
 * @since 0.1.0
 * @category consumers
 */
export const toolCalls = <E, R>(
  stream: Stream.Stream<Event.AssistantStreamEvent, E, R>
): Stream.Stream<ToolCall, E, R> =>
  Stream.mapConcat(stream, (event) =>
    event.event === "thread.run.requires_action" && Event.isRunEvent(event)
      ? (event.data.required_action?.submit_tool_outputs.tool_calls ?? []).map((call) => ({
        runId: event.data.id,
        threadId: event.data.thread_id,
        call
      }))
      : [])
