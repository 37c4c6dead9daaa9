/**
 * From the bytes of an event-stream response to decoded {@link AssistantStreamEvent}s.
 *
 * `done` ends the stream; an `error` event fails it with {@link RunsError.StreamEventError}; a `data:` that is not
 * valid JSON fails it with {@link RunsError.ResponseDecodeError} naming the event. The spec's own streaming examples
 * have such lines (a trailing `}` too many); they are not repaired: real servers send valid JSON, and guessing
 * what a broken payload meant would hide real faults.
 *
 * @internal
 */
import * as Chunk from "effect/Chunk"
import * as Either from "effect/Either"
import * as Predicate from "effect/Predicate"
import * as Stream from "effect/Stream"
import * as Event from "../AssistantStreamEvent.js"
import * as RunsError from "../RunsError.js"
import { type DecodeContext, decodeError, type Decoder, makeDecoder } from "./decode.js"
import { excerpt } from "./redact.js"
import { makeParser, type SseEvent } from "./sse.js"
import { errorFields } from "./wireErrors.js"

const decoders: Readonly<Record<string, Decoder<unknown>>> = Object.fromEntries(
  Object.entries(Event.dataSchemas).map(([name, schema]) => [name, makeDecoder<any, any>(schema)])
)

const serverError = (json: unknown, context: DecodeContext): RunsError.StreamEventError => {
  const error = Predicate.hasProperty(json, "error") && Predicate.isRecord(json.error) ? json.error : json
  const fields = errorFields(Predicate.isRecord(error) ? error : {}, context.scrub)
  return new RunsError.StreamEventError({
    ...fields,
    message: fields.message ?? context.scrub(`The server sent an error event: ${excerpt(JSON.stringify(json))}`),
    requestId: context.requestId,
    attempts: context.attempts
  })
}

const decodeEvent = (
  sse: SseEvent,
  context: DecodeContext
): Either.Either<Event.AssistantStreamEvent, RunsError.ResponseDecodeError | RunsError.StreamEventError> => {
  let json: unknown
  try {
    json = JSON.parse(sse.data)
  } catch {
    return Either.left(
      new RunsError.ResponseDecodeError({
        message: context.scrub(`The data of event "${sse.event}" is not JSON: ${excerpt(sse.data, 120)}`),
        path: [context.scrub(sse.event)],
        body: context.scrub(excerpt(sse.data)),
        status: context.status,
        requestId: context.requestId,
        attempts: context.attempts
      })
    )
  }
  if (sse.event === "error") return Either.left(serverError(json, context))
  const decoder = Object.hasOwn(decoders, sse.event) ? decoders[sse.event] : undefined
  if (decoder === undefined) return Either.right({ event: sse.event, data: json })
  return Either.mapBoth(decoder.decode(json), {
    onLeft: (failure) => decodeError(`the data of ${sse.event}`, failure, json, context),
    onRight: (data) => ({ event: sse.event, data }) as Event.AssistantStreamEvent
  })
}

/**
 * The decoded events of one chunk of SSE events, and the failure that stopped it, if any: the events before a
 * failure are still delivered. Decoding a chunk at once keeps the per-event cost to plain function calls.
 */
const decodeChunk = (
  chunk: Chunk.Chunk<SseEvent>,
  context: DecodeContext
): Stream.Stream<Event.AssistantStreamEvent, RunsError.ResponseDecodeError | RunsError.StreamEventError> => {
  const decoded: Array<Event.AssistantStreamEvent> = []
  for (const sse of chunk) {
    const result = decodeEvent(sse, context)
    if (Either.isLeft(result)) return Stream.concat(Stream.fromIterable(decoded), Stream.fail(result.left))
    decoded.push(result.right)
  }
  return Stream.fromChunk(Chunk.unsafeFromArray(decoded))
}

/**
 * The SSE events in a stream of text chunks, the last one dispatched even without a trailing blank line.
 *
 * @internal
 */
export const sseEvents = <E>(text: Stream.Stream<string, E>): Stream.Stream<SseEvent, E> =>
  Stream.suspend(() => {
    const parser = makeParser()
    return text.pipe(
      Stream.mapConcat(parser.feed),
      Stream.concat(Stream.suspend(() => Stream.fromIterable(parser.end())))
    )
  })

/**
 * The decoded events of an event-stream body, up to `done`.
 *
 * @internal
 */
export const decode = (
  bytes: Stream.Stream<Uint8Array, RunsError.RunsError>,
  context: DecodeContext
): Stream.Stream<Event.AssistantStreamEvent, RunsError.RunsError | RunsError.StreamEventError> =>
  sseEvents(Stream.decodeText(bytes)).pipe(
    Stream.takeWhile((sse) => sse.event !== "done"),
    Stream.mapChunks((chunk) => Chunk.of(chunk)),
    Stream.flatMap((chunk) => decodeChunk(chunk, context))
  )
