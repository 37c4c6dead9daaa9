import { Fault } from "@effect-openai/runs-emulator"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Either, Exit, Schema, Stream } from "effect"
import { Run, RunsService } from "../src/index.js"
import { decodeBody, decodeError, makeDecoder } from "../src/internal/decode.js"
import { decode as decodeEvents } from "../src/internal/eventStream.js"
import * as Json from "../src/internal/json.js"
import * as WireErrors from "../src/internal/wireErrors.js"
import { run1, withEmulator } from "./support/emulator.js"
import { runJson } from "./support/runJson.js"

/** `[[[…0…]]]`, or `{"a":{"a":…0…}}`, `depth` levels deep. */
const nested = (depth: number, kind: "array" | "object" = "array"): string =>
  kind === "array" ? "[".repeat(depth) + "0" + "]".repeat(depth) : "{\"a\":".repeat(depth) + "0" + "}".repeat(depth)

const deep = 100_000

const context = { status: 200, requestId: "req_1", attempts: 1, scrub: (text: string) => text }

describe("Json.parse: bounded nesting, checked before parsing", () => {
  it("the default bound is 100 levels: 100 parse, 101 do not", () => {
    expect(Json.defaultMaxDepth).toBe(100)
    for (const kind of ["array", "object"] as const) {
      expect(Either.isRight(Json.parse(nested(100, kind)))).toBe(true)
      expect(Json.parse(nested(101, kind))).toEqual(Either.left({ _tag: "TooDeep", maxDepth: 100 }))
    }
  })

  it("a text 100,000 levels deep is refused at once", () => {
    const text = nested(deep, "object")
    const before = process.cpuUsage()
    const result = Json.parse(text)
    const used = process.cpuUsage(before)
    expect(result).toEqual(Either.left({ _tag: "TooDeep", maxDepth: 100 }))
    expect((used.user + used.system) / 1000).toBeLessThan(200)
  })

  it("brackets inside strings do not count, escaped quotes and backslashes included", () => {
    const inString = JSON.stringify({ text: "[".repeat(500) + "\"{{{\\" + "{".repeat(500) })
    expect(Json.nestsDeeperThan(inString, 2)).toBe(false)
    expect(Json.parse(inString, 2)).toEqual(Either.right(JSON.parse(inString)))
    expect(Json.nestsDeeperThan(`["\\\\", [[1]]]`, 2)).toBe(true)
    expect(Json.nestsDeeperThan(`["\\"", [1]]`, 2)).toBe(false)
  })

  it("a text that is not JSON is a NotJson failure; one that is too deep and invalid, TooDeep", () => {
    expect(Either.getLeft(Json.parse("{oops")).pipe((left) => left._tag === "Some" && left.value._tag)).toBe("NotJson")
    expect(Json.parse("[".repeat(200))).toEqual(Either.left({ _tag: "TooDeep", maxDepth: 100 }))
  })

  it("safeStringify never throws", () => {
    const cyclic: Record<string, unknown> = {}
    cyclic.self = cyclic
    let tooDeep: unknown = 0
    for (let level = 0; level < deep; level++) tooDeep = [tooDeep]
    for (
      const value of [cyclic, 1n, {
        toJSON: () => {
          throw new Error("no")
        }
      }, tooDeep]
    ) {
      expect(typeof Json.safeStringify(value)).toBe("string")
    }
  })
})

describe("nothing a server sends 100,000 levels deep is a defect", () => {
  it("a body: ResponseDecodeError, the depth named", () => {
    const result = decodeBody(nested(deep), makeDecoder(Run.Run), context)
    expect(Either.isLeft(result) && result.left).toMatchObject({
      _tag: "ResponseDecodeError",
      message: expect.stringContaining("nests deeper than 100 levels"),
      path: [],
      status: 200,
      requestId: "req_1"
    })
  })

  it("a run whose metadata (or any field) nests that deep: ResponseDecodeError", () => {
    const text = JSON.stringify(runJson()).replace("\"metadata\":{}", `"metadata":{"k":${nested(deep, "object")}}`)
    const result = decodeBody(text, makeDecoder(Run.Run), context)
    expect(Either.isLeft(result) && result.left._tag).toBe("ResponseDecodeError")
  })

  it("a value that deep handed to a decoder directly (past Json.parse): a failure, not a stack overflow", () => {
    const body = runJson({ metadata: JSON.parse(`{"k":${nested(deep, "object")}}`) })
    const result = makeDecoder(Run.Run).decode(body)
    expect(result).toEqual(Either.left({ issues: [{ path: [], message: "is nested too deeply to decode" }] }))
    const error = decodeError("Run", { issues: [{ path: [], message: "x" }] }, body, context)
    expect(error.body.length).toBeLessThan(600)
  })

  it("an error body: the status error, with the text quoted", () => {
    const error = WireErrors.fromResponse(500, {} as never, `{"error":${nested(deep, "object")}}`, {
      attempts: 1,
      nowMs: 0,
      scrub: (text) => text
    })
    expect(error._tag).toBe("InternalServerError")
    expect(error.message.length).toBeLessThan(700)
  })

  const streamOf = (...events: ReadonlyArray<readonly [string, string]>) =>
    Stream.make(new TextEncoder().encode(events.map(([event, data]) => `event: ${event}\ndata: ${data}\n\n`).join("")))

  it.effect("an error event: ResponseDecodeError naming the event", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(
        Stream.runDrain(decodeEvents(streamOf(["error", nested(deep, "object")]), context))
      )
      expect(error).toMatchObject({
        _tag: "ResponseDecodeError",
        path: ["error"],
        message: expect.stringContaining("nests deeper than 100 levels")
      })
    }))

  it.effect("a run event whose metadata nests that deep: ResponseDecodeError", () =>
    Effect.gen(function*() {
      const data = JSON.stringify(runJson({ status: "queued" })).replace(
        "\"metadata\":{}",
        `"metadata":{"k":${nested(deep, "object")}}`
      )
      const error = yield* Effect.flip(Stream.runDrain(decodeEvents(streamOf(["thread.run.created", data]), context)))
      expect(error._tag).toBe("ResponseDecodeError")
    }))

  it.effect("an error event deeper than the stack, with the bound lifted: StreamEventError, not a defect", () =>
    Effect.gen(function*() {
      const exit = yield* Effect.exit(
        Stream.runDrain(
          decodeEvents(streamOf(["error", `{"detail":${nested(deep)}}`]), context, { maxDepth: Infinity })
        )
      )
      expect(Exit.isFailure(exit) && exit.cause._tag).toBe("Fail")
      expect(String(exit)).toContain("StreamEventError")
    }))

  it.effect("through the whole client: a 2xx body 100,000 levels deep is a ResponseDecodeError", () =>
    Effect.gen(function*() {
      const deepBody = JSON.stringify(runJson()).replace("\"metadata\":{}", `"metadata":${nested(deep, "object")}`)
      const error = yield* Effect.flip(
        Effect.flatMap(RunsService.RunsService, (runs) => runs.getRun("thread_1", "run_1")).pipe(
          withEmulator({ runs: [run1], faults: [Fault.status(200, { body: deepBody })] })
        )
      )
      expect(error._tag).toBe("ResponseDecodeError")
    }))

  it("Schema itself still dies on such a value: the guard is ours", () => {
    const value = JSON.parse(`{"k":${nested(deep, "object")}}`)
    expect(() => {
      const result = Schema.decodeUnknownEither(Schema.Record({ key: Schema.String, value: Schema.String }))(value)
      if (Either.isLeft(result)) String(result.left)
    }).toThrow(RangeError)
  })
})
