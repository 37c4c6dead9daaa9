import { Emulator } from "@effect-openai/runs-emulator"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Either } from "effect"
import { RunRequest, RunsService } from "../src/index.js"
import { validator } from "../src/internal/checks.js"
import { findUnserialisable, pathSegment, queryValue, toJsonText } from "../src/internal/serialise.js"
import { run1, withEmulator } from "./support/emulator.js"

const refusal = <A>(result: Either.Either<A, { readonly field: string; readonly message: string }>) =>
  Either.isLeft(result) ? { field: result.left.field, message: result.left.message } : "accepted"

const tool = (parameters: unknown) => ({ tools: [{ type: "function", function: { name: "f", parameters } }] })

describe("toJsonText: a body that cannot be serialised names the value at fault", () => {
  it("gives JSON.stringify's text when it works, shared references included", () => {
    const shared = { a: 1 }
    const value = { x: shared, y: [shared, shared], z: new Date(0), u: undefined, n: Number.NaN }
    expect(toJsonText("params", value)).toEqual(Either.right(JSON.stringify(value)))
  })

  it("a BigInt, deep in a tool's parameters", () => {
    expect(refusal(toJsonText("params", tool({ x: { y: [1, 2n] } })))).toEqual({
      field: "params.tools.0.function.parameters.x.y.1",
      message: "params.tools.0.function.parameters.x.y.1 is a BigInt, which JSON cannot hold"
    })
    expect(refusal(toJsonText("params", { boxed: Object(3n) }))).toMatchObject({ field: "params.boxed" })
  })

  it("a cycle, named where it closes", () => {
    const parameters: Record<string, unknown> = { type: "object" }
    parameters.properties = { self: parameters }
    expect(refusal(toJsonText("params", tool(parameters)))).toMatchObject({
      field: "params.tools.0.function.parameters.properties.self",
      message: expect.stringContaining("a cycle")
    })
  })

  it("a toJSON that throws, or whose getter throws, or that gives a BigInt", () => {
    const throwing = {
      toJSON: () => {
        throw new Error("no")
      }
    }
    expect(refusal(toJsonText("params", { metadata: { a: throwing } }))).toMatchObject({
      field: "params.metadata.a",
      message: expect.stringContaining("toJSON method threw")
    })
    const getter = Object.defineProperty({}, "toJSON", {
      get: () => {
        throw new Error("no")
      },
      enumerable: false
    })
    expect(refusal(toJsonText("params", { g: getter }))).toMatchObject({ field: "params.g" })
    expect(refusal(toJsonText("params", { b: { toJSON: () => 5n } }))).toMatchObject({
      field: "params.b",
      message: expect.stringContaining("BigInt")
    })
  })

  it("a getter that throws, in an object or an array", () => {
    const object = Object.defineProperty({ ok: 1 }, "bad", {
      get: () => {
        throw new Error("no")
      },
      enumerable: true
    })
    expect(refusal(toJsonText("params", tool(object)))).toMatchObject({
      field: "params.tools.0.function.parameters.bad",
      message: expect.stringContaining("getter threw")
    })
    const array = Object.defineProperty([1, 2], 1, {
      get: () => {
        throw new Error("no")
      }
    })
    expect(refusal(toJsonText("params", { a: array }))).toMatchObject({ field: "params.a.1" })
  })

  it("a proxy whose keys cannot be listed", () => {
    const { proxy, revoke } = Proxy.revocable({}, {})
    revoke()
    expect(refusal(toJsonText("params", { p: proxy }))).toMatchObject({ field: "params.p" })
  })

  it("the first problem in JSON.stringify's order is the one named", () => {
    const later = Object.defineProperty({}, "g", {
      get: () => {
        throw new Error("no")
      },
      enumerable: true
    })
    expect(refusal(toJsonText("params", { a: { b: 1n }, c: later }))).toMatchObject({ field: "params.a.b" })
  })

  it("a value nested 100,000 deep: refused, the path cut, no stack overflow", () => {
    let deep: unknown = 0
    for (let level = 0; level < 100_000; level++) deep = { a: deep }
    const result = refusal(toJsonText("params", tool(deep)))
    expect(result).toMatchObject({ message: expect.stringContaining("nests deeper than 1000 levels") })
    expect(typeof result === "object" && result.field.length).toBeLessThan(200)
  })

  it("a value that is not JSON at all", () => {
    for (const value of [undefined, () => 1, Symbol("s"), { toJSON: () => undefined }]) {
      expect(refusal(toJsonText("params", value))).toMatchObject({ field: "params" })
    }
  })

  it("findUnserialisable finds nothing in what JSON.stringify takes", () => {
    expect(findUnserialisable({ a: [1, "x", null, { b: true }], d: new Date(0), m: new Map([[1, 2]]) })).toBeUndefined()
  })
})

describe("ids, cursors and URL parts must be well-formed Unicode", () => {
  it("pathSegment and queryValue refuse a lone surrogate, naming the field", () => {
    expect(pathSegment("runId", "run_1 /x")).toEqual(Either.right("run_1%20%2Fx"))
    expect(refusal(pathSegment("runId", "run_\uD800"))).toMatchObject({ field: "runId" })
    expect(refusal(pathSegment("runId", "run_\uDC00x"))).toMatchObject({ field: "runId" })
    expect(pathSegment("runId", "run_😀")).toEqual(Either.right(encodeURIComponent("run_😀")))
    expect(queryValue("params.after", "run_😀")).toEqual(Either.right("run_😀"))
    expect(refusal(queryValue("params.after", "run_\uD83D"))).toMatchObject({ field: "params.after" })
  })

  const operations = (runs: RunsService.Service) =>
    [
      ["getRun threadId", runs.getRun("thread_\uD800", "run_1"), "threadId"],
      ["getRun runId", runs.getRun("thread_1", "run_\uDFFF"), "runId"],
      ["listRuns after", runs.listRuns("thread_1", { after: "run_\uD800" }), "params.after"],
      ["listRuns before", runs.listRuns("thread_1", { before: "\uDC00run" }), "params.before"],
      ["listRunSteps after", runs.listRunSteps("thread_1", "run_1", { after: "step_\uD800" }), "params.after"],
      ["createRun assistant_id", runs.createRun("thread_1", { assistant_id: "asst_\uD800" }), "params.assistant_id"],
      [
        "submit tool_call_id",
        runs.submitToolOutputsToRun("thread_1", "run_1", {
          tool_outputs: [{ tool_call_id: "call_\uD800", output: "x" }]
        }),
        "params.tool_outputs.0.tool_call_id"
      ]
    ] as const

  it.effect("a lone surrogate in an id or a cursor: InvalidRequestError naming it, nothing sent", () =>
    Effect.gen(function*() {
      const runs = yield* RunsService.RunsService
      const emulator = yield* Emulator.Emulator
      for (const [name, operation, field] of operations(runs)) {
        const error = yield* Effect.flip(operation as Effect.Effect<unknown, { readonly _tag: string }>)
        expect(error, name).toMatchObject({
          _tag: "InvalidRequestError",
          field,
          message: expect.stringContaining("well-formed Unicode")
        })
      }
      expect(emulator.requests()).toEqual([])
    }).pipe(withEmulator({ runs: [run1] })))
})

describe("checking inputs never dies", () => {
  const check = validator(RunRequest.CreateRunRequest)

  it.effect("a getter that throws while the input is checked: InvalidRequestError naming it", () =>
    Effect.gen(function*() {
      const params = Object.defineProperty({ assistant_id: "asst_1" }, "instructions", {
        get: () => {
          throw new Error("no")
        },
        enumerable: true
      })
      expect(yield* Effect.flip(check("params", params))).toMatchObject({
        _tag: "InvalidRequestError",
        field: "params.instructions",
        message: "params.instructions could not be read: its getter threw"
      })
    }))

  for (const depth of [5_000, 100_000]) {
    it.effect(`metadata nested ${depth} deep: InvalidRequestError, no stack overflow`, () =>
      Effect.gen(function*() {
        let deep: unknown = "x"
        for (let level = 0; level < depth; level++) deep = { a: deep }
        const error = yield* Effect.flip(check("params", { assistant_id: "asst_1", metadata: { k: deep } }))
        expect(error._tag).toBe("InvalidRequestError")
        expect(error.field.startsWith("params.metadata")).toBe(true)
      }))
  }
})
