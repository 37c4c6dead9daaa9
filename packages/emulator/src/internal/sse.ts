import type * as Fault from "../Fault.js"
import type { StreamingOptions } from "../Options.js"
import * as Reply from "./reply.js"
import type { RunEvent } from "./runEvents.js"

/**
 * A streaming answer before it is written: the events of a run, in order.
 *
 * @internal
 */
export interface EventStream {
  readonly _tag: "EventStream"
  readonly events: ReadonlyArray<RunEvent>
}

/** @internal */
export const stream = (events: ReadonlyArray<RunEvent>): EventStream => ({ _tag: "EventStream", events })

const encode = (event: string, data: string): string => `event: ${event}\ndata: ${data}\n\n`

const done = encode("done", "[DONE]")

const error = (message: string): string =>
  encode("error", JSON.stringify({ error: { message, type: "server_error", param: null, code: null } }))

const defaultErrorMessage = "The server had an error while processing your request. Sorry about that!"

/** The events as sent, `done` last, unless a stream fault cuts them short or ends them with an `error` event. */
const sent = (stream: EventStream, fault: Fault.StreamFault | undefined): Array<string> => {
  const all = [...stream.events.map(({ data, event }) => encode(event, JSON.stringify(data))), done]
  if (fault === undefined) return all
  const before = all.slice(0, fault.afterEvents)
  return fault.kind === "error" ? [...before, error(fault.message ?? defaultErrorMessage)] : before
}

/**
 * The answer writing a stream: `text/event-stream`, chunked, one write per event `eventDelayMs` apart (or
 * pieces of `chunkBytes`); a `cut` fault drops the connection after its events.
 *
 * @internal
 */
export const render = (
  stream: EventStream,
  options: StreamingOptions,
  fault: Fault.StreamFault | undefined
): Reply.Send => {
  const reply: Reply.Send = {
    _tag: "Send",
    status: 200,
    headers: { "content-type": "text/event-stream; charset=utf-8" },
    length: undefined,
    writes: sent(stream, fault).map((text, index) => ({
      chunk: Buffer.from(text),
      delayMs: index === 0 ? 0 : options.eventDelayMs ?? 0
    })),
    ending: fault?.kind === "cut" ? "close" : "end"
  }
  return options.chunkBytes === undefined ? reply : Reply.rechunk(reply, options.chunkBytes)
}
