import * as Effect from "effect/Effect"
import type { IncomingHttpHeaders } from "node:http"
import type * as Fault from "../Fault.js"
import * as Errors from "./errors.js"
import * as Reply from "./reply.js"

/**
 * A queue of faults; a request takes the first one due for it.
 *
 * @internal
 */
export interface FaultQueue<F extends Fault.Target> {
  readonly enqueue: (fault: F) => void
  /** Counts the request for every fault it matches, and gives the first one due, if any. */
  readonly take: (method: string, path: string) => F | undefined
  readonly clear: () => void
  readonly size: () => number
}

interface Entry<F> {
  readonly fault: F
  /** Matching requests seen since it was queued. */
  seen: number
  /** Times it fired. */
  fired: number
}

const matches = (fault: Fault.Target, method: string, path: string): boolean => {
  if (fault.method !== undefined && fault.method.toUpperCase() !== method) return false
  if (fault.path === undefined) return true
  fault.path.lastIndex = 0
  return fault.path.test(path)
}

const checkCount = (name: string, value: number | undefined): void => {
  if (value !== undefined && !(value >= 1)) throw new Error(`A fault's ${name} must be at least 1, got ${value}.`)
}

/** @internal */
export const make = <F extends Fault.Target>(): FaultQueue<F> => {
  const queue: Array<Entry<F>> = []
  return {
    enqueue: (fault) => {
      checkCount("nth", fault.nth)
      checkCount("times", fault.times)
      queue.push({ fault, seen: 0, fired: 0 })
    },
    take: (method, path) => {
      let due: Entry<F> | undefined
      for (const entry of queue) {
        if (!matches(entry.fault, method, path)) continue
        entry.seen++
        if (due === undefined && entry.seen >= (entry.fault.nth ?? 1)) due = entry
      }
      if (due === undefined) return undefined
      due.fired++
      if (due.fired >= (due.fault.times ?? 1)) queue.splice(queue.indexOf(due), 1)
      return due.fault
    },
    clear: () => {
      queue.length = 0
    },
    size: () => queue.length
  }
}

const lowerCaseKeys = (headers: Fault.Headers): Fault.Headers =>
  Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]))

const encode = (body: unknown): string => typeof body === "string" ? body : JSON.stringify(body)

/** The request headers a fault echoes, under the answer's header names. */
const echoed = (echo: Readonly<Record<string, string>> | undefined, request: IncomingHttpHeaders): Fault.Headers => {
  const headers: Record<string, string | ReadonlyArray<string>> = {}
  for (const [name, from] of Object.entries(echo ?? {})) {
    const value = request[from.toLowerCase()]
    if (value !== undefined) headers[name.toLowerCase()] = value
  }
  return headers
}

/**
 * The fault's own answer when it has a `status`, else the normal one with its `headers` and `body` over it. A status
 * without a body answers as the real API does: its error body, and for 429 and 503 its retry advice under the
 * fault's headers.
 */
const answer = (
  fault: Fault.Respond | Fault.ResetMidBody | Fault.SlowDrip | Fault.Truncated,
  normal: Effect.Effect<Reply.Send>,
  request: IncomingHttpHeaders
): Effect.Effect<Reply.Send> => {
  const headers = {
    ...lowerCaseKeys(fault.headers ?? {}),
    ...(fault.kind === undefined || fault.kind === "respond" ? echoed(fault.echo, request) : {})
  }
  if (fault.status !== undefined) {
    if (fault.body !== undefined) return Effect.succeed(Reply.send(fault.status, encode(fault.body), headers))
    const real = Errors.forStatus(fault.status)
    return Effect.succeed(
      real === undefined
        ? Reply.send(fault.status, "", headers)
        : Reply.json(fault.status, { error: real.error }, { ...real.headers, ...headers })
    )
  }
  return Effect.map(normal, (reply) =>
    fault.body === undefined
      ? { ...reply, headers: { ...reply.headers, ...headers } }
      : Reply.send(reply.status, encode(fault.body), { ...reply.headers, ...headers }))
}

/** How the answer is written: at once, or cut short, or slowly, as the fault's kind says. */
const shape = (fault: Fault.Fault) => (reply: Reply.Send): Reply.Send => {
  switch (fault.kind) {
    case "resetMidBody":
      return Reply.cut(reply, fault.afterBytes ?? Math.floor(Reply.bodyLength(reply) / 2), "reset")
    case "slowDrip":
      return Reply.drip(reply, fault.bytes ?? 16, fault.intervalMs ?? 50)
    case "truncated":
      return Reply.cut(reply, Math.floor(Reply.bodyLength(reply) / 2), "close")
    default:
      return reply
  }
}

/** The answer of a generated body: made as it is written. */
const generated = (fault: Fault.Generated): Reply.Send => {
  const body: Reply.Generation = {
    head: fault.head ?? "",
    repeat: fault.repeat,
    count: fault.count,
    tail: fault.tail ?? "",
    chunkBytes: fault.chunkBytes ?? 64 * 1024,
    intervalMs: fault.intervalMs ?? 0
  }
  const announced = fault.contentLength ?? true
  return {
    _tag: "Send",
    status: fault.status ?? 200,
    headers: { "content-type": "application/json", ...lowerCaseKeys(fault.headers ?? {}) },
    length: announced === true ? Reply.generatedLength(body) : announced === false ? undefined : announced,
    writes: Reply.generate(body),
    ending: fault.ending ?? "end"
  }
}

const replyOf = (
  fault: Fault.Fault,
  normal: Effect.Effect<Reply.Send>,
  request: IncomingHttpHeaders
): Effect.Effect<Reply.Reply> => {
  switch (fault.kind) {
    case "reset":
      return Effect.succeed(Reply.reset)
    case "generated":
      return Effect.sync(() => generated(fault))
    default:
      return Effect.map(answer(fault, normal, request), shape(fault))
  }
}

/**
 * What a fault does with a request, after its delay; `normal` is the normal answer, computed only when the fault
 * uses it; `request` holds the headers a fault may echo.
 *
 * @internal
 */
export const reply = (
  fault: Fault.Fault,
  normal: Effect.Effect<Reply.Send>,
  request: IncomingHttpHeaders
): Effect.Effect<Reply.Reply> => Effect.zipRight(Effect.sleep(fault.delayMs ?? 0), replyOf(fault, normal, request))
