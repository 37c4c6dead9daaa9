/**
 * Turning a request's inputs into what goes on the wire (JSON body text, path segments, query values), with every
 * input that cannot be sent refused as an {@link RunsError.InvalidRequestError} naming the field at fault, never a
 * defect and never a silent substitution.
 *
 * - A JSON body: `JSON.stringify` throws on a BigInt, a cycle, a throwing `toJSON` or getter, or a value too deep for
 *   the stack. {@link toJsonText} tries it once; only when it fails is the value walked (iteratively, cycle-safe,
 *   every read guarded) to name the path of the first value at fault, e.g. `params.tools.0.function.parameters.x`.
 *   JSON's own rules still apply to what does serialise: `undefined`, functions and symbols in objects are left out,
 *   `NaN` and `±Infinity` become `null`.
 * - Path segments and query values: a lone surrogate makes `encodeURIComponent` throw `URIError`, and
 *   `URLSearchParams` silently send U+FFFD instead: both are refused.
 *
 * @internal
 */
import * as Either from "effect/Either"
import * as RunsError from "../RunsError.js"

/** A lone surrogate: half of a UTF-16 pair, which no UTF-8 text can carry. */
const loneSurrogate = /\p{Cs}/u

/**
 * Whether a text is well-formed Unicode (no lone surrogate), i.e. can be sent as UTF-8 unchanged.
 *
 * @internal
 */
export const isWellFormed = (text: string): boolean => !loneSurrogate.test(text)

const refuse = (field: string, reason: string) =>
  Either.left(new RunsError.InvalidRequestError({ field, message: `${field} ${reason}` }))

const notWellFormed = "must be well-formed Unicode: it holds a lone surrogate, which cannot be sent"

/**
 * A path segment, percent-encoded; a text holding a lone surrogate is refused (`encodeURIComponent` would throw).
 *
 * @internal
 */
export const pathSegment = (field: string, value: string): Either.Either<string, RunsError.InvalidRequestError> =>
  isWellFormed(value) ? Either.right(encodeURIComponent(value)) : refuse(field, notWellFormed)

/**
 * A query value as it will be sent; a text holding a lone surrogate is refused (it would be sent as U+FFFD).
 *
 * @internal
 */
export const queryValue = (field: string, value: string): Either.Either<string, RunsError.InvalidRequestError> =>
  isWellFormed(value) ? Either.right(value) : refuse(field, notWellFormed)

/**
 * The JSON text of a request body, or the {@link RunsError.InvalidRequestError} naming the first value that cannot
 * be serialised (`field` is the name of the whole value, e.g. `params`).
 *
 * @internal
 */
export const toJsonText = (field: string, value: unknown): Either.Either<string, RunsError.InvalidRequestError> => {
  let text: string | undefined
  let failure: unknown
  try {
    text = JSON.stringify(value)
  } catch (error) {
    failure = error
  }
  if (text !== undefined) return Either.right(text)
  if (failure === undefined) return refuse(field, "is not a JSON value (undefined, a function or a symbol)")
  const problem = findUnserialisable(value)
  if (problem === undefined) {
    return refuse(
      field,
      failure instanceof RangeError ? "nests too deeply to serialise" : "cannot be serialised as JSON"
    )
  }
  const path = formatPath(field, problem.path)
  return refuse(path, problem.reason)
}

/** The most levels a body is walked into; deeper is reported as such (`JSON.stringify` fails well before). */
const maxWalkDepth = 1000

/** The most path segments put into a field name: a path into a deep value is cut. */
const maxPathSegments = 24

/**
 * A field name for a path into a value, e.g. `params.tools.0.function.parameters.x`; a path deeper than 24 levels is
 * cut.
 *
 * @internal
 */
export const formatPath = (field: string, path: ReadonlyArray<string | number>): string =>
  [field, ...path.slice(0, maxPathSegments)].join(".") +
  (path.length > maxPathSegments ? `.… (${path.length} levels)` : "")

/**
 * Where a value cannot be serialised as JSON, and why.
 *
 * @internal
 */
export interface Unserialisable {
  readonly path: ReadonlyArray<string | number>
  readonly reason: string
}

type Step =
  | {
    readonly _tag: "Visit"
    /** The object the value is read from (when it is read at this step), and under which key. */
    readonly holder: object | undefined
    readonly key: string
    readonly value: unknown
    readonly path: ReadonlyArray<string | number>
  }
  | { readonly _tag: "Leave"; readonly value: object }

const isBigIntObject = (value: object): boolean => Object.prototype.toString.call(value) === "[object BigInt]"

/**
 * The first value (in `JSON.stringify`'s order) that makes `JSON.stringify` throw: a BigInt, a cycle, a `toJSON` or
 * getter that throws, keys that cannot be listed, or nesting deeper than 1000 levels. `undefined` when there is none.
 * Iterative, so any depth is walked; every read is guarded, and made when `JSON.stringify` would make it.
 *
 * @internal
 */
export const findUnserialisable = (root: unknown): Unserialisable | undefined => {
  const ancestors = new Set<object>()
  const stack: Array<Step> = [{ _tag: "Visit", holder: undefined, key: "", value: root, path: [] }]
  while (stack.length > 0) {
    const step = stack.pop()!
    if (step._tag === "Leave") {
      ancestors.delete(step.value)
      continue
    }
    const { key, path } = step
    let value = step.value
    if (step.holder !== undefined) {
      try {
        value = (step.holder as Record<string, unknown>)[key]
      } catch {
        return { path, reason: "could not be read: its getter threw" }
      }
    }
    if ((typeof value === "object" && value !== null) || typeof value === "bigint") {
      let toJSON: unknown
      try {
        toJSON = (value as { readonly toJSON?: unknown }).toJSON
      } catch {
        return { path, reason: "could not be read: its toJSON getter threw" }
      }
      if (typeof toJSON === "function") {
        try {
          value = toJSON.call(value, key)
        } catch {
          return { path, reason: "cannot be serialised: its toJSON method threw" }
        }
      }
    }
    if (typeof value === "bigint") return { path, reason: "is a BigInt, which JSON cannot hold" }
    if (typeof value !== "object" || value === null) continue
    if (isBigIntObject(value)) return { path, reason: "is a BigInt, which JSON cannot hold" }
    if (ancestors.has(value)) return { path, reason: "refers back to an object that contains it (a cycle)" }
    if (path.length >= maxWalkDepth) return { path, reason: `nests deeper than ${maxWalkDepth} levels` }
    let keys: ReadonlyArray<readonly [string, string | number]>
    try {
      keys = Array.isArray(value)
        ? Array.from({ length: value.length }, (_, index) => [String(index), index] as const)
        : Object.keys(value).map((name) => [name, name] as const)
    } catch {
      return { path, reason: "cannot be serialised: its keys could not be listed" }
    }
    ancestors.add(value)
    stack.push({ _tag: "Leave", value })
    for (let index = keys.length - 1; index >= 0; index--) {
      const [name, segment] = keys[index]!
      stack.push({ _tag: "Visit", holder: value, key: name, value: undefined, path: [...path, segment] })
    }
  }
  return undefined
}
