import * as Effect from "effect/Effect"
import type { Headers } from "../Fault.js"
import * as Ids from "./ids.js"

/**
 * What the server does with a request: answer it (at once, in paced pieces, or cut short), or drop the
 * connection.
 *
 * @internal
 */
export type Reply = Send | Reset

/**
 * A piece of a body, written after a pause.
 *
 * @internal
 */
export interface Write {
  readonly chunk: Buffer
  readonly delayMs: number
}

/**
 * After the last write: finish the answer, close the connection (FIN), or reset it (RST).
 *
 * @internal
 */
export type Ending = "end" | "close" | "reset"

/** @internal */
export interface Send {
  readonly _tag: "Send"
  readonly status: number
  readonly headers: Headers
  /** The `content-length` of the whole body, or `undefined` for a chunked one (event streams). */
  readonly length: number | undefined
  readonly writes: ReadonlyArray<Write>
  readonly ending: Ending
}

/** @internal */
export interface Reset {
  readonly _tag: "Reset"
}

/**
 * A complete answer; `content-type` is `application/json` unless `headers` say otherwise.
 *
 * @internal
 */
export const send = (status: number, body: string, headers: Headers = {}): Send => {
  const chunk = Buffer.from(body)
  return {
    _tag: "Send",
    status,
    headers: { "content-type": "application/json", ...headers },
    length: chunk.length,
    writes: [{ chunk, delayMs: 0 }],
    ending: "end"
  }
}

/**
 * A JSON answer, pretty-printed as the real API prints it.
 *
 * @internal
 */
export const json = (status: number, value: unknown, headers: Headers = {}): Send =>
  send(status, JSON.stringify(value, null, 2), headers)

/** @internal */
export const reset: Reset = { _tag: "Reset" }

const concat = (writes: ReadonlyArray<Write>): Buffer => Buffer.concat(writes.map((write) => write.chunk))

const split = (chunk: Buffer, size: number): Array<Buffer> => {
  const parts: Array<Buffer> = []
  for (let start = 0; start < chunk.length; start += size) parts.push(chunk.subarray(start, start + size))
  return parts
}

/**
 * Every write cut into pieces of at most `bytes` (a multi-byte character may be split); writes without a pause
 * between them are joined first, so a piece may hold the end of one and the start of the next.
 *
 * @internal
 */
export const rechunk = (reply: Send, bytes: number): Send => {
  const groups: Array<Array<Write>> = []
  for (const write of reply.writes) {
    const last = groups[groups.length - 1]
    if (last === undefined || write.delayMs > 0) groups.push([write])
    else last.push(write)
  }
  return {
    ...reply,
    writes: groups.flatMap((group) =>
      split(concat(group), bytes).map((chunk, index) => ({ chunk, delayMs: index === 0 ? group[0]!.delayMs : 0 }))
    )
  }
}

/**
 * The body written `bytes` at a time, `intervalMs` apart.
 *
 * @internal
 */
export const drip = (reply: Send, bytes: number, intervalMs: number): Send => ({
  ...reply,
  writes: split(concat(reply.writes), bytes).map((chunk, index) => ({ chunk, delayMs: index === 0 ? 0 : intervalMs }))
})

/** @internal */
export const bodyLength = (reply: Send): number => reply.writes.reduce((total, write) => total + write.chunk.length, 0)

/**
 * Only the first `bytes` of the body are written, then the connection ends as `ending` says; the headers (and
 * `content-length`) still announce the whole body.
 *
 * @internal
 */
export const cut = (reply: Send, bytes: number, ending: Ending): Send => {
  const writes: Array<Write> = []
  let left = bytes
  for (const write of reply.writes) {
    if (left <= 0) break
    writes.push({ ...write, chunk: write.chunk.subarray(0, left) })
    left -= write.chunk.length
  }
  return { ...reply, writes, ending }
}

/**
 * The headers sent with a reply: its own, over an `x-request-id` and (for a whole body) the `content-length`; an
 * array sends a header once per value.
 *
 * @internal
 */
export const headersOf = (reply: Send): Record<string, string | Array<string>> => ({
  "x-request-id": Ids.requestId(),
  ...(reply.length === undefined ? {} : { "content-length": String(reply.length) }),
  ...Object.fromEntries(
    Object.entries(reply.headers).map(([name, value]) => [name, typeof value === "string" ? value : [...value]])
  )
})

/**
 * Where a body is written: a socket, or a body read in the same process.
 *
 * @internal
 */
export interface Sink {
  readonly write: (chunk: Buffer) => Effect.Effect<void>
  /** After the last write. */
  readonly end: (ending: Ending) => Effect.Effect<void>
  /** Succeeds when the client goes away before the body is finished, unless `ending()` says the emulator is ending it. */
  readonly closedEarly: (ending: () => boolean) => Effect.Effect<void>
}

const isEventStream = (reply: Send): boolean => String(reply.headers["content-type"]).startsWith("text/event-stream")

/**
 * Writes the body of a reply, each write after its pause, then ends it; stops when the client goes away midway, and
 * tells `onStreamClosed` if that was an event stream.
 *
 * @internal
 */
export const deliver = (reply: Send, sink: Sink, onStreamClosed: () => void): Effect.Effect<void> => {
  let ending = false
  const body = Effect.zipRight(
    Effect.forEach(
      reply.writes,
      (write) =>
        write.delayMs > 0
          ? Effect.zipRight(Effect.sleep(write.delayMs), sink.write(write.chunk))
          : sink.write(write.chunk),
      { discard: true }
    ),
    Effect.suspend(() => {
      ending = true
      return sink.end(reply.ending)
    })
  )
  const closed = sink.closedEarly(() => ending)
  // First, so that a client gone before the head is seen before any write.
  return Effect.raceFirst(isEventStream(reply) ? Effect.tap(closed, onStreamClosed) : closed, body)
}
