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
 * After the last write: finish the answer, close the connection (FIN), reset it (RST), or hang (keep the connection
 * open and silent until the client leaves or the emulator closes).
 *
 * @internal
 */
export type Ending = "end" | "close" | "reset" | "hang"

/** @internal */
export interface Send {
  readonly _tag: "Send"
  readonly status: number
  readonly headers: Headers
  /** The `content-length` of the whole body, or `undefined` for a chunked one (event streams). */
  readonly length: number | undefined
  /**
   * The writes of the body: an array, or a lazy iterable (a generated body, made as it is written, never held whole;
   * the helpers that reshape a body, `rechunk`, `drip` and `cut`, take arrays only).
   */
  readonly writes: ReadonlyArray<Write> | Iterable<Write>
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

const concat = (writes: Iterable<Write>): Buffer => Buffer.concat(Array.from(writes, (write) => write.chunk))

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
export const bodyLength = (reply: Send): number => {
  let total = 0
  for (const write of reply.writes) total += write.chunk.length
  return total
}

/**
 * Only the first `bytes` of the body are written, then the connection ends as `ending` says; the headers (and
 * `content-length`) still announce the whole body.
 *
 * @internal
 */
export const cut = (reply: Send, bytes: number, ending: Exclude<Ending, "hang">): Send => {
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
  // One write at a time, taken from the iterable only when due: a generated body is never held whole.
  const writes = Effect.gen(function*() {
    for (const write of reply.writes) {
      if (write.delayMs > 0) yield* Effect.sleep(write.delayMs)
      yield* sink.write(write.chunk)
    }
  })
  const body = Effect.zipRight(
    writes,
    Effect.suspend(() => {
      // A hanging answer waits for the client to leave, which is then a client closing early.
      if (reply.ending === "hang") return Effect.never
      ending = true
      return sink.end(reply.ending)
    })
  )
  const closed = sink.closedEarly(() => ending)
  // First, so that a client gone before the head is seen before any write.
  return Effect.raceFirst(isEventStream(reply) ? Effect.tap(closed, onStreamClosed) : closed, body)
}

/**
 * Whether a body is written in one piece and then ended, so that its headers may wait for it.
 *
 * @internal
 */
export const isWhole = (reply: Send): boolean =>
  Array.isArray(reply.writes) && reply.writes.length === 1 && reply.ending === "end"

/**
 * A body made as it is written: `head`, `repeat` `count` times (`Infinity`: until the client leaves), then `tail`.
 *
 * @internal
 */
export interface Generation {
  readonly head: string
  readonly repeat: string
  readonly count: number
  readonly tail: string
  /** About how many bytes each write holds (whole repeats, at least one). */
  readonly chunkBytes: number
  /** The pause before each write but the first. */
  readonly intervalMs: number
}

/**
 * The length of a generated body, when it is finite.
 *
 * @internal
 */
export const generatedLength = (body: Generation): number | undefined =>
  Number.isFinite(body.count)
    ? Buffer.byteLength(body.head) + body.count * Buffer.byteLength(body.repeat) + Buffer.byteLength(body.tail)
    : undefined

/**
 * The writes of a generated body, made one at a time: at most one write's worth of it is ever held, and a repeated
 * piece is one buffer written again and again.
 *
 * @internal
 */
export const generate = (body: Generation): Iterable<Write> => ({
  *[Symbol.iterator]() {
    let first = true
    const write = (chunk: Buffer): Write => {
      const delayMs = first ? 0 : body.intervalMs
      first = false
      return { chunk, delayMs }
    }
    if (body.head !== "") yield write(Buffer.from(body.head))
    const unit = Buffer.from(body.repeat)
    if (unit.length > 0 && body.count > 0) {
      const perWrite = Math.max(1, Math.floor(body.chunkBytes / unit.length))
      const full = Buffer.alloc(perWrite * unit.length, unit)
      let left = body.count
      while (left >= perWrite) {
        yield write(full)
        left -= perWrite
      }
      if (left > 0) yield write(full.subarray(0, left * unit.length))
    }
    if (body.tail !== "") yield write(Buffer.from(body.tail))
  }
})
