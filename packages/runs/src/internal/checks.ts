/**
 * Input checks that run before any request is sent.
 *
 * @internal
 */
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import { Id } from "../RunRequest.js"
import * as RunsError from "../RunsError.js"
import { isStackOverflow } from "./decode.js"
import { findUnserialisable, formatPath } from "./serialise.js"

/**
 * Checks `input` against `schema` (without excess properties) and gives the decoded value, or an
 * {@link RunsError.InvalidRequestError} naming the field at fault as `field.path`.
 *
 * Never a defect, whatever the input: a getter or `toJSON` that throws while Schema reads the input is named by its
 * path ({@link findUnserialisable}), and an input too deep for Schema's recursion (or its messages') is refused as such.
 *
 * @internal
 */
export const validator = <A, I>(schema: Schema.Schema<A, I>) => {
  const decode = ParseResult.decodeUnknownEither(schema, { errors: "first", onExcessProperty: "error" })
  const check = (field: string, input: unknown): Either.Either<A, RunsError.InvalidRequestError> => {
    const result = decode(input)
    if (result._tag === "Right") return Either.right(result.right)
    const [issue] = ParseResult.ArrayFormatter.formatIssueSync(result.left)
    const path = [field, ...(issue?.path ?? []).map(String)].join(".")
    return Either.left(
      new RunsError.InvalidRequestError({ field: path, message: `${path} ${describeIssue(issue?.message)}` })
    )
  }
  return (field: string, input: unknown): Effect.Effect<A, RunsError.InvalidRequestError> =>
    Effect.suspend(() => {
      try {
        return check(field, input)
      } catch (error) {
        return Either.left(unreadable(field, input, error))
      }
    })
}

/** The error of an input that made Schema throw: a getter or `toJSON` that throws, or a value too deep. */
const unreadable = (field: string, input: unknown, error: unknown): RunsError.InvalidRequestError => {
  const problem = findUnserialisable(input)
  if (problem !== undefined) {
    const path = formatPath(field, problem.path)
    return new RunsError.InvalidRequestError({ field: path, message: `${path} ${problem.reason}` })
  }
  const reason = isStackOverflow(error) ? "nests too deeply to be checked" : "could not be read"
  return new RunsError.InvalidRequestError({ field, message: `${field} ${reason}` })
}

const describeIssue = (message: string | undefined): string =>
  message === undefined ? "is invalid" : message.startsWith("is ") || message.startsWith("must ")
    ? message
    : `is invalid: ${message}`

const spanAttributes: Readonly<Record<string, string>> = {
  threadId: "openai.thread_id",
  runId: "openai.run_id",
  stepId: "openai.step_id",
  messageId: "openai.message_id"
}

const isId = Schema.is(Id)
const checkId = validator(Id)

/**
 * Checks that each of the ids an operation works on is well formed, then runs `then`; or fails with the
 * `InvalidRequestError` of the first that is not.
 *
 * @internal
 */
export const ids = <A, E>(
  ids: Readonly<Record<string, string>>,
  then: () => Effect.Effect<A, E>
): Effect.Effect<A, E | RunsError.InvalidRequestError> => {
  for (const name in ids) {
    if (!isId(ids[name])) return checkId(name, ids[name]) as Effect.Effect<never, RunsError.InvalidRequestError>
  }
  return then()
}

/** A span's options: the ids as attributes, no stack trace. */
const spanOptions = (ids: Readonly<Record<string, string>>) => ({
  attributes: spanAttributesOf(ids),
  captureStackTrace: false
})

/**
 * An operation in its span, with the ids it works on as attributes (`openai.thread_id`, …). No stack trace is
 * captured: the span's name says where the call came from.
 *
 * @internal
 */
export const traced = (
  name: string,
  ids: Readonly<Record<string, string>>
) =>
<A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> => Effect.withSpan(effect, name, spanOptions(ids))

/**
 * A stream in its span, as {@link traced} does for an effect.
 *
 * @internal
 */
export const tracedStream = (
  name: string,
  ids: Readonly<Record<string, string>>
) =>
<A, E, R>(stream: Stream.Stream<A, E, R>): Stream.Stream<A, E, R> => Stream.withSpan(stream, name, spanOptions(ids))

/**
 * An operation on ids: the ids checked ({@link ids}), then `then`, all in the operation's span ({@link traced}).
 *
 * @internal
 */
export const operation = <A, E>(
  name: string,
  checked: Readonly<Record<string, string>>,
  then: () => Effect.Effect<A, E>
): Effect.Effect<A, E | RunsError.InvalidRequestError> => traced(name, checked)(ids(checked, then))

/** The span attributes of the ids an operation works on. */
const spanAttributesOf = (ids: Readonly<Record<string, string>>): Record<string, string> => {
  const attributes: Record<string, string> = {}
  for (const key in ids) attributes[spanAttributes[key] ?? `openai.${key}`] = ids[key]!
  return attributes
}

/**
 * The non-streaming operations refuse `stream: true`, whose answer is an event stream, not a Run.
 *
 * @internal
 */
export const notStreaming = (stream: boolean | null | undefined): Effect.Effect<void, RunsError.InvalidRequestError> =>
  stream === true
    ? new RunsError.InvalidRequestError({
      field: "params.stream",
      message: "params.stream must not be true here: use the streaming variant of the operation"
    })
    : Effect.void
