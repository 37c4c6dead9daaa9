/**
 * Decoding of 2xx bodies, with failures as {@link RunsError.ResponseDecodeError}.
 *
 * @internal
 */
import * as Cause from "effect/Cause"
import * as Either from "effect/Either"
import * as ParseResult from "effect/ParseResult"
import * as Runtime from "effect/Runtime"
import type * as Schema from "effect/Schema"
import * as AST from "effect/SchemaAST"
import * as RunsError from "../RunsError.js"
import { compileFast } from "./fastDecode.js"
import * as Json from "./json.js"
import { scrubbedExcerpt } from "./redact.js"

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
 * A 2xx body that is not JSON (or, with `failure`, that {@link Json.parse} refused: it nests too deeply).
 *
 * @internal
 */
export const notJson = (
  text: string,
  context: DecodeContext,
  failure: Json.JsonFailure = { _tag: "NotJson", message: "" }
): RunsError.ResponseDecodeError =>
  new RunsError.ResponseDecodeError({
    message: `The response body ${Json.describeFailure(failure)}: ${scrubbedExcerpt(text, context.scrub, 120)}`,
    path: [],
    body: scrubbedExcerpt(text, context.scrub),
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
    path.map((key) => typeof key === "string" ? scrubbedExcerpt(key, context.scrub, 120) : key)
  const issues = failure.issues.slice(0, maxIssues).map((issue) => ({
    path: scrubPath(issue.path),
    message: scrubbedExcerpt(issue.message, context.scrub, 512)
  }))
  const more = failure.issues.length - issues.length
  const listed = issues.map((issue) =>
    `${issue.path.length === 0 ? "the body" : issue.path.join(".")}: ${issue.message}`
  )
  return new RunsError.ResponseDecodeError({
    message: scrubbedExcerpt(
      `The response does not match ${what} at ${listed.join("; ")}${more > 0 ? ` (and ${more} more issues)` : ""}`,
      context.scrub,
      2048
    ),
    path: issues[0]!.path,
    issues,
    body: scrubbedExcerpt(typeof body === "string" ? body : Json.safeStringify(body), context.scrub),
    status: context.status,
    requestId: context.requestId,
    attempts: context.attempts
  })
}

/**
 * A decoder of `schema`, for values given by {@link Json.parse}. Well-formed bodies take the compiled fast path
 * (`fastDecode.ts`); anything else is decoded by Schema itself, whose first issue becomes the failure.
 *
 * Neither path lets a `__proto__` key set a prototype, whatever the input: the fast path checks such a key's value but does
 * not copy it, and what Schema's copying did is undone on its result ({@link resetWirePrototypes}), so both give the
 * same plain objects. Whatever Schema throws (its recursion over a value too deep for the stack, say) is a
 * failure, not a defect: a decoder's input comes from the server.
 *
 * @internal
 */
export const makeDecoder = <A, I>(schema: Schema.Schema<A, I>): Decoder<A> => {
  const decodeSchema = ParseResult.decodeUnknownEither(schema, { errors: "all", onExcessProperty: "ignore" })
  const fast = compileFast(schema.ast)
  const slow = (body: unknown): Either.Either<A, DecodeFailure> => {
    const result = decodeSchema(body)
    if (result._tag === "Right") return Either.right(resetWirePrototypes(result.right))
    const formatted = ParseResult.ArrayFormatter.formatIssueSync(result.left).map((issue): DecodeIssue => ({
      path: issue.path.map((key) => typeof key === "symbol" ? String(key) : key),
      message: issue.message
    }))
    const [first = { path: [], message: "is invalid" }, ...rest] = formatted
    return Either.left({ issues: [first, ...rest] })
  }
  const decode = (body: unknown): Either.Either<A, DecodeFailure> => {
    const decoded = fast?.(body)
    if (decoded !== undefined) return Either.right(decoded.value as A)
    try {
      return slow(body)
    } catch (error) {
      return Either.left({
        issues: [{
          path: [],
          message: isStackOverflow(error) ? "is nested too deeply to decode" : "could not be decoded"
        }]
      })
    }
  }
  return { what: describe(schema), decode }
}

/**
 * A `RangeError` (the stack overflowed), thrown as is or wrapped in a `FiberFailure` by Schema's synchronous run.
 *
 * @internal
 */
export const isStackOverflow = (error: unknown): boolean =>
  error instanceof RangeError ||
  (Runtime.isFiberFailure(error) && Cause.squash(error[Runtime.FiberFailureCauseId]) instanceof RangeError)

/**
 * Whether `proto` is a prototype a decoded object may have: the built-in ones, or a class's (an own `constructor` that
 * is a function, which no JSON value has). Not `null`: `output["__proto__"] = null` makes one.
 */
const isLegitimatePrototype = (proto: object | null): boolean =>
  proto !== null && (proto === Object.prototype || proto === Array.prototype ||
    typeof Object.getOwnPropertyDescriptor(proto, "constructor")?.value === "function")

/**
 * Undoes what `output["__proto__"] = value` did in Schema's decoding of records: every object of a decoded value
 * whose prototype is a plain object from the wire (not a class's) gets the plain object
 * prototype back, as if the key had been skipped. Iterative, so any depth is fine.
 *
 * @internal
 */
export const resetWirePrototypes = <A>(value: A): A => {
  const seen = new Set<object>()
  const stack: Array<unknown> = [value]
  while (stack.length > 0) {
    const node = stack.pop()
    if (typeof node !== "object" || node === null || seen.has(node)) continue
    seen.add(node)
    if (!isLegitimatePrototype(Object.getPrototypeOf(node))) Object.setPrototypeOf(node, Object.prototype)
    for (const key of Object.keys(node)) stack.push((node as Record<string, unknown>)[key])
  }
  return value
}

/**
 * A 2xx body's text, parsed ({@link Json.parse}: bounded nesting, no `__proto__`) and decoded: the value, or the
 * {@link RunsError.ResponseDecodeError} that says why not, quoting the text scrubbed.
 *
 * @internal
 */
export const decodeBody = <A>(
  text: string,
  decoder: Decoder<A>,
  context: DecodeContext,
  maxDepth: number = Json.defaultMaxDepth
): Either.Either<A, RunsError.ResponseDecodeError> => {
  const parsed = Json.parse(text, maxDepth)
  if (Either.isLeft(parsed)) return Either.left(notJson(text, context, parsed.left))
  const decoded = decoder.decode(parsed.right)
  return Either.isLeft(decoded)
    ? Either.left(decodeError(decoder.what, decoded.left, text, context))
    : Either.right(decoded.right)
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
