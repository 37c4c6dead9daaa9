/**
 * An incremental parser of server-sent events (the WHATWG event stream format), fed text in chunks of any size.
 *
 * Written here because `@effect/experimental`'s `Sse` parser drops a final event that has no trailing blank line,
 * and loses the event name when a CRLF line ending is split between two chunks (tested in `test/sse.test.ts`).
 *
 * @internal
 */

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
 * The parser's state, to feed chunks into and end.
 *
 * @internal
 */
export interface SseParser {
  /** Parses a chunk of text; gives the events it completed. */
  readonly feed: (chunk: string) => Array<SseEvent>
  /** The end of the input: an event still pending (no trailing blank line) is dispatched. */
  readonly end: () => Array<SseEvent>
}

/**
 * A fresh parser.
 *
 * @internal
 */
export const makeParser = (): SseParser => {
  let pending = ""
  let started = false
  let skipLineFeed = false
  let eventName: string | undefined
  let dataLines: Array<string> = []
  let lastId: string | undefined

  const dispatch = (out: Array<SseEvent>) => {
    if (dataLines.length > 0) out.push({ event: eventName ?? "message", data: dataLines.join("\n"), id: lastId })
    dataLines = []
    eventName = undefined
  }

  const line = (text: string, out: Array<SseEvent>) => {
    if (text === "") return dispatch(out)
    if (text.startsWith(":")) return
    const colon = text.indexOf(":")
    const field = colon === -1 ? text : text.slice(0, colon)
    let value = colon === -1 ? "" : text.slice(colon + 1)
    if (value.startsWith(" ")) value = value.slice(1)
    switch (field) {
      case "event":
        eventName = value
        break
      case "data":
        dataLines.push(value)
        break
      case "id":
        if (!value.includes("\u0000")) lastId = value
        break
    }
  }

  const feed = (chunk: string): Array<SseEvent> => {
    // An empty chunk changes nothing: above all, not a CR at the end of the previous one waiting for its LF.
    if (chunk.length === 0) return []
    const out: Array<SseEvent> = []
    let text = chunk
    if (!started && text.length > 0) {
      started = true
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1)
    }
    if (skipLineFeed && text.startsWith("\n")) text = text.slice(1)
    skipLineFeed = false
    let start = 0
    const buffer = pending + text
    let index = pending.length
    while (index < buffer.length) {
      const char = buffer.charCodeAt(index)
      if (char === 10 || char === 13) {
        line(buffer.slice(start, index), out)
        if (char === 13) {
          if (index + 1 === buffer.length) skipLineFeed = true
          else if (buffer.charCodeAt(index + 1) === 10) index++
        }
        start = index + 1
      }
      index++
    }
    pending = buffer.slice(start)
    return out
  }

  const end = (): Array<SseEvent> => {
    const out: Array<SseEvent> = []
    if (pending !== "") line(pending, out)
    pending = ""
    dispatch(out)
    return out
  }

  return { feed, end }
}
