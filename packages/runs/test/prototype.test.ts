import { describe, expect, it } from "@effect/vitest"
import { Arbitrary, Either, FastCheck as fc, Schema } from "effect"
import { AssistantStreamEvent, Page, Run, RunStep } from "../src/index.js"
import { makeDecoder, resetWirePrototypes } from "../src/internal/decode.js"
import { compileFast } from "../src/internal/fastDecode.js"
import * as Json from "../src/internal/json.js"

/** Whether `proto` is one a decoded object may have: the built-in ones, or a class's (never `null`). */
const isPlainOrClass = (proto: object | null): boolean =>
  proto !== null && (proto === Object.prototype || proto === Array.prototype ||
    typeof Object.getOwnPropertyDescriptor(proto, "constructor")?.value === "function")

/** Every object reachable from `value` (own enumerable properties), iteratively. */
const objectsIn = (value: unknown): Array<object> => {
  const seen = new Set<object>()
  const stack = [value]
  while (stack.length > 0) {
    const node = stack.pop()
    if (typeof node !== "object" || node === null || seen.has(node)) continue
    seen.add(node)
    for (const key of Object.keys(node)) stack.push((node as Record<string, unknown>)[key])
  }
  return [...seen]
}

const noWirePrototype = (value: unknown) => {
  for (const node of objectsIn(value)) {
    expect(isPlainOrClass(Object.getPrototypeOf(node)), "a prototype from the wire").toBe(true)
  }
}

const noProtoKey = (value: unknown) => {
  for (const node of objectsIn(value)) expect(Object.hasOwn(node, "__proto__"), "an own __proto__ key").toBe(false)
}

const notPolluted = () => {
  expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  expect(Object.prototype.hasOwnProperty.call(Object.prototype, "polluted")).toBe(false)
}

/** An object with the given own entries, `__proto__` included as an own key (as `JSON.parse` makes it). */
const own = (entries: ReadonlyArray<readonly [string, unknown]>): Record<string, unknown> => {
  const out: Record<string, unknown> = {}
  for (const [key, value] of entries) {
    Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true })
  }
  return out
}

const hostileKey = fc.constantFrom("__proto__", "constructor", "prototype", "polluted", "toString", "hasOwnProperty")

/** JSON values whose objects use the hostile keys, at every level. */
const hostileValue: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.constantFrom("yes", 1, true, null),
    fc.array(tie("value"), { maxLength: 3 }),
    fc.array(fc.tuple(hostileKey, tie("value")), { maxLength: 4 }).map(own)
  )
})).value

/** The key `__proto__` as a server may spell it: plainly, or with escaped letters. */
const spellings = [
  "\"__proto__\"",
  "\"\\u005f_proto__\"",
  "\"__pr\\u006fto__\"",
  "\"\\u005F\\u005Fproto\\u005F\\u005F\""
]

/**
 * The JSON text of `base` with a hostile entry added to every other object (the first one included), the key
 * `__proto__` spelt as `spelling` says.
 */
const inject = (base: unknown, entries: ReadonlyArray<readonly [string, unknown]>, spelling: number): string => {
  let count = 0
  const visit = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(visit)
    if (typeof node !== "object" || node === null) return node
    const copy = own(Object.entries(node).map(([key, value]) => [key, visit(value)] as const))
    const index = count++
    if (index % 2 === 0) {
      const [key, value] = entries[index % entries.length]!
      if (!Object.hasOwn(copy, key)) Object.defineProperty(copy, key, { value, enumerable: true })
    }
    return copy
  }
  return JSON.stringify(visit(base)).replaceAll("\"__proto__\"", spellings[spelling % spellings.length]!)
}

const schemas: ReadonlyArray<readonly [string, Schema.Schema<any, any>]> = [
  ["Run", Run.Run],
  ["RunStep", RunStep.RunStep],
  ["a page of runs", Page.Page(Run.Run)],
  ["thread.message.completed", AssistantStreamEvent.dataSchemas["thread.message.completed"] as Schema.Schema<any, any>]
]

describe("no prototype from the wire: Json.parse", () => {
  it("drops __proto__ keys at every level, however spelt; keeps constructor and prototype as data", () => {
    for (const spelling of spellings) {
      const text = `{${spelling}:{"polluted":"yes"},"a":[{${spelling}:1,"b":{${spelling}:{"x":1}}}],` +
        `"constructor":{"prototype":{"polluted":"yes"}},"prototype":{"polluted":"yes"}}`
      const parsed = Either.getOrThrow(Json.parse(text))
      expect(parsed).toEqual({
        a: [{ b: {} }],
        constructor: { prototype: { polluted: "yes" } },
        prototype: { polluted: "yes" }
      })
      noProtoKey(parsed)
      noWirePrototype(parsed)
    }
    notPolluted()
  })

  it("a text without such a key is parsed by JSON.parse alone, escapes of other letters included", () => {
    const text = JSON.stringify({ text: "caf\u00e9 \u2713", n: [1, 2] }).replace("é", "\\u00e9")
    expect(Json.parse(text)).toEqual(Either.right(JSON.parse(text)))
  })
})

describe("no prototype from the wire: both decoding paths", () => {
  const tool = (parameters: string) => `{"type":"function","function":{"name":"f","parameters":${parameters}}}`
  const runText = (tools: string) =>
    JSON.stringify({
      ...Schema.encodeSync(Run.Run)(fc.sample(Arbitrary.make(Run.Run), { seed: 7, numRuns: 1 })[0]!),
      tools: []
    })
      .replace("\"tools\":[]", `"tools":[${tools}]`)

  it("Schema alone would take the prototype from a record's __proto__ key: that is why the guards exist", () => {
    const record = Schema.decodeUnknownSync(Schema.Record({ key: Schema.String, value: Schema.Unknown }))(
      JSON.parse(`{"__proto__":{"polluted":"yes"}}`)
    )
    expect((record as Record<string, unknown>).polluted).toBe("yes")
    expect(resetWirePrototypes(record)).toEqual({})
    expect((record as Record<string, unknown>).polluted).toBeUndefined()
  })

  it("a tool's parameters and an unknown tool with __proto__, given straight from JSON.parse: no prototype, equal", () => {
    const text = runText(
      `${
        tool(`{"__proto__":{"polluted":"yes"},"type":"object"}`)
      },{"type":"web_browser","__proto__":{"polluted":"yes"}}`
    )
    const json = JSON.parse(text)
    const fast = compileFast(Run.Run.ast)!(json)
    const slow = resetWirePrototypes(Schema.decodeUnknownSync(Run.Run, { onExcessProperty: "ignore" })(json))
    expect(fast).toBeDefined()
    expect(fast!.value).toEqual(slow)
    noWirePrototype(fast!.value)
    noWirePrototype(slow)
    expect(slow.tools[0]).toMatchObject({ type: "function", function: { parameters: { type: "object" } } })
    expect((slow.tools[0] as any).function.parameters.polluted).toBeUndefined()
    notPolluted()
  })

  it("a decoder Schema alone runs (no fast path) gives plain objects too", () => {
    const decoder = makeDecoder(Schema.suspend(() => Schema.Record({ key: Schema.String, value: Schema.Unknown })))
    const decoded = Either.getOrThrow(decoder.decode(JSON.parse(`{"__proto__":{"polluted":"yes"},"a":1}`)))
    expect(decoded).toEqual({ a: 1 })
    noWirePrototype(decoded)
  })

  for (const [name, schema] of schemas) {
    it(`${name} with __proto__, constructor and prototype keys at every level: equal results, no prototype set`, () => {
      const decoder = makeDecoder(schema)
      const fast = compileFast(schema.ast)!
      const slow = Schema.decodeUnknownEither(schema, { onExcessProperty: "ignore" })
      fc.assert(
        fc.property(
          Arbitrary.make(schema),
          fc.array(fc.tuple(hostileKey, hostileValue), { minLength: 1, maxLength: 6 }),
          fc.nat(),
          (value, entries, spelling) => {
            const text = inject(Schema.encodeSync(schema)(value), entries, spelling)
            // What the client does: parse (dropping __proto__), then decode.
            const parsed = Either.getOrThrow(Json.parse(text))
            noProtoKey(parsed)
            const viaParse = [decoder.decode(parsed), fast(parsed), slow(parsed)] as const
            // Defence in depth: the same text through JSON.parse alone, own __proto__ keys kept.
            const raw = JSON.parse(text)
            const viaRaw = [decoder.decode(raw), fast(raw), slow(raw)] as const
            for (const [production, fastResult, schemaResult] of [viaParse, viaRaw]) {
              const schemaValue = Either.isRight(schemaResult) ? resetWirePrototypes(schemaResult.right) : undefined
              expect(Either.isRight(production)).toBe(schemaValue !== undefined)
              if (fastResult !== undefined) {
                expect(schemaValue, "the fast path took what Schema rejects").toBeDefined()
                expect(fastResult.value).toEqual(schemaValue)
                noWirePrototype(fastResult.value)
              }
              if (schemaValue !== undefined && Either.isRight(production)) {
                expect(production.right).toEqual(schemaValue)
                noWirePrototype(production.right)
                noWirePrototype(schemaValue)
              }
            }
            if (Either.isRight(viaParse[0])) noProtoKey(viaParse[0].right)
            notPolluted()
          }
        ),
        { numRuns: 30 }
      )
    })
  }
})
