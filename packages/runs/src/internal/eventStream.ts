/**
 * From the bytes of an event-stream response to decoded {@link AssistantStreamEvent}s.
 *
 * `done` ends the stream; an `error` event fails it with {@link RunsError.StreamEventError}; a `data:` that is not
 * valid JSON, or nests deeper than `maxDepth`, fails it with {@link RunsError.ResponseDecodeError} naming the event;
 * an event past `maxEventBytes` fails it with {@link RunsError.ResponseTooLargeError}. The spec's own streaming
 * examples have invalid lines (a trailing `}` too many); they are not repaired: real servers send valid JSON, and
 * guessing what a broken payload meant would hide real faults.
 *
 * @internal
 */
import * as Chunk from "effect/Chunk"
import * as Duration from "effect/Duration"
import * as Either from "effect/Either"
import * as Predicate from "effect/Predicate"
import * as Stream from "effect/Stream"
import * as Event from "../AssistantStreamEvent.js"
import * as RunsError from "../RunsError.js"
import { type DecodeContext, decodeError, type Decoder, makeDecoder } from "./decode.js"
import * as Json from "./json.js"
import { scrubbedExcerpt } from "./redact.js"
import { defaultMaxEventBytes, makeParser, type SseEvent, type SseOptions, type SseOverflow } from "./sse.js"
import { errorFields } from "./wireErrors.js"

/**
 * The bounds of an event stream: `maxEventBytes` for one event (default 10 MiB), `maxDepth` for the nesting of its
 * data (default {@link Json.defaultMaxDepth}).
 *
 * @internal
 */
export interface EventStreamOptions extends SseOptions {
  readonly maxDepth?: number | undefined
}

const decoders: Readonly<Record<string, Decoder<unknown>>> = Object.fromEntries(
  Object.entries(Event.dataSchemas).map(([name, schema]) => [name, makeDecoder<any, any>(schema)])
)

const serverError = (json: unknown, context: DecodeContext): RunsError.StreamEventError => {
  const error = Predicate.hasProperty(json, "error") && Predicate.isRecord(json.error) ? json.error : json
  const fields = errorFields(Predicate.isRecord(error) ? error : {}, context.scrub)
  return new RunsError.StreamEventError({
    ...fields,
    message: fields.message ??
      `The server sent an error event: ${scrubbedExcerpt(Json.safeStringify(json), context.scrub)}`,
    requestId: context.requestId,
    attempts: context.attempts
  })
}

const decodeEvent = (
  sse: SseEvent,
  context: DecodeContext,
  maxDepth: number
): Either.Either<Event.AssistantStreamEvent, RunsError.ResponseDecodeError | RunsError.StreamEventError> => {
  const parsed = Json.parse(sse.data, maxDepth)
  if (Either.isLeft(parsed)) {
    const name = scrubbedExcerpt(sse.event, context.scrub, 120)
    return Either.left(
      new RunsError.ResponseDecodeError({
        message: `The data of event "${name}" ${Json.describeFailure(parsed.left)}: ${
          scrubbedExcerpt(sse.data, context.scrub, 120)
        }`,
        path: [name],
        body: scrubbedExcerpt(sse.data, context.scrub),
        status: context.status,
        requestId: context.requestId,
        attempts: context.attempts
      })
    )
  }
  const json = parsed.right
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
  context: DecodeContext,
  maxDepth: number
): Stream.Stream<Event.AssistantStreamEvent, RunsError.ResponseDecodeError | RunsError.StreamEventError> => {
  const decoded: Array<Event.AssistantStreamEvent> = []
  for (const sse of chunk) {
    const result = decodeEvent(sse, context, maxDepth)
    if (Either.isLeft(result)) return Stream.concat(Stream.fromIterable(decoded), Stream.fail(result.left))
    decoded.push(result.right)
  }
  return Stream.fromChunk(Chunk.unsafeFromArray(decoded))
}

/**
 * The SSE events in a stream of text chunks, the last one dispatched even without a trailing blank line. An event past
 * `maxEventBytes` fails the stream with the parser's {@link SseOverflow}, after the events completed before it.
 *
 * @internal
 */
export const sseEvents = <E>(
  text: Stream.Stream<string, E>,
  options: SseOptions = {}
): Stream.Stream<SseEvent, E | SseOverflow> =>
  Stream.suspend(() => {
    const parser = makeParser(options)
    return text.pipe(
      Stream.flatMap((chunk) =>
        Either.match(parser.feed(chunk), {
          onLeft: (overflow): Stream.Stream<SseEvent, SseOverflow> =>
            Stream.concat(Stream.fromIterable(overflow.events), Stream.fail(overflow)),
          onRight: (events) => Stream.fromChunk(Chunk.unsafeFromArray(events))
        })
      ),
      Stream.concat(Stream.suspend(() => Stream.fromIterable(parser.end())))
    )
  })

/**
 * The error of an event past `maxEventBytes`.
 *
 * @internal
 */
export const eventTooLarge = (overflow: SseOverflow, context: DecodeContext): RunsError.ResponseTooLargeError =>
  new RunsError.ResponseTooLargeError({
    message: `An event of the stream is larger than ${overflow.limitBytes} bytes (maxEventBytes)`,
    limitBytes: overflow.limitBytes,
    status: context.status,
    requestId: context.requestId,
    attempts: context.attempts
  })

const isOverflow = (error: unknown): error is SseOverflow => Predicate.isTagged(error, "SseOverflow")

/**
 * The decoded events of an event-stream body, up to `done`. `options` bound one event's size (`maxEventBytes`,
 * default 10 MiB) and its data's nesting (`maxDepth`, default 100).
 *
 * @internal
 */
export const decode = (
  bytes: Stream.Stream<Uint8Array, RunsError.RunsError>,
  context: DecodeContext,
  options: EventStreamOptions = {}
): Stream.Stream<Event.AssistantStreamEvent, RunsError.RunsError | RunsError.StreamEventError> => {
  const maxDepth = options.maxDepth ?? Json.defaultMaxDepth
  return sseEvents(Stream.decodeText(bytes), { maxEventBytes: options.maxEventBytes ?? defaultMaxEventBytes }).pipe(
    Stream.mapError((error) => isOverflow(error) ? eventTooLarge(error, context) : error),
    Stream.takeWhile((sse) => sse.event !== "done"),
    Stream.mapChunks((chunk) => Chunk.of(chunk)),
    Stream.flatMap((chunk) => decodeChunk(chunk, context, maxDepth))
  )
}

/**
 * The suggested bound on the time a stream may go without an event: 5 minutes, longer than any pause of a real run
 * between events, shorter than the 10 minutes after which the API expires it.
 *
 * @internal
 */
export const defaultStreamIdleTimeout: Duration.Duration = Duration.minutes(5)

/**
 * Fails a stream of events with a {@link RunsError.TimeoutError} when `duration` passes without an event: comments,
 * keep-alives and pieces of an event that does not end do not count, so a server that sends bytes but never an event
 * cannot hold a stream open. Apply it to the decoded events (`decode`'s result); `attempts` is the attempt that
 * opened the stream.
 *
 * @internal
 */
export const idleTimeout =
  (duration: Duration.DurationInput, attempts: number) =>
  <A, E, R>(self: Stream.Stream<A, E, R>): Stream.Stream<A, E | RunsError.TimeoutError, R> => {
    const timeout = Duration.decode(duration)
    if (!Duration.isFinite(timeout)) return self
    return Stream.timeoutFail(
      self,
      () =>
        new RunsError.TimeoutError({
          message: `The stream sent no event for ${Duration.format(timeout)}`,
          timeoutMs: Duration.toMillis(timeout),
          attempts
        }),
      timeout
    )
  }
