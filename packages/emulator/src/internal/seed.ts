import { defaultScript } from "../Script.js"
import type { SeedAssistantOptions } from "../Seed.js"
import type * as Wire from "../Wire.js"
import * as Engine from "./engine.js"
import * as Objects from "./objects.js"
import * as Store from "./store.js"

/** @internal */
export const assistant = (store: Store.Store, options: SeedAssistantOptions): Store.AssistantRecord =>
  Store.addAssistant(store, {
    assistant: Objects.assistant(options, Date.now()),
    script: options.script ?? defaultScript
  })

/** @internal */
export const thread = (
  store: Store.Store,
  options: Parameters<typeof Objects.thread>[0]
): Store.ThreadRecord => Store.addThread(store, Objects.thread(options, Date.now()))

/** The timestamps and details a run in `status` has on the real API, where the caller gave none. */
const statusFields = (status: Wire.RunStatus | undefined, at: number): Partial<Wire.Run> => {
  const now = Objects.seconds(at)
  switch (status) {
    case undefined:
    case "queued":
      return {}
    case "in_progress":
    case "requires_action":
    case "cancelling":
      return { started_at: now }
    case "completed":
      return { started_at: now, completed_at: now, expires_at: null, usage: Objects.usage(120, 10) }
    case "incomplete":
      return {
        started_at: now,
        completed_at: now,
        expires_at: null,
        incomplete_details: { reason: "max_completion_tokens" },
        usage: Objects.usage(120, 10)
      }
    case "failed":
      return {
        started_at: now,
        failed_at: now,
        expires_at: null,
        last_error: { code: "server_error", message: "Sorry, something went wrong." },
        usage: Objects.usage(0, 0)
      }
    case "cancelled":
      return { cancelled_at: now, expires_at: null }
    case "expired":
      return { expires_at: now }
  }
}

/**
 * A run stored as given over realistic defaults; its thread and assistant are created when missing.
 *
 * @internal
 */
export const run = (store: Store.Store, fields: Partial<Wire.Run>): Store.RunRecord => {
  const at = Date.now()
  const { assistant_id, thread_id } = fields
  const owner = (assistant_id === undefined ? undefined : store.assistants.get(assistant_id)) ??
    assistant(store, assistant_id === undefined ? {} : { id: assistant_id })
  const home = (thread_id === undefined ? undefined : store.threads.get(thread_id)) ??
    thread(store, { id: thread_id })
  const created = Objects.run({ thread_id: home.thread.id, assistant: owner.assistant, overrides: {} }, at)
  const record = Store.addRun(home, { ...created, ...statusFields(fields.status, at), ...fields }, owner.script, at)
  Engine.reconcile(record, at)
  return record
}

/**
 * A step stored with its run, in creation order; throws if the run is not stored.
 *
 * @internal
 */
export const step = (store: Store.Store, step: Wire.RunStep): Wire.RunStep => {
  const record = Store.findRun(store, step.thread_id, step.run_id)
  if (record === undefined) throw new Error(`No run ${step.run_id} in thread ${step.thread_id} to add a step to`)
  const at = record.steps.findIndex((stored) => stored.created_at > step.created_at)
  record.steps.splice(at === -1 ? record.steps.length : at, 0, step)
  return step
}
