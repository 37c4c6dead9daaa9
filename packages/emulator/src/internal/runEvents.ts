import type * as Wire from "../Wire.js"
import * as Objects from "./objects.js"

/**
 * Something that happened to a run, as a streaming answer tells it: the event's name and the object it carries.
 *
 * @internal
 */
export interface RunEvent {
  readonly event: string
  readonly data: unknown
}

/**
 * Where the engine reports what happens to a run; a streaming request listens while it plays the run.
 *
 * @internal
 */
export type Emit = (...events: Array<RunEvent>) => void

/** @internal */
export const ignore: Emit = () => {}

/** @internal */
export const threadCreated = (thread: Wire.Thread): RunEvent => ({ event: "thread.created", data: thread })

/** @internal */
export const runCreated = (run: Wire.Run): RunEvent => ({ event: "thread.run.created", data: run })

/**
 * A run entering its status: `thread.run.queued`, `thread.run.requires_action`, `thread.run.completed`, ...
 *
 * @internal
 */
export const run = (run: Wire.Run): RunEvent => ({ event: `thread.run.${run.status}`, data: run })

/**
 * A step ending: `thread.run.step.completed`, `thread.run.step.failed`, ...
 *
 * @internal
 */
export const step = (step: Wire.RunStep): RunEvent => ({ event: `thread.run.step.${step.status}`, data: step })

/**
 * A new step: `created`, then `in_progress`. A `tool_calls` step shows no calls yet: they follow as deltas.
 *
 * @internal
 */
export const stepStarted = (step: Wire.RunStep): Array<RunEvent> => {
  const shown = step.step_details.type === "tool_calls"
    ? { ...step, step_details: { type: "tool_calls", tool_calls: [] } }
    : step
  return [{ event: "thread.run.step.created", data: shown }, { event: "thread.run.step.in_progress", data: shown }]
}

/**
 * Text cut where a model's tokens would fall: words with their leading space, punctuation apart. The pieces join
 * back into the text.
 *
 * @internal
 */
export const pieces = (text: string): Array<string> => text.match(/\s*[^\s,.!?;:]+|\s*[,.!?;:]|\s+$/g) ?? []

const stepDelta = (
  step: Wire.RunStep,
  call: Wire.RunStepDelta["delta"]["step_details"]["tool_calls"][number]
): RunEvent => {
  const data: Wire.RunStepDelta = {
    id: step.id,
    object: "thread.run.step.delta",
    delta: { step_details: { type: "tool_calls", tool_calls: [call] } }
  }
  return { event: "thread.run.step.delta", data }
}

/**
 * The calls of a `tool_calls` step as they are written: per call, its id and name, then its arguments in pieces.
 *
 * @internal
 */
export const toolCallDeltas = (step: Wire.RunStep): Array<RunEvent> =>
  step.step_details.type === "tool_calls"
    ? step.step_details.tool_calls.flatMap(({ function: { arguments: args, name }, id, type }, index) => [
      stepDelta(step, { index, id, type, function: { name, arguments: "", output: null } }),
      ...pieces(args).map((piece) => stepDelta(step, { index, type, function: { arguments: piece } }))
    ])
    : []

const messageDelta = (message: Wire.Message, value: string, first: boolean): RunEvent => {
  const data: Wire.MessageDelta = {
    id: message.id,
    object: "thread.message.delta",
    delta: { content: [{ index: 0, type: "text", text: first ? { value, annotations: [] } : { value } }] }
  }
  return { event: "thread.message.delta", data }
}

/**
 * A message being written: `created` and `in_progress` (empty), its text in deltas, then `completed` or
 * `incomplete`.
 *
 * @internal
 */
export const messageWritten = (message: Wire.Message): Array<RunEvent> => {
  const started: Wire.Message = {
    ...message,
    status: "in_progress",
    incomplete_details: null,
    incomplete_at: null,
    completed_at: null,
    content: []
  }
  const text = Objects.messageText(message)
  return [
    { event: "thread.message.created", data: started },
    { event: "thread.message.in_progress", data: started },
    ...pieces(text).map((piece, index) => messageDelta(message, piece, index === 0)),
    { event: `thread.message.${message.status}`, data: message }
  ]
}
