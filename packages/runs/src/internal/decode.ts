/**
 * Decoding of 2xx bodies, with failures as {@link RunsError.ResponseDecodeError}.
 *
 * @internal
 */
import * as Either from "effect/Either"
import * as ParseResult from "effect/ParseResult"
import type * as Schema from "effect/Schema"
import * as AST from "effect/SchemaAST"
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
 * One reason a body did not decode: where, and what is wrong there (the server's text, not scrubbed yet).
 *
 * @internal
 */
export interface DecodeIssue {
  readonly path: ReadonlyArray<string | number>
  readonly message: string
}

/**
 * Why a body did not decode: every issue Schema found (at least one), in order.
 *
 * @internal
 */
export interface DecodeFailure {
  readonly issues: readonly [DecodeIssue, ...Array<DecodeIssue>]
}

/** The most issues an error keeps: a hostile body may have millions. */
const maxIssues = 20

/**
 * A decoder from parsed JSON to `A`: synchronous, and pure (errors are built by {@link decodeError}); `what` names
 * what it expects, for messages.
 *
 * @internal
 */
export interface Decoder<A> {
  readonly what: string
  readonly decode: (body: unknown) => Either.Either<A, DecodeFailure>
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
 * The error of a body that did not decode; `what` names what was expected (e.g. `Run`), every text is scrubbed.
 *
 * @internal
 */
export const decodeError = (
  what: string,
  failure: DecodeFailure,
  body: unknown,
  context: DecodeContext
): RunsError.ResponseDecodeError => {
  const scrubPath = (path: ReadonlyArray<string | number>) =>
    path.map((key) => typeof key === "string" ? context.scrub(key) : key)
  const issues = failure.issues.slice(0, maxIssues).map((issue) => ({
    path: scrubPath(issue.path),
    message: context.scrub(issue.message)
  }))
  const more = failure.issues.length - issues.length
  const listed = issues.map((issue) =>
    `${issue.path.length === 0 ? "the body" : issue.path.join(".")}: ${issue.message}`
  )
  return new RunsError.ResponseDecodeError({
    message: `The response does not match ${context.scrub(what)} at ${listed.join("; ")}${
      more > 0 ? ` (and ${more} more issues)` : ""
    }`,
    path: issues[0]!.path,
    issues,
    body: context.scrub(excerpt(typeof body === "string" ? body : safeStringify(body))),
    status: context.status,
    requestId: context.requestId,
    attempts: context.attempts
  })
}

/**
 * A decoder of `schema`. Well-formed bodies take the compiled fast path (`fastDecode.ts`); anything else is decoded
 * by Schema itself, whose first issue becomes the failure.
 *
 * @internal
 */
export const makeDecoder = <A, I>(schema: Schema.Schema<A, I>): Decoder<A> => {
  const decodeSchema = ParseResult.decodeUnknownEither(schema, { errors: "all", onExcessProperty: "ignore" })
  const fast = compileFast(schema.ast)
  const decode = (body: unknown): Either.Either<A, DecodeFailure> => {
    const decoded = fast?.(body)
    if (decoded !== undefined) return Either.right(decoded.value as A)
    const result = decodeSchema(body)
    if (result._tag === "Right") return Either.right(result.right)
    const formatted = ParseResult.ArrayFormatter.formatIssueSync(result.left).map((issue): DecodeIssue => ({
      path: issue.path.map((key) => typeof key === "symbol" ? String(key) : key),
      message: issue.message
    }))
    const [first = { path: [], message: "is invalid" }, ...rest] = formatted
    return Either.left({ issues: [first, ...rest] })
  }
  return { what: describe(schema), decode }
}

const decoders = new WeakMap<AST.AST, Decoder<any>>()

/**
 * The decoder of `schema`, compiled once per schema.
 *
 * @internal
 */
export const decoderFor = <A, I>(schema: Schema.Schema<A, I>): Decoder<A> => {
  let decoder = decoders.get(schema.ast)
  if (decoder === undefined) {
    decoder = makeDecoder(schema)
    decoders.set(schema.ast, decoder)
  }
  return decoder
}

/**
 * What a schema describes, for messages: its identifier or title annotation, else `the expected shape`.
 *
 * @internal
 */
export const describe = (schema: Schema.Schema.Any): string => {
  const ast = AST.isTransformation(schema.ast) ? schema.ast.to : schema.ast
  const named = AST.getIdentifierAnnotation(ast).pipe(
    (identifier) => identifier._tag === "Some" ? identifier : AST.getTitleAnnotation(ast)
  )
  return named._tag === "Some" ? named.value : "the expected shape"
}

const safeStringify = (body: unknown): string => {
  try {
    return JSON.stringify(body) ?? String(body)
  } catch {
    return String(body)
  }
}
