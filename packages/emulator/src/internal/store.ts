import * as Effect from "effect/Effect"
import type * as Script from "../Script.js"
import type * as Wire from "../Wire.js"
import * as Errors from "./errors.js"
import * as Objects from "./objects.js"
import * as RunEvents from "./runEvents.js"
import type * as Validate from "./validate.js"

/** @internal */
export interface AssistantRecord {
  readonly assistant: Wire.Assistant
  readonly script: Script.Script
}

/**
 * A thread, its messages (oldest first) and its runs. The wire objects are replaced, never mutated.
 *
 * @internal
 */
export interface ThreadRecord {
  thread: Wire.Thread
  readonly messages: Array<Wire.Message>
  readonly runs: Array<RunRecord>
}

/**
 * A run and where it stands in its assistant's script. The wire objects are replaced, never mutated, so a
 * value handed out stays as it was.
 *
 * @internal
 */
export interface RunRecord {
  run: Wire.Run
  readonly thread: ThreadRecord
  readonly script: Script.Script
  /** The index of the script item running or next to run. */
  cursor: number
  /** The step of the script item running, if it has one. */
  stepId: string | null
  /** When the run entered its status (ms). */
  since: number
  readonly steps: Array<Wire.RunStep>
  /** Told what happens to the run; ignored unless a streaming request is playing it. */
  emit: RunEvents.Emit
}

/** @internal */
export interface Store {
  readonly assistants: Map<string, AssistantRecord>
  readonly threads: Map<string, ThreadRecord>
}

/** @internal */
export const make = (): Store => ({ assistants: new Map(), threads: new Map() })

const lookup = <A>(map: ReadonlyMap<string, A>, kind: "assistant" | "thread", id: string) => {
  const found = map.get(id)
  return found === undefined ? Effect.fail(Errors.notFound(kind, id)) : Effect.succeed(found)
}

/** @internal */
export const assistant = (store: Store, id: string): Effect.Effect<AssistantRecord, Errors.ApiError> =>
  lookup(store.assistants, "assistant", id)

/** @internal */
export const thread = (store: Store, id: string): Effect.Effect<ThreadRecord, Errors.ApiError> =>
  lookup(store.threads, "thread", id)

/** @internal */
export const message = (thread: ThreadRecord, id: string): Effect.Effect<Wire.Message, Errors.ApiError> => {
  const found = thread.messages.find((candidate) => candidate.id === id)
  return found === undefined ? Effect.fail(Errors.notFound("message", id)) : Effect.succeed(found)
}

/**
 * Adds a new message, created at `at`, to a thread; gives it back.
 *
 * @internal
 */
export const addMessage = (thread: ThreadRecord, message: Validate.NewMessage, at: number): Wire.Message => {
  const created = Objects.message({ thread_id: thread.thread.id, ...message }, at)
  thread.messages.push(created)
  return created
}

/**
 * Replaces a stored message (same id) by a new version of it.
 *
 * @internal
 */
export const replaceMessage = (thread: ThreadRecord, message: Wire.Message): void => {
  const index = thread.messages.findIndex((candidate) => candidate.id === message.id)
  if (index >= 0) thread.messages[index] = message
}

/** @internal */
export const removeMessage = (thread: ThreadRecord, id: string): void => {
  const index = thread.messages.findIndex((candidate) => candidate.id === id)
  if (index >= 0) thread.messages.splice(index, 1)
}

/** @internal */
export const findRun = (store: Store, threadId: string, runId: string): RunRecord | undefined =>
  store.threads.get(threadId)?.runs.find((record) => record.run.id === runId)

/** @internal */
export const run = (store: Store, threadId: string, runId: string): Effect.Effect<RunRecord, Errors.ApiError> =>
  Effect.flatMap(thread(store, threadId), (found) => {
    const record = found.runs.find((candidate) => candidate.run.id === runId)
    return record === undefined ? Effect.fail(Errors.notFound("run", runId)) : Effect.succeed(record)
  })

/** @internal */
export const addAssistant = (store: Store, record: AssistantRecord): AssistantRecord => {
  store.assistants.set(record.assistant.id, record)
  return record
}

/** @internal */
export const addThread = (store: Store, thread: Wire.Thread): ThreadRecord => {
  const record: ThreadRecord = { thread, messages: [], runs: [] }
  store.threads.set(thread.id, record)
  return record
}

/**
 * Forgets a thread, with its messages and runs.
 *
 * @internal
 */
export const removeThread = (store: Store, id: string): void => {
  store.threads.delete(id)
}

/** @internal */
export const addRun = (thread: ThreadRecord, run: Wire.Run, script: Script.Script, at: number): RunRecord => {
  const record: RunRecord = {
    run,
    thread,
    script,
    cursor: 0,
    stepId: null,
    since: at,
    steps: [],
    emit: RunEvents.ignore
  }
  thread.runs.push(record)
  return record
}

/** @internal */
export const allRuns = (store: Store): ReadonlyArray<RunRecord> =>
  Array.from(store.threads.values()).flatMap((thread) => thread.runs)
