import { Run } from "@effect-openai/runs"
import { describe, expect, it } from "@effect/vitest"
import { Either, Schema } from "effect"
import { runPayloads } from "../support/fixtures.js"

const payloads = runPayloads()

describe("every Run payload among the fixtures decodes", () => {
  it("finds the payloads (spec examples, recordings, seed)", () => {
    expect(payloads.length).toBeGreaterThanOrEqual(20)
    const sources = new Set(payloads.map(([name]) => name.split("/")[0]))
    expect([...sources].sort()).toEqual(["recorded-openai-dotnet", "recorded-ruby-openai", "seed", "spec-examples"])
  })

  for (const [name, json] of payloads) {
    it(name, () => {
      const result = Schema.decodeUnknownEither(Run.Run)(json)
      if (Either.isLeft(result)) expect.fail(String(result.left))
      else expect(result.right.id).toBe((json as { id: string }).id)
    })
  }
})
