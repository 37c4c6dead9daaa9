import { describe, expect, it } from "@effect/vitest"
import { Either, FastCheck as fc, Schema } from "effect"
import { readdirSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { AssistantStreamEvent, Message, Page, Run, RunStep, Thread } from "../src/index.js"
import { compileFast } from "../src/internal/fastDecode.js"
import { runJson } from "./support/runJson.js"

const schemas: ReadonlyArray<readonly [string, Schema.Schema<any, any>]> = [
  ["Run", Run.Run],
  ["RunStep", RunStep.RunStep],
  ["a page of runs", Page.Page(Run.Run)],
  ["a page of steps", Page.Page(RunStep.RunStep)],
  ["a page of messages", Page.Page(Message.Message)],
  ["ThreadDeleted", Thread.ThreadDeleted],
  ["MessageDeleted", Message.MessageDeleted],
  ...Object.entries(AssistantStreamEvent.dataSchemas).map(([name, schema]) =>
    [name, schema as Schema.Schema<any, any>] as const
  )
]

/** The fast path must give exactly what Schema gives, whenever it gives anything. */
const agrees = (schema: Schema.Schema<any, any>, json: unknown) => {
  const fast = compileFast(schema.ast)!(json)
  const slow = Schema.decodeUnknownEither(schema, { onExcessProperty: "ignore" })(json)
  if (fast === undefined) return { fast: false, slow: Either.isRight(slow) }
  expect(Either.isRight(slow), "the fast path accepted what Schema rejects").toBe(true)
  if (Either.isRight(slow)) {
    expect(fast.value).toEqual(slow.right)
    expect(Object.getPrototypeOf(fast.value)).toBe(Object.getPrototypeOf(slow.right))
  }
  return { fast: true, slow: true }
}

describe("the fast decoding path", () => {
  for (const [name, schema] of schemas) {
    it(`compiles ${name}`, () => expect(compileFast(schema.ast)).toBeDefined())
  }

  it("takes every fixture that holds a run, a step, a thread, a message or a page, with Schema's result", () => {
    const dir = fileURLToPath(new URL("../../../test/fixtures/", import.meta.url))
    let taken = 0
    for (const path of readdirSync(dir, { recursive: true, encoding: "utf8" }).filter((p) => p.endsWith(".json"))) {
      const json = JSON.parse(readFileSync(join(dir, path), "utf8"))
      const items: Record<string, Schema.Schema<any, any>> = {
        "thread.run": Run.Run,
        "thread.run.step": RunStep.RunStep,
        "thread": Thread.Thread,
        "thread.message": Message.Message,
        "thread.deleted": Thread.ThreadDeleted,
        "thread.message.deleted": Message.MessageDeleted
      }
      const schema = json.object === "list"
        ? Page.Page(items[json.data[0]?.object ?? "thread.run"]!)
        : items[json.object]
      if (schema === undefined) continue
      expect(agrees(schema, json), path).toEqual({ fast: true, slow: true })
      taken++
    }
    expect(taken).toBeGreaterThanOrEqual(40)
  })

  for (const [name, schema] of schemas) {
    it.prop(`agrees with Schema on every generated ${name}, and takes them all`, [schema], ([value]) => {
      const json = JSON.parse(JSON.stringify(Schema.encodeSync(schema)(value)))
      expect(agrees(schema, json)).toEqual({ fast: true, slow: true })
    }, { fastCheck: { numRuns: 60 } })
  }

  const base = runJson()
  const keys = Object.keys(base)
  it.prop(
    "never accepts a mutated run that Schema rejects, nor differs from it",
    [
      fc.oneof(
        fc.constantFrom(...keys).map((key) => Object.fromEntries(Object.entries(base).filter(([k]) => k !== key))),
        fc.tuple(fc.constantFrom(...keys), fc.jsonValue()).map(([key, value]) => ({ ...base, [key]: value })),
        fc.jsonValue()
      )
    ],
    ([json]) => {
      agrees(Run.Run, json)
    },
    { fastCheck: { numRuns: 1000 } }
  )
})
