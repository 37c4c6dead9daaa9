/**
 * The events of a streamed run (`stream: true`), as a Schema-decoded union: each is `{ event, data }` as the wire
 * has them, `event` the SSE event name and `data` its decoded object. An event name this library does not know is
 * passed through as an {@link UnknownEvent}, never a failure.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import { Message, MessageDelta, RunStepDelta } from "./Message.js"
import { Run } from "./Run.js"
import { RunStep } from "./RunStep.js"
import { Thread } from "./Thread.js"

/**
 * The data schema of every known event, by event name.
 *
 * @since 0.1.0
 * @category schemas
 */
export const dataSchemas = {
  "thread.created": Thread,
  "thread.run.created": Run,
  "thread.run.queued": Run,
  "thread.run.in_progress": Run,
  "thread.run.requires_action": Run,
  "thread.run.completed": Run,
  "thread.run.incomplete": Run,
  "thread.run.failed": Run,
  "thread.run.cancelling": Run,
  "thread.run.cancelled": Run,
  "thread.run.expired": Run,
  "thread.run.step.created": RunStep,
  "thread.run.step.in_progress": RunStep,
  "thread.run.step.delta": RunStepDelta,
  "thread.run.step.completed": RunStep,
  "thread.run.step.failed": RunStep,
  "thread.run.step.cancelled": RunStep,
  "thread.run.step.expired": RunStep,
  "thread.message.created": Message,
  "thread.message.in_progress": Message,
  "thread.message.delta": MessageDelta,
  "thread.message.completed": Message,
  "thread.message.incomplete": Message
} as const

/**
 * The name of an event this library decodes.
 *
 * @since 0.1.0
 * @category models
 */
export type KnownEventName = keyof typeof dataSchemas

/**
 * Whether an event name is one this library decodes.
 *
 * @example
 * ```ts
 * import { AssistantStreamEvent } from "@effect-openai/runs"
 *
 * AssistantStreamEvent.isKnownEventName("thread.run.completed") // true
 * AssistantStreamEvent.isKnownEventName("thread.run.teleported") // false
 * ```
 *
 * @since 0.1.0
 * @category guards
 */
export const isKnownEventName = (name: string): name is KnownEventName => Object.hasOwn(dataSchemas, name)

/**
 * An event of a known name, with its decoded data.
 *
 * @since 0.1.0
 * @category models
 */
export type KnownEvent = {
  readonly [K in KnownEventName]: { readonly event: K; readonly data: Schema.Schema.Type<(typeof dataSchemas)[K]> }
}[KnownEventName]

/**
 * An event whose name this library does not know, with its data as parsed JSON.
 *
 * @since 0.1.0
 * @category models
 */
export interface UnknownEvent {
  readonly event: string & {}
  readonly data: unknown
}

/**
 * Any event of a run's stream.
 *
 * @since 0.1.0
 * @category models
 */
export type AssistantStreamEvent = KnownEvent | UnknownEvent

/**
 * A run event (`thread.run.*`), whose data is a Run.
 *
 * @example
 * ```ts
 * import { AssistantStreamEvent } from "@effect-openai/runs"
 *
 * const show = (event: AssistantStreamEvent.AssistantStreamEvent) => {
 *   if (AssistantStreamEvent.isRunEvent(event)) console.log(event.data.id, event.data.status)
 * }
 * ```
 *
 * @since 0.1.0
 * @category guards
 */
export const isRunEvent = (
  event: AssistantStreamEvent
): event is Extract<KnownEvent, { readonly data: Run }> => event.data instanceof Run

/**
 * The schema of one known event.
 *
 * @since 0.1.0
 * @category schemas
 */
export const KnownEvent = Schema.Union(
  ...Object.entries(dataSchemas).map(([name, data]) =>
    Schema.Struct({ event: Schema.Literal(name), data: data as Schema.Schema<any, any> })
  )
)

/**
 * The schema of any event: known ones decode their data, others keep it as JSON.
 *
 * @since 0.1.0
 * @category schemas
 */
export const AssistantStreamEvent = Schema.Union(
  KnownEvent,
  Schema.Struct({
    event: Schema.String.pipe(Schema.filter((name) => !isKnownEventName(name), { identifier: "UnknownEventName" })),
    data: Schema.Unknown
  })
)
