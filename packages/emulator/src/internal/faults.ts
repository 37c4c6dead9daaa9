import { Effect } from "effect"
import type * as Fault from "../Fault.js"
import * as Reply from "./reply.js"

/**
 * The queue of one-shot faults; the first one matching a request is taken off and applied to it.
 *
 * @internal
 */
export interface FaultQueue {
  readonly enqueue: (fault: Fault.Fault) => void
  readonly take: (method: string, path: string) => Fault.Fault | undefined
  readonly clear: () => void
  readonly size: () => number
}

const matches = (fault: Fault.Fault, method: string, path: string): boolean => {
  if (fault.method !== undefined && fault.method.toUpperCase() !== method) return false
  if (fault.path === undefined) return true
  fault.path.lastIndex = 0
  return fault.path.test(path)
}

/** @internal */
export const make = (): FaultQueue => {
  const queue: Array<Fault.Fault> = []
  return {
    enqueue: (fault) => {
      queue.push(fault)
    },
    take: (method, path) => {
      const index = queue.findIndex((fault) => matches(fault, method, path))
      return index < 0 ? undefined : queue.splice(index, 1)[0]
    },
    clear: () => {
      queue.length = 0
    },
    size: () => queue.length
  }
}

const lowerCaseKeys = (headers: Readonly<Record<string, string>>): Record<string, string> =>
  Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]))

const encode = (body: unknown): string =>
  body === undefined ? "" : typeof body === "string" ? body : JSON.stringify(body)

/**
 * What a fault does, after its delay.
 *
 * @internal
 */
export const reply = (fault: Fault.Fault): Effect.Effect<Reply.Reply> =>
  Effect.as(
    Effect.sleep(fault.delayMs ?? 0),
    fault.kind === "reset"
      ? Reply.reset
      : Reply.send(fault.status, encode(fault.body), lowerCaseKeys(fault.headers ?? {}))
  )
