/**
 * Input checks that run before any request is sent.
 *
 * @internal
 */
import * as Effect from "effect/Effect"
import * as ParseResult from "effect/ParseResult"
import type * as Schema from "effect/Schema"
import { Id } from "../RunRequest.js"
import * as RunsError from "../RunsError.js"

/**
 * Checks `input` against `schema` (without excess properties) and gives the decoded value, or an
 * {@link RunsError.InvalidRequestError} naming the field at fault as `field.path`.
 *
 * @internal
 */
export const validator = <A, I>(schema: Schema.Schema<A, I>) => {
  const decode = ParseResult.decodeUnknownEither(schema, { errors: "first", onExcessProperty: "error" })
  return (field: string, input: unknown): Effect.Effect<A, RunsError.InvalidRequestError> => {
    const result = decode(input)
    if (result._tag === "Right") return Effect.succeed(result.right)
    const [issue] = ParseResult.ArrayFormatter.formatIssueSync(result.left)
    const path = [field, ...(issue?.path ?? []).map(String)].join(".")
    return Effect.fail(
      new RunsError.InvalidRequestError({ field: path, message: `${path} ${describeIssue(issue?.message)}` })
    )
  }
}

const describeIssue = (message: string | undefined): string =>
  message === undefined ? "is invalid" : message.startsWith("is ") || message.startsWith("must ")
    ? message
    : `is invalid: ${message}`

const checkId = validator(Id)

const spanAttributes: Readonly<Record<string, string>> = {
  threadId: "openai.thread_id",
  runId: "openai.run_id",
  stepId: "openai.step_id",
  messageId: "openai.message_id"
}

/**
 * Puts the ids an operation works on onto its span (`openai.thread_id`, …), then checks each is a well-formed id.
 *
 * @internal
 */
export const ids = (ids: Readonly<Record<string, string>>): Effect.Effect<void, RunsError.InvalidRequestError> =>
  Effect.suspend(() => {
    const attributes: Record<string, string> = {}
    for (const name in ids) attributes[spanAttributes[name] ?? `openai.${name}`] = ids[name]!
    return Effect.zipRight(
      Effect.annotateCurrentSpan(attributes),
      Effect.forEach(Object.keys(ids), (name) => checkId(name, ids[name]), { discard: true })
    )
  })

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
