import { describe, expect, it } from "@effect/vitest"
import { Either, Schema } from "effect"
import { Run } from "../src/index.js"
import { runJson } from "./support/runJson.js"

const decode = Schema.decodeUnknownEither(Run.Run)

const decoded = (json: unknown): Run.Run => {
  const result = decode(json)
  if (Either.isLeft(result)) throw new Error(String(result.left))
  return result.right
}

const omit = (json: Record<string, unknown>, ...keys: ReadonlyArray<string>) =>
  Object.fromEntries(Object.entries(json).filter(([key]) => !keys.includes(key)))

describe("Run schema", () => {
  it("decodes a complete run into a Run instance", () => {
    const run = decoded(runJson())
    expect(run).toBeInstanceOf(Run.Run)
    expect(run.usage?.total_tokens).toBe(579)
    expect(run.truncation_strategy).toEqual({ type: "auto", last_messages: null })
  })

  describe("tolerates what real servers send", () => {
    it("a missing required_action is null", () => {
      expect(decoded(omit(runJson(), "required_action")).required_action).toBeNull()
    })

    it("instructions may be null", () => {
      expect(decoded(runJson({ instructions: null })).instructions).toBeNull()
    })

    it("a missing parallel_tool_calls is true", () => {
      expect(decoded(omit(runJson(), "parallel_tool_calls")).parallel_tool_calls).toBe(true)
      expect(decoded(runJson({ parallel_tool_calls: false })).parallel_tool_calls).toBe(false)
    })

    it("nullable fields that are missing are null", () => {
      const run = decoded(omit(runJson(), "max_prompt_tokens", "truncation_strategy", "incomplete_details", "top_p"))
      expect([run.max_prompt_tokens, run.truncation_strategy, run.incomplete_details, run.top_p]).toEqual([
        null,
        null,
        null,
        null
      ])
    })

    it("unknown extra fields are ignored", () => {
      const run = decoded(runJson({ tool_resources: {}, reasoning_effort: null, brand_new: { x: 1 } } as never))
      expect(run).not.toHaveProperty("brand_new")
      expect(run).not.toHaveProperty("tool_resources")
    })

    it("a tool of a new type decodes as an unknown tool, keeping its fields", () => {
      const run = decoded(
        runJson({
          tools: [{ type: "web_browser", web_browser: { depth: 2 } }, { type: "function", function: { name: "f" } }]
        })
      )
      expect(run.tools).toEqual([
        { type: "web_browser", web_browser: { depth: 2 } },
        { type: "function", function: { name: "f" } }
      ])
    })

    it("a last_error code the spec does not list still decodes", () => {
      const run = decoded(runJson({ status: "failed", last_error: { code: "brand_new_code", message: "m" } }))
      expect(run.last_error?.code).toBe("brand_new_code")
    })

    it("every response_format and tool_choice form decodes", () => {
      const formats = ["auto", { type: "text" }, { type: "json_object" }, {
        type: "json_schema",
        json_schema: { name: "x", schema: { type: "object" }, strict: true }
      }]
      for (const response_format of formats) {
        expect(decoded(runJson({ response_format })).response_format).toEqual(response_format)
      }
      const choices = ["none", "auto", "required", { type: "file_search" }, {
        type: "function",
        function: { name: "f" }
      }]
      for (const tool_choice of choices) expect(decoded(runJson({ tool_choice })).tool_choice).toEqual(tool_choice)
    })

    it("a requires_action run carries its tool calls", () => {
      const run = decoded(runJson({
        status: "requires_action",
        required_action: {
          type: "submit_tool_outputs",
          submit_tool_outputs: {
            tool_calls: [{ id: "call_1", type: "function", function: { name: "f", arguments: "{}" } }]
          }
        }
      }))
      expect(run.required_action?.submit_tool_outputs.tool_calls[0]?.id).toBe("call_1")
    })
  })

  describe("rejects what is really malformed", () => {
    const cases: ReadonlyArray<readonly [string, unknown, ReadonlyArray<string>]> = [
      ["missing id", omit(runJson(), "id"), ["id"]],
      ["missing status", omit(runJson(), "status"), ["status"]],
      ["a status outside the enum", runJson({ status: "paused" }), ["status"]],
      ["created_at as a string", runJson({ created_at: "yesterday" }), ["created_at"]],
      ["tools not an array", runJson({ tools: "none" }), ["tools"]],
      ["a function tool without its function", runJson({ tools: [{ type: "function" }] }), ["tools", "0"]],
      ["a metadata value that is not a string", runJson({ metadata: { a: 1 } }), ["metadata", "a"]],
      ["the wrong object type", runJson({ object: "thread.message" }), ["object"]],
      ["not an object at all", [1, 2], []]
    ]
    for (const [name, json, path] of cases) {
      it(name, () => {
        const result = decode(json)
        expect(Either.isLeft(result)).toBe(true)
        if (Either.isLeft(result)) expect(String(result.left)).toContain(path.at(-1) ?? "")
      })
    }
  })

  it("status predicates split every status into exactly one class", () => {
    for (const status of Run.RunStatus.literals) {
      const classes = [Run.isTerminal(status), Run.isPending(status), Run.requiresAction(status)]
      expect(classes.filter(Boolean)).toHaveLength(1)
    }
    expect(Run.RunStatus.literals.filter(Run.isTerminal)).toEqual([
      "cancelled",
      "failed",
      "completed",
      "incomplete",
      "expired"
    ])
    expect(Run.isSuccess("completed")).toBe(true)
    expect(Run.isSuccess("failed")).toBe(false)
  })

  it("encodes back to the wire form it came from", () => {
    const json = runJson()
    expect(Schema.encodeSync(Run.Run)(decoded(json))).toEqual(json)
  })
})
