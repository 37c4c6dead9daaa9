/**
 * Lenient decoding for compatible servers that leave out fields the spec requires: a field whose schema carries a
 * {@link LenientDefaultId} annotation gets that default when absent, and the paths so filled are reported.
 *
 * @internal
 */
import * as Option from "effect/Option"
import type * as Schema from "effect/Schema"
import * as AST from "effect/SchemaAST"

/**
 * The annotation holding a field's lenient default.
 *
 * @internal
 */
export const LenientDefaultId: unique symbol = Symbol.for("@effect-openai/runs/LenientDefault")

/**
 * `schema`, with the default a lenient client gives its field when a server leaves it out.
 *
 * @internal
 */
export const withDefault = <S extends Schema.Annotable.All>(schema: S, value: unknown): S =>
  schema.annotations({ [LenientDefaultId]: value }) as S

const defaultOf = AST.getAnnotation<unknown>(LenientDefaultId)

const isRecord = (u: unknown): u is Record<string, unknown> => typeof u === "object" && u !== null && !Array.isArray(u)

/**
 * What filling gave: the value (the same object when nothing was missing) and the filled paths, array items as `*`
 * (`data.*.model`).
 *
 * @internal
 */
export interface Filled {
  readonly value: unknown
  readonly paths: ReadonlyArray<string>
}

const join = (path: string, key: string) => path === "" ? key : `${path}.${key}`

const fillNode = (ast: AST.AST, value: unknown, path: string, paths: Set<string>): unknown => {
  switch (ast._tag) {
    case "Transformation":
    case "Refinement":
      return fillNode(ast.from, value, path, paths)
    case "Suspend":
      return fillNode(ast.f(), value, path, paths)
    case "Union":
      return ast.types.reduce((current, member) => fillNode(member, current, path, paths), value)
    case "TupleType": {
      const rest = ast.rest[0]
      if (!Array.isArray(value) || rest === undefined) return value
      let out: Array<unknown> | undefined
      for (let i = 0; i < value.length; i++) {
        const next = fillNode(rest.type, value[i], join(path, "*"), paths)
        if (next !== value[i]) (out ??= value.slice())[i] = next
      }
      return out ?? value
    }
    case "TypeLiteral": {
      if (!isRecord(value)) return value
      let out: Record<string, unknown> | undefined
      for (const property of ast.propertySignatures) {
        if (typeof property.name !== "string") continue
        const key = property.name
        if (Object.hasOwn(value, key)) {
          const next = fillNode(property.type, value[key], join(path, key), paths)
          if (next !== value[key]) (out ??= { ...value })[key] = next
          continue
        }
        const fallback = defaultOf(property.type)
        if (property.isOptional || Option.isNone(fallback)) continue
        Object.defineProperty(out ??= { ...value }, key, { value: fallback.value, enumerable: true, writable: true })
        paths.add(join(path, key))
      }
      return out ?? value
    }
    default:
      return value
  }
}

/**
 * Fills every absent field of `value` that `schema` gives a lenient default.
 *
 * @internal
 */
export const fill = (schema: Schema.Schema.Any, value: unknown): Filled => {
  const paths = new Set<string>()
  const filled = fillNode(schema.ast, value, "", paths)
  return { value: filled, paths: [...paths] }
}
