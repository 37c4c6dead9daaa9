/**
 * Decoding of 2xx bodies, with failures as {@link RunsError.ResponseDecodeError}.
 *
 * @internal
 */
import * as Either from "effect/Either"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import * as RunsError from "../RunsError.js"
import { compileFast } from "./fastDecode.js"
import { excerpt } from "./redact.js"

/**
 * What a decode failure reports about the response it came from.
 *
 * @internal
 */
export interface DecodeContext {
  readonly status: number
  readonly requestId: string | null
  readonly attempts: number
  readonly scrub: (text: string) => string
}

/**
 * A 2xx body that is not JSON.
 *
 * @internal
 */
export const notJson = (text: string, context: DecodeContext): RunsError.ResponseDecodeError =>
  new RunsError.ResponseDecodeError({
    message: context.scrub(`The response body is not JSON: ${excerpt(text, 120)}`),
    path: [],
    body: context.scrub(excerpt(text)),
    status: context.status,
    requestId: context.requestId,
    attempts: context.attempts
  })

/**
 * A decoder from parsed JSON to `A` (synchronous: an `Either`, which is also an `Effect`) whose failures name the first issue's path and quote the body. Well-formed
 * bodies take the compiled fast path (`fastDecode.ts`); anything else is decoded by Schema itself.
 *
 * @internal
 */
export const makeDecoder = <A, I>(schema: Schema.Schema<A, I>, name: string) => {
  const decode = ParseResult.decodeUnknownEither(schema, { errors: "first", onExcessProperty: "ignore" })
  const fast = compileFast(schema.ast)
  return (body: unknown, context: DecodeContext): Either.Either<A, RunsError.ResponseDecodeError> => {
    const decoded = fast?.(body)
    if (decoded !== undefined) return Either.right(decoded.value as A)
    const result = decode(body)
    if (result._tag === "Right") return Either.right(result.right)
    const [issue] = ParseResult.ArrayFormatter.formatIssueSync(result.left)
    const path = issue?.path ?? []
    const where = path.length === 0 ? "the body" : path.join(".")
    return Either.left(
      new RunsError.ResponseDecodeError({
        message: context.scrub(`The response does not match ${name} at ${where}: ${issue?.message}`),
        path: path.map((key) => typeof key === "symbol" ? String(key) : key),
        body: context.scrub(excerpt(safeStringify(body))),
        status: context.status,
        requestId: context.requestId,
        attempts: context.attempts
      })
    )
  }
}

const safeStringify = (body: unknown): string => {
  try {
    return JSON.stringify(body) ?? String(body)
  } catch {
    return String(body)
  }
}
