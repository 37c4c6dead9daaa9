/**
 * A fast path for decoding well-formed bodies: a schema's AST compiled once into plain functions that either give
 * exactly what `Schema.decodeUnknown` (with `onExcessProperty: "ignore"`) gives, or give up. Giving up costs
 * nothing but the attempt: the caller then decodes with Schema itself, which also reports the problem.
 *
 * It knows the AST nodes our response schemas use (keywords, literals, unions, refinements, arrays, structs and
 * records, property defaults, classes); a schema with any other node is not compiled. Equality with Schema's own
 * decoding is a property test (`test/fastDecode.test.ts`, and `test/prototype.test.ts` for `__proto__` keys, which
 * are checked but not copied where an object is copied: no input sets a prototype).
 *
 * @internal
 */
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as AST from "effect/SchemaAST"

/** The value a compiled decoder gives when it gives up. */
const giveUp: unique symbol = Symbol("giveUp")

type Decode = (input: unknown) => unknown

const parseOptions = { errors: "first", onExcessProperty: "ignore" } as const

const isObject = (u: unknown): u is Record<string, unknown> => typeof u === "object" && u !== null && !Array.isArray(u)

const compileTypeLiteral = (ast: AST.TypeLiteral): Decode | undefined => {
  const properties: Array<readonly [string, Decode, boolean]> = []
  for (const property of ast.propertySignatures) {
    const decode = compile(property.type)
    if (decode === undefined || typeof property.name !== "string") return undefined
    properties.push([property.name, decode, property.isOptional])
  }
  const indexes: Array<readonly [Decode, Decode]> = []
  for (const index of ast.indexSignatures) {
    const key = compile(index.parameter)
    const value = compile(index.type)
    if (key === undefined || value === undefined) return undefined
    indexes.push([key, value])
  }
  const known = new Set(properties.map(([name]) => name))
  return (input) => {
    if (!isObject(input)) return giveUp
    const out: Record<string, unknown> = {}
    for (const [name, decode, isOptional] of properties) {
      if (!Object.hasOwn(input, name)) {
        if (isOptional) continue
        return giveUp
      }
      const value = decode(input[name])
      if (value === giveUp) return giveUp
      out[name] = value
    }
    for (const [decodeKey, decodeValue] of indexes) {
      for (const key of Object.keys(input)) {
        if (known.has(key)) continue
        if (decodeKey(key) === giveUp) return giveUp
        const value = decodeValue(input[key])
        if (value === giveUp) return giveUp
        // `out["__proto__"] = value` would set the prototype: the key is checked but not copied, as `decode.ts`
        // makes Schema's result be.
        if (key !== "__proto__") out[key] = value
      }
    }
    return out
  }
}

const compileArray = (ast: AST.TupleType): Decode | undefined => {
  if (ast.elements.length > 0 || ast.rest.length !== 1) return undefined
  const item = compile(ast.rest[0]!.type)
  if (item === undefined) return undefined
  return (input) => {
    if (!Array.isArray(input)) return giveUp
    const out = new Array(input.length)
    for (let i = 0; i < input.length; i++) {
      const value = item(input[i])
      if (value === giveUp) return giveUp
      out[i] = value
    }
    return out
  }
}

const compileUnion = (ast: AST.Union): Decode | undefined => {
  const members: Array<Decode> = []
  for (const type of ast.types) {
    const decode = compile(type)
    if (decode === undefined) return undefined
    members.push(decode)
  }
  return (input) => {
    for (const decode of members) {
      const value = decode(input)
      if (value !== giveUp) return value
    }
    return giveUp
  }
}

const compileTransformation = (ast: AST.Transformation): Decode | undefined => {
  const from = compile(ast.from)
  if (from === undefined) return undefined
  const transformation = ast.transformation
  switch (transformation._tag) {
    case "TypeLiteralTransformation": {
      const steps = transformation.propertySignatureTransformations
      if (steps.some((step) => step.from !== step.to || typeof step.to !== "string")) return undefined
      return (input) => {
        const value = from(input)
        if (value === giveUp) return giveUp
        const out = value as Record<string, unknown>
        for (const step of steps) {
          const key = step.to as string
          const decoded = step.decode(Object.hasOwn(out, key) ? Option.some(out[key]) : Option.none())
          if (Option.isSome(decoded)) out[key] = decoded.value
          else delete out[key]
        }
        return out
      }
    }
    case "FinalTransformation":
      return (input) => {
        const value = from(input)
        if (value === giveUp) return giveUp
        const result = transformation.decode(value, parseOptions, ast, input)
        return Either.isEither(result) && Either.isRight(result) ? result.right : giveUp
      }
    case "ComposeTransformation":
      return undefined
  }
}

/** The compiled decoder of a node, or `undefined` when the node is not one this fast path knows. */
const compile = (ast: AST.AST): Decode | undefined => {
  switch (ast._tag) {
    case "StringKeyword":
      return (input) => typeof input === "string" ? input : giveUp
    case "NumberKeyword":
      return (input) => typeof input === "number" ? input : giveUp
    case "BooleanKeyword":
      return (input) => typeof input === "boolean" ? input : giveUp
    case "UndefinedKeyword":
      return (input) => input === undefined ? input : giveUp
    case "UnknownKeyword":
    case "AnyKeyword":
      return (input) => input
    case "Literal": {
      const literal = ast.literal
      return (input) => input === literal ? input : giveUp
    }
    case "Union":
      return compileUnion(ast)
    case "Refinement": {
      const from = compile(ast.from)
      if (from === undefined) return undefined
      return (input) => {
        const value = from(input)
        return value === giveUp || Option.isSome(ast.filter(value, parseOptions, ast)) ? giveUp : value
      }
    }
    case "TupleType":
      return compileArray(ast)
    case "TypeLiteral":
      return compileTypeLiteral(ast)
    case "Transformation":
      return compileTransformation(ast)
    default:
      return undefined
  }
}

/**
 * The fast decoder of a schema's AST: it gives the decoded value, or `undefined` when the input needs Schema's own
 * decoding (it is malformed, or takes a path the fast decoder does not know). `undefined` as a whole when the schema
 * cannot be compiled.
 *
 * @internal
 */
export const compileFast = (
  ast: AST.AST
): ((input: unknown) => { readonly value: unknown } | undefined) | undefined => {
  const decode = compile(ast)
  if (decode === undefined) return undefined
  return (input) => {
    const value = decode(input)
    return value === giveUp ? undefined : { value }
  }
}
