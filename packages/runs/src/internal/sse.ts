/**
 * An incremental parser of server-sent events (the WHATWG event stream format), fed text in chunks of any size.
 *
 * Written here because `@effect/experimental`'s `Sse` parser drops a final event that has no trailing blank line,
 * and loses the event name when a CRLF line ending is split between two chunks (tested in `test/sse.test.ts`).
 *
 * Each character is looked at once, whatever the chunking: a line split over many chunks is kept as pieces and
 * joined once, when it ends. The size of one event is bounded (`maxEventBytes`), so that a server sending a line
 * or an event that never ends cannot exhaust memory.
 *
 * @internal
 */
import * as Either from "effect/Either"

/**
 * One dispatched event.
 *
 * @internal
 */
export interface SseEvent {
  /** The `event:` field, `"message"` when absent. */
  readonly event: string
  /** The `data:` lines joined with `\n`. */
  readonly data: string
  /** The last `id:` seen, if any. */
  readonly id: string | undefined
}

/**
 * The default bound on one event's size: 10 MiB, as `@effect/experimental`'s parser.
 *
 * @internal
 */
export const defaultMaxEventBytes = 10 * 1024 * 1024

/**
 * How a parser bounds what it holds.
 *
 * @internal
 */
export interface SseOptions {
  /**
   * The most bytes (UTF-8) one event may take: its `data:` lines so far, each counted whole with its field name,
   * plus the line being read (any line counts while it is read, a comment too). Line endings are not counted.
   * Default {@link defaultMaxEventBytes}.
   */
  readonly maxEventBytes?: number | undefined
}

/**
 * An event (or a line) grew past `maxEventBytes`. `events` are the events completed before it in the same chunk, to
 * deliver before failing. The parser is done: later chunks give the same overflow, without events.
 *
 * @internal
 */
export interface SseOverflow {
  readonly _tag: "SseOverflow"
  readonly limitBytes: number
  readonly events: ReadonlyArray<SseEvent>
}

/**
 * The parser's state, to feed chunks into and end.
 *
 * @internal
 */
export interface SseParser {
  /** Parses a chunk of text: the events it completed, or the overflow that stopped the parser. */
  readonly feed: (chunk: string) => Either.Either<Array<SseEvent>, SseOverflow>
  /** The end of the input: an event still pending (no trailing blank line) is dispatched. */
  readonly end: () => Array<SseEvent>
}

const byteLength = (text: string): number => text.length === 0 ? 0 : Buffer.byteLength(text, "utf8")

/**
 * A fresh parser.
 *
 * @internal
 */
export const makeParser = (options: SseOptions = {}): SseParser => {
  const limit = options.maxEventBytes ?? defaultMaxEventBytes
  /** The pieces of the line being read, when it spans chunks. */
  let pieces: Array<string> = []
  let pendingBytes = 0
  let started = false
  let skipLineFeed = false
  let eventName: string | undefined
  let dataLines: Array<string> = []
  /** The bytes of the current event's data lines, each counted whole. */
  let dataBytes = 0
  let lastId: string | undefined
  let overflowed = false

  const overflow = (events: ReadonlyArray<SseEvent>): Either.Either<Array<SseEvent>, SseOverflow> => {
    overflowed = true
    pieces = []
    dataLines = []
    return Either.left({ _tag: "SseOverflow", limitBytes: limit, events })
  }

  const dispatch = (out: Array<SseEvent>) => {
    if (dataLines.length > 0) {
      out.push({
        event: eventName ?? "message",
        data: dataLines.length === 1 ? dataLines[0]! : dataLines.join("\n"),
        id: lastId
      })
    }
    dataLines = []
    dataBytes = 0
    eventName = undefined
  }

  /** Handles one complete line of `bytes` bytes; `false` when it takes the event past the limit. */
  const line = (text: string, bytes: number, out: Array<SseEvent>): boolean => {
    if (text === "") {
      dispatch(out)
      return true
    }
    if (dataBytes + bytes > limit) return false
    if (text.charCodeAt(0) === 58) return true // ":", a comment
    const colon = text.indexOf(":")
    const field = colon === -1 ? text : text.slice(0, colon)
    let value = colon === -1 ? "" : text.slice(colon + 1)
    if (value.charCodeAt(0) === 32) value = value.slice(1)
    switch (field) {
      case "event":
        eventName = value
        break
      case "data":
        dataLines.push(value)
        dataBytes += bytes
        break
      case "id":
        if (!value.includes("\u0000")) lastId = value
        break
    }
    return true
  }

  const feed = (chunk: string): Either.Either<Array<SseEvent>, SseOverflow> => {
    if (overflowed) return Either.left({ _tag: "SseOverflow", limitBytes: limit, events: [] })
    // An empty chunk changes nothing: above all, not a CR at the end of the previous one waiting for its LF.
    const out: Array<SseEvent> = []
    const text = chunk
    const length = text.length
    let start = 0
    if (!started && length > 0) {
      started = true
      if (text.charCodeAt(0) === 0xfeff) start = 1
    }
    if (skipLineFeed && length > 0) {
      skipLineFeed = false
      if (text.charCodeAt(start) === 10) start++
    }
    // The next CR and LF at or after `start`, each searched for again only once passed: every character is
    // looked at once by each search.
    let nextLf = text.indexOf("\n", start)
    let nextCr = text.indexOf("\r", start)
    while (nextLf !== -1 || nextCr !== -1) {
      const end = nextCr === -1 || (nextLf !== -1 && nextLf < nextCr) ? nextLf : nextCr
      let content: string
      let bytes: number
      if (pieces.length === 0) {
        content = text.slice(start, end)
        bytes = byteLength(content)
      } else {
        const last = text.slice(start, end)
        pieces.push(last)
        content = pieces.join("")
        bytes = pendingBytes + byteLength(last)
        pieces = []
        pendingBytes = 0
      }
      if (!line(content, bytes, out)) return overflow(out)
      start = end + 1
      if (end === nextCr) {
        if (start === length) skipLineFeed = true
        else if (text.charCodeAt(start) === 10) start++
      }
      if (nextLf !== -1 && nextLf < start) nextLf = text.indexOf("\n", start)
      if (nextCr !== -1 && nextCr < start) nextCr = text.indexOf("\r", start)
    }
    if (start < length) {
      const rest = start === 0 ? text : text.slice(start)
      pieces.push(rest)
      pendingBytes += byteLength(rest)
      if (dataBytes + pendingBytes > limit) return overflow(out)
    }
    return Either.right(out)
  }

  const end = (): Array<SseEvent> => {
    const out: Array<SseEvent> = []
    if (overflowed) return out
    if (pieces.length > 0) line(pieces.join(""), pendingBytes, out)
    pieces = []
    pendingBytes = 0
    dispatch(out)
    return out
  }

  return { feed, end }
}
