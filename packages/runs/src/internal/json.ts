/**
 * Parsing server text as JSON, safely: the nesting depth is bounded before anything recurses over the value, and a
 * `__proto__` key never reaches a decoder.
 *
 * - Depth: `JSON.parse` itself copes with any depth, but what comes after does not (Schema's messages format the
 *   actual value, `JSON.stringify` in excerpts, user code walking a value): each recurses once per level and dies of
 *   `Maximum call stack size exceeded` a few thousand levels down. A linear scan, which skips string contents, refuses
 *   a text nesting deeper than `maxDepth` before it is parsed. The API's own objects are shallow (a run is about 6
 *   levels deep, a step's file search results 8, a page or an event adds 1 or 2); the deepest legitimate value is a
 *   tool's JSON Schema `parameters`, two levels per nested object. {@link defaultMaxDepth} (100) leaves room for any
 *   schema a model can use, and keeps every recursion far from the stack's limit.
 * - `__proto__`: `JSON.parse` keeps such a key as an own property, but copying it into another object with
 *   `out[key] = value` (as Schema's `Record` decoding and any spread-free copy do) sets that object's prototype to a
 *   value the server chose. Such keys are dropped at parse time, at every level: both decoding paths then give the
 *   same plain objects. Keys named `constructor` or `prototype` are kept; they are ordinary data.
 *
 * @internal
 */
import * as Either from "effect/Either"

/**
 * The deepest nesting (of arrays and objects) a server text may have: 100 levels.
 *
 * @internal
 */
export const defaultMaxDepth = 100

/**
 * Why a text was not parsed: it is not JSON, or it nests deeper than `maxDepth`.
 *
 * @internal
 */
export type JsonFailure =
  | { readonly _tag: "NotJson"; readonly message: string }
  | { readonly _tag: "TooDeep"; readonly maxDepth: number }

/** Whether `text` holds more than `limit` of `{` and `[` in all, strings included: found natively, stopping early. */
const opensMoreThan = (text: string, limit: number): boolean => {
  let count = 0
  for (let at = text.indexOf("{"); at !== -1; at = text.indexOf("{", at + 1)) if (++count > limit) return true
  for (let at = text.indexOf("["); at !== -1; at = text.indexOf("[", at + 1)) if (++count > limit) return true
  return false
}

/**
 * Whether `text` opens more than `maxDepth` arrays or objects at once, outside strings. A text with no more than
 * `maxDepth` brackets in all (a run, an event) is answered by counting them natively; any other in one pass, a
 * string's content skipped with `indexOf`. The text need not be valid JSON.
 *
 * @internal
 */
export const nestsDeeperThan = (text: string, maxDepth: number): boolean => {
  if (!opensMoreThan(text, maxDepth)) return false
  let depth = 0
  const length = text.length
  for (let index = 0; index < length; index++) {
    const char = text.charCodeAt(index)
    if (char === 34) {
      // A string: its end is the next quote not escaped by an odd run of backslashes.
      for (;;) {
        const quote = text.indexOf("\"", index + 1)
        if (quote === -1) return false
        let backslashes = 0
        while (text.charCodeAt(quote - 1 - backslashes) === 92) backslashes++
        index = quote
        if (backslashes % 2 === 0) break
      }
    } else if (char === 91 || char === 123) {
      if (++depth > maxDepth) return true
    } else if (char === 93 || char === 125) {
      depth--
    }
  }
  return false
}

/** A key that may decode to `__proto__`: literally, or with any of its letters escaped. */
const mayHoldProto = (text: string): boolean =>
  text.includes("__proto__") || (text.includes("\\u") && /\\u00(?:5f|6f|70|72|74)/i.test(text))

const dropProto = (key: string, value: unknown): unknown => key === "__proto__" ? undefined : value

/**
 * Parses a server text: the value, or why not. `__proto__` keys are dropped at every level.
 *
 * @internal
 */
export const parse = (text: string, maxDepth: number = defaultMaxDepth): Either.Either<unknown, JsonFailure> => {
  if (nestsDeeperThan(text, maxDepth)) return Either.left({ _tag: "TooDeep", maxDepth })
  try {
    return Either.right(mayHoldProto(text) ? JSON.parse(text, dropProto) : JSON.parse(text))
  } catch (error) {
    return Either.left({ _tag: "NotJson", message: error instanceof Error ? error.message : String(error) })
  }
}

/**
 * The failure as the end of a sentence, e.g. `is not JSON` or `nests deeper than 100 levels`.
 *
 * @internal
 */
export const describeFailure = (failure: JsonFailure): string =>
  failure._tag === "TooDeep" ? `nests deeper than ${failure.maxDepth} levels` : "is not JSON"

/**
 * `JSON.stringify` that never throws (cycles, BigInt, a throwing `toJSON`, a value too deep for the stack): `String`
 * of the value, else a placeholder.
 *
 * @internal
 */
export const safeStringify = (value: unknown): string => {
  try {
    return JSON.stringify(value) ?? String(value)
  } catch {
    try {
      return String(value)
    } catch {
      return "[unprintable]"
    }
  }
}
