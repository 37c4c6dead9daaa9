import type * as Lifecycle from "../Lifecycle.js"
import type * as Script from "../Script.js"
import type * as Wire from "../Wire.js"
import * as Ids from "./ids.js"
import * as Objects from "./objects.js"
import * as RunEvents from "./runEvents.js"
import type { RunRecord } from "./store.js"

const terminal: ReadonlySet<Wire.RunStatus> = new Set(["cancelled", "failed", "completed", "incomplete", "expired"])

/**
 * Whether a run has ended; a thread takes a new run only when all its runs have.
 *
 * @internal
 */
export const isTerminal = (status: Wire.RunStatus): boolean => terminal.has(status)

/**
 * Replaces fields of a run; a new status restarts the clock of the status and is reported.
 *
 * @internal
 */
export const update = (record: RunRecord, at: number, patch: Partial<Wire.Run>): void => {
  const moved = patch.status !== undefined && patch.status !== record.run.status
  record.run = { ...record.run, ...patch }
  if (!moved) return
  record.since = at
  record.emit(RunEvents.run(record.run))
}

const currentStep = (record: RunRecord): Wire.RunStep | undefined =>
  record.steps.find((step) => step.id === record.stepId)

const closeStep = (record: RunRecord, patch: Partial<Wire.RunStep>): void => {
  const index = record.steps.findIndex((step) => step.id === record.stepId)
  record.stepId = null
  if (index < 0) return
  const closed = { ...record.steps[index]!, ...patch }
  record.steps[index] = closed
  record.emit(RunEvents.step(closed))
}

const completeStep = (record: RunRecord, at: number, usage: Wire.Usage, patch: Partial<Wire.RunStep> = {}) =>
  closeStep(record, { status: "completed", completed_at: Objects.seconds(at), usage, ...patch })

const tokens = (text: string): number => Math.max(1, Math.ceil(text.length / 4))

const functionCalls = (item: Script.FunctionCall | Script.FunctionCalls) =>
  item.type === "function_call" ? [item] : item.calls

const encodeArguments = (args: Script.FunctionCall["arguments"]): string =>
  args === undefined ? "{}" : typeof args === "string" ? args : JSON.stringify(args)

const stepDetails = (item: Script.Item | undefined): Wire.StepDetails | undefined => {
  switch (item?.type) {
    case "message":
    case "incomplete":
      return { type: "message_creation", message_creation: { message_id: Ids.make("msg") } }
    case "function_call":
    case "function_calls":
      return {
        type: "tool_calls",
        tool_calls: functionCalls(item).map((call) => ({
          id: Ids.make("call"),
          type: "function",
          function: { name: call.name, arguments: encodeArguments(call.arguments), output: null }
        }))
      }
    default:
      return undefined
  }
}

/** Starts the current script item: its step, if it makes one, is created `in_progress`. */
const begin = (record: RunRecord, at: number): Wire.RunStep | undefined => {
  record.since = at
  const details = stepDetails(record.script[record.cursor])
  if (details === undefined) return undefined
  const step = Objects.step(record.run, details, at)
  record.steps.push(step)
  record.stepId = step.id
  record.emit(...RunEvents.stepStarted(step))
  return step
}

const ensureBegun = (record: RunRecord, at: number): Wire.RunStep | undefined =>
  record.stepId === null ? begin(record, at) : currentStep(record)

const writeMessage = (
  record: RunRecord,
  at: number,
  step: Wire.RunStep | undefined,
  text: string,
  status: "completed" | "incomplete"
): void => {
  if (step?.step_details.type !== "message_creation") return
  const message = Objects.message({
    id: step.step_details.message_creation.message_id,
    thread_id: record.run.thread_id,
    role: "assistant",
    content: [Objects.textContent(text)],
    assistant_id: record.run.assistant_id,
    run_id: record.run.id,
    status
  }, at)
  record.thread.messages.push(message)
  record.emit(...RunEvents.messageWritten(message))
}

const requiredAction = (step: Wire.RunStep | undefined): Wire.RequiredAction => ({
  type: "submit_tool_outputs",
  submit_tool_outputs: {
    tool_calls: step?.step_details.type === "tool_calls"
      ? step.step_details.tool_calls.map(({ function: { arguments: args, name }, id, type }) => ({
        id,
        type,
        function: { name, arguments: args }
      }))
      : []
  }
})

const endedSteps = {
  cancelled: (at: number): Partial<Wire.RunStep> => ({ status: "cancelled", cancelled_at: Objects.seconds(at) }),
  failed: (at: number): Partial<Wire.RunStep> => ({ status: "failed", failed_at: Objects.seconds(at) }),
  expired: (_: number): Partial<Wire.RunStep> => ({ status: "expired" })
}

/**
 * Ends a run: a step still running ends as `stepEnd` says, and the run gets its usage. Its steps keep their
 * `expires_at` until then (streams show it on `thread.run.step.completed`); reads afterwards show `null`.
 */
const finish = (record: RunRecord, at: number, patch: Partial<Wire.Run>, stepEnd?: keyof typeof endedSteps) => {
  if (record.stepId !== null && stepEnd !== undefined) closeStep(record, endedSteps[stepEnd](at))
  record.steps.forEach((step, index) => {
    record.steps[index] = { ...step, expires_at: null }
  })
  update(record, at, { expires_at: null, required_action: null, usage: Objects.totalUsage(record.steps), ...patch })
}

const complete = (record: RunRecord, at: number) =>
  finish(record, at, { status: "completed", completed_at: Objects.seconds(at) })

/** `in_progress`: the current script item produces its outcome. */
const proceed = (record: RunRecord, at: number): void => {
  const item = record.script[record.cursor]
  const step = ensureBegun(record, at)
  switch (item?.type) {
    case undefined:
      return complete(record, at)
    case "message": {
      const text = typeof item.text === "string" ? item.text : item.text({ messages: record.thread.messages.slice() })
      writeMessage(record, at, step, text, "completed")
      completeStep(record, at, Objects.usage(120, tokens(text)))
      record.cursor++
      if (record.cursor < record.script.length) begin(record, at)
      else complete(record, at)
      return
    }
    case "function_call":
    case "function_calls": {
      if (step !== undefined) record.emit(...RunEvents.toolCallDeltas(step))
      return update(record, at, { status: "requires_action", required_action: requiredAction(step) })
    }
    case "fail": {
      record.cursor++
      return finish(record, at, {
        status: "failed",
        failed_at: Objects.seconds(at),
        last_error: { code: item.code ?? "server_error", message: item.message ?? "Sorry, something went wrong." }
      }, "failed")
    }
    case "incomplete": {
      const text = item.text ?? "Sorry, I ran out of"
      writeMessage(record, at, step, text, "incomplete")
      completeStep(record, at, Objects.usage(120, tokens(text)))
      record.cursor++
      return finish(record, at, {
        status: "incomplete",
        completed_at: Objects.seconds(at),
        incomplete_details: { reason: item.reason ?? "max_completion_tokens" }
      })
    }
  }
}

/**
 * Moves a run one status on, if its status moves by itself; returns whether it moved.
 *
 * @internal
 */
export const transition = (record: RunRecord, at: number): boolean => {
  switch (record.run.status) {
    case "queued": {
      update(record, at, { status: "in_progress", started_at: Objects.seconds(at) })
      begin(record, at)
      return true
    }
    case "in_progress": {
      proceed(record, at)
      return true
    }
    case "cancelling": {
      finish(record, at, { status: "cancelled", cancelled_at: Objects.seconds(at) }, "cancelled")
      return true
    }
    default:
      return false
  }
}

/**
 * `cancelRun`: the run goes `cancelling`, and `cancelled` on its next transition.
 *
 * @internal
 */
export const cancel = (record: RunRecord, at: number): void =>
  update(record, at, { status: "cancelling", required_action: null })

/**
 * `submitToolOutputs`: the waiting `tool_calls` step completes with the outputs and the run is `queued` again.
 *
 * @internal
 */
export const submit = (record: RunRecord, at: number, outputs: ReadonlyMap<string, string>): void => {
  const step = currentStep(record)
  if (step?.step_details.type === "tool_calls") {
    const calls = step.step_details.tool_calls
    completeStep(record, at, Objects.usage(100, 10 * calls.length), {
      step_details: {
        type: "tool_calls",
        tool_calls: calls.map((call) => ({
          ...call,
          function: { ...call.function, output: outputs.get(call.id) ?? "" }
        }))
      }
    })
    record.cursor++
  }
  update(record, at, { status: "queued", required_action: null })
}

/**
 * What a streaming request does with a run: `act` (e.g. submit), then the run plays on until it stops by
 * itself (`requires_action`, or an end), whatever the lifecycle mode; gives every event on the way.
 *
 * @internal
 */
export const play = (record: RunRecord, act: (at: number) => void = () => {}): Array<RunEvents.RunEvent> => {
  const events: Array<RunEvents.RunEvent> = []
  record.emit = (...happened) => {
    events.push(...happened)
  }
  try {
    const at = Date.now()
    act(at)
    while (transition(record, at));
  } finally {
    record.emit = RunEvents.ignore
  }
  return events
}

const isFunctionCall = (item: Script.Item) => item.type === "function_call" || item.type === "function_calls"

/**
 * Makes a run set to `requires_action` without a `required_action` consistent: its script jumps to its first
 * function call, whose `tool_calls` step is created.
 *
 * @internal
 */
export const reconcile = (record: RunRecord, at: number): void => {
  if (record.run.status !== "requires_action" || record.run.required_action !== null) return
  const index = record.script.findIndex(isFunctionCall)
  if (index < 0) {
    throw new Error(
      `Run ${record.run.id} is requires_action, but has no required_action and its assistant's script has no ` +
        `function call: pass a required_action or seed the assistant with a function_call script item.`
    )
  }
  record.cursor = index
  record.stepId = null
  record.run = { ...record.run, required_action: requiredAction(begin(record, at)) }
}

/**
 * How runs move, per the emulator's lifecycle mode.
 *
 * @internal
 */
export interface Engine {
  /** Brings a run up to date: expiry and, in `time` mode, the wall clock. */
  readonly settle: (record: RunRecord) => void
  /** A read of a run: settles it, then advances it in `perRequest` mode. */
  readonly observe: (record: RunRecord) => void
  /** Forces up to `transitions` transitions, whatever the mode. */
  readonly advance: (record: RunRecord, transitions: number) => void
}

const advanceBy = (record: RunRecord, transitions: number, at: number): void => {
  let moved = 0
  while (moved < transitions && transition(record, at)) moved++
}

const expireIfDue = (record: RunRecord, now: number): void => {
  const { expires_at, status } = record.run
  if (!isTerminal(status) && expires_at !== null && Objects.seconds(now) >= expires_at) {
    finish(record, now, { status: "expired", expires_at }, "expired")
  }
}

const wallClock = (durations: NonNullable<Lifecycle.Time["durations"]>) => {
  const of: Partial<Record<Wire.RunStatus, number>> = {
    queued: durations.queuedMs ?? 500,
    in_progress: durations.inProgressMs ?? 1000,
    cancelling: durations.cancellingMs ?? 500
  }
  return (record: RunRecord, now: number): void => {
    for (;;) {
      const duration = of[record.run.status]
      if (duration === undefined || record.since + duration > now) return
      transition(record, record.since + duration)
    }
  }
}

/** @internal */
export const make = (lifecycle: Lifecycle.Lifecycle): Engine => {
  const catchUp = lifecycle.mode === "time" ? wallClock(lifecycle.durations ?? {}) : undefined
  const stepsPerPoll = lifecycle.mode === "perRequest" ? lifecycle.stepsPerPoll ?? 1 : 0
  const settle = (record: RunRecord): void => {
    const now = Date.now()
    expireIfDue(record, now)
    catchUp?.(record, now)
  }
  return {
    settle,
    observe: (record) => {
      settle(record)
      advanceBy(record, stepsPerPoll, Date.now())
    },
    advance: (record, transitions) => advanceBy(record, transitions, Date.now())
  }
}
