/**
 * Input checks that run before any request is sent.
 *
 * @internal
 */
import * as Effect from "effect/Effect"
import * as ParseResult from "effect/ParseResult"
import type * as Schema from "effect/Schema"
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
