import { Emulator, Fault } from "@effect-openai/runs-emulator"
import { describe, expect, it, layer } from "@effect/vitest"
import { Cause, Chunk, Effect, Either, Exit, FastCheck as fc, Schema, Stream } from "effect"
import { AssistantStreamEvent, Page, Run, RunsService, RunStep } from "../src/index.js"
import { makeDecoder } from "../src/internal/decode.js"
import { decode as decodeEvents, sseEvents } from "../src/internal/eventStream.js"
import { makeParser, type SseEvent } from "../src/internal/sse.js"
import { emulatorLayer } from "./support/emulator.js"
import { runJson } from "./support/runJson.js"

const context = { status: 200, requestId: null, attempts: 1, scrub: (text: string) => text }

/** encode → JSON → decode → encode gives the same JSON. */
const roundTrips = <A, I>(schema: Schema.Schema<A, I>) => {
  const encode = Schema.encodeSync(schema)
  const decode = Schema.decodeUnknownSync(schema)
  return (value: A) => {
    const wire = JSON.stringify(encode(value))
    expect(JSON.stringify(encode(decode(JSON.parse(wire))))).toBe(wire)
  }
}

describe("round trips of every generated value", () => {
  it.prop("Run", [Run.Run], ([run]) => roundTrips(Run.Run)(run), { fastCheck: { numRuns: 150 } })
  it.prop("RunStep", [RunStep.RunStep], ([step]) => roundTrips(RunStep.RunStep)(step), { fastCheck: { numRuns: 150 } })
  const RunPage = Page.Page(Run.Run)
  it.prop("a page of runs", [RunPage], ([page]) => roundTrips(RunPage)(page), { fastCheck: { numRuns: 40 } })
  it.prop(
    "every stream event",
    [AssistantStreamEvent.KnownEvent],
    ([event]) => roundTrips(AssistantStreamEvent.KnownEvent)(event),
    { fastCheck: { numRuns: 150 } }
  )
})

/** Small changes a broken server or proxy could make to a valid payload. */
const mutation = (base: Record<string, unknown>) => {
  const keys = Object.keys(base)
  return fc.oneof(
    fc.constantFrom(...keys).map((key) => Object.fromEntries(Object.entries(base).filter(([k]) => k !== key))),
    fc.tuple(fc.constantFrom(...keys), fc.jsonValue()).map(([key, value]) => ({ ...base, [key]: value })),
    fc.jsonValue(),
    fc.anything()
  )
}

describe("mutated payloads decode or fail with ResponseDecodeError: never a defect", () => {
  const decodeRun = makeDecoder(Run.Run)
  it.prop("Run decoder: a Run, or a failure naming a path and a message", [mutation(runJson())], ([json]) => {
    const result = decodeRun.decode(json)
    if (Either.isRight(result)) expect(result.right).toBeInstanceOf(Run.Run)
    else expect(typeof result.left.issues[0].message).toBe("string")
  }, { fastCheck: { numRuns: 500 } })

  layer(emulatorLayer({ client: { maxRetries: 0 } }))((it) => {
    it.effect.prop(
      "random bytes as a 2xx body through the whole client",
      [fc.uint8Array({ maxLength: 300 })],
      ([bytes]) =>
        Effect.gen(function*() {
          const emulator = yield* Emulator.Emulator
          emulator.clearRequests()
          emulator.enqueueFault(Fault.status(200, { body: new TextDecoder().decode(bytes) }))
          const exit = yield* Effect.exit(
            Effect.flatMap(RunsService.RunsService, (runs) => runs.getRun("thread_1", "run_1"))
          )
          if (Exit.isFailure(exit)) {
            expect(Cause.isFailType(exit.cause) && exit.cause.error._tag).toBe("ResponseDecodeError")
          }
          expect(emulator.requests()).toHaveLength(1)
        }),
      { fastCheck: { numRuns: 150 } }
    )
  })
})

/**
 * The SSE parser against an oracle: streams written from a list of generated events, read back whole and in every
 * chunking, must give exactly those events.
 */
describe("the SSE parser reads back what was written", () => {
  /** A field value: any code points (no half surrogates: the text survives UTF-8), but no line break. */
  const value = fc.string({ unit: "binary", maxLength: 12 }).map((text) => text.replace(/[\r\n]/g, ""))
  const nonAsciiValue = fc.constantFrom("héllo wörld", "— ✓ 🎉", "\uFEFFbom inside", "日本語", " leading space", "")

  /** One line of an event block, as the model sees it. */
  type Field =
    | { readonly kind: "event" | "data" | "id"; readonly value: string }
    | { readonly kind: "comment"; readonly text: string }
    | { readonly kind: "other"; readonly name: string; readonly value: string }

  const field: fc.Arbitrary<Field> = fc.oneof(
    { weight: 2, arbitrary: fc.record({ kind: fc.constant("event" as const), value }) },
    { weight: 4, arbitrary: fc.record({ kind: fc.constant("data" as const), value: fc.oneof(value, nonAsciiValue) }) },
    {
      weight: 1,
      arbitrary: fc.record({ kind: fc.constant("id" as const), value: fc.oneof(value, fc.constant("7\u0000")) })
    },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant("comment" as const), text: value }) },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant("other" as const),
        name: fc.constantFrom("retry", "Data", "EVENT", "ids", "data ", "événement"),
        value
      })
    }
  )

  /** How a line is written: which of the forms of a field with this value, and its line ending. */
  const style = fc.record({
    space: fc.boolean(),
    bare: fc.boolean(),
    eol: fc.constantFrom("\n", "\r", "\r\n")
  })

  const block = fc.record({
    lines: fc.array(fc.tuple(field, style), { maxLength: 6 }),
    end: fc.constantFrom("\n", "\r", "\r\n"),
    extraBlankLine: fc.boolean()
  })

  const stream = fc.record({
    bom: fc.boolean(),
    blocks: fc.array(block, { maxLength: 6 }),
    /** The last block's blank line, or even its last line ending, may be missing: the end dispatches it. */
    unterminated: fc.constantFrom("no", "blank line", "line ending")
  })

  type Generated = typeof stream extends fc.Arbitrary<infer A> ? A : never

  const render = (line: Field, how: { readonly space: boolean; readonly bare: boolean }): string => {
    if (line.kind === "comment") return `:${line.text}`
    const name = line.kind === "other" ? line.name : line.kind
    // An empty value may lose its colon; a value starting with a space needs the one space that is stripped.
    if (line.value === "" && how.bare) return name
    return `${name}:${how.space || line.value.startsWith(" ") ? " " : ""}${line.value}`
  }

  /** The text of a generated stream. */
  const write = (generated: Generated): string => {
    const lines: Array<readonly [string, string]> = []
    generated.blocks.forEach((block) => {
      for (const [line, how] of block.lines) lines.push([render(line, how), how.eol])
      lines.push(["", block.end])
      if (block.extraBlankLine) lines.push(["", block.end])
    })
    if (generated.unterminated !== "no" && generated.blocks.length > 0) {
      while (lines.length > 0 && lines[lines.length - 1]![0] === "") lines.pop()
      if (generated.unterminated === "line ending" && lines.length > 0) {
        lines[lines.length - 1] = [lines[lines.length - 1]![0], ""]
      }
    }
    let text = generated.bom ? "\uFEFF" : ""
    let previous = ""
    for (const [content, ending] of lines) {
      // A CR, then a blank line starting with LF, would read as one CRLF: that blank line ends with a CR instead.
      const eol = previous === "\r" && content === "" && ending.startsWith("\n") ? "\r" : ending
      text += content + eol
      previous = eol
    }
    return text
  }

  /** The events the generated stream holds, by the format's rules, independently of the parser. */
  const expected = (generated: Generated): Array<SseEvent> => {
    const events: Array<SseEvent> = []
    let lastId: string | undefined
    for (const block of generated.blocks) {
      let name: string | undefined
      const data: Array<string> = []
      for (const [line] of block.lines) {
        if (line.kind === "event") name = line.value
        if (line.kind === "data") data.push(line.value)
        if (line.kind === "id" && !line.value.includes("\u0000")) lastId = line.value
      }
      if (data.length > 0) events.push({ event: name ?? "message", data: data.join("\n"), id: lastId })
    }
    return events
  }

  const parseChunks = (chunks: ReadonlyArray<string>): Array<SseEvent> => {
    const parser = makeParser()
    return [...chunks.flatMap((chunk) => Either.getOrThrow(parser.feed(chunk))), ...parser.end()]
  }

  /**
   * Where a stream is cut: at random places, right after some CRs (where a CRLF splits), and with empty chunks put in
   * here and there (a reader may hand one over).
   */
  const chunking = fc.record({
    at: fc.array(fc.nat(), { maxLength: 12 }),
    afterCr: fc.array(fc.nat(), { maxLength: 4 }),
    empty: fc.array(fc.nat(), { maxLength: 3 })
  })

  const split = <A extends { readonly length: number; readonly slice: (start: number, end?: number) => A }>(
    whole: A,
    codeAt: (index: number) => number | undefined,
    empty: A,
    how: typeof chunking extends fc.Arbitrary<infer C> ? C : never
  ): Array<A> => {
    const afterCrs = Array.from({ length: whole.length }, (_, index) => index + 1).filter((end) =>
      codeAt(end - 1) === 13
    )
    const cuts = [
      ...how.at.map((position) => position % (whole.length + 1)),
      ...(afterCrs.length === 0 ? [] : how.afterCr.map((index) => afterCrs[index % afterCrs.length]!))
    ].sort((a, b) => a - b)
    const bounds = [0, ...cuts, whole.length]
    const chunks = bounds.slice(1).map((end, index) => whole.slice(bounds[index]!, end))
    for (const at of how.empty) chunks.splice(at % (chunks.length + 1), 0, empty)
    return chunks
  }

  /** The bytes of a stream in these chunks, through the text decoder and the parser, as a response body is read. */
  const parseBytes = (chunks: ReadonlyArray<Uint8Array>): Array<SseEvent> =>
    Chunk.toArray(Effect.runSync(Stream.runCollect(sseEvents(Stream.decodeText(Stream.fromIterable(chunks))))))

  it.prop(
    "whole, in random chunks, a character or a byte at a time: exactly the events written",
    { generated: stream, textChunks: chunking, byteChunks: chunking },
    ({ byteChunks, generated, textChunks }) => {
      const text = write(generated)
      const events = expected(generated)
      const bytes = new TextEncoder().encode(text)
      expect(parseChunks([text])).toEqual(events)
      expect(parseChunks(split(text, (index) => text.charCodeAt(index), "", textChunks))).toEqual(events)
      expect(parseChunks(text.split(""))).toEqual(events)
      expect(parseBytes(split(bytes, (index) => bytes[index], new Uint8Array(0), byteChunks))).toEqual(events)
      expect(parseBytes(Array.from(bytes, (byte) => Uint8Array.of(byte)))).toEqual(events)
    },
    { fastCheck: { numRuns: 300 } }
  )

  it("the generator writes every feature it claims to", () => {
    const texts = fc.sample(stream, { numRuns: 300, seed: 1 }).map(write)
    const features: ReadonlyArray<readonly [string, RegExp]> = [
      ["a byte order mark", /^\uFEFF/],
      ["CRLF, CR and LF endings", /\r\n[^]*\r[^\n][^]*[^\r]\n/],
      ["a comment", /(^|[\r\n]):/],
      ["a field without a colon", /(^|[\r\n])data(\r|\n|$)/],
      ["a field without a space", /(^|[\r\n])data:[^ \r\n]/],
      ["a value with a leading space", /(^|[\r\n])data:  /],
      ["an unknown field", /(^|[\r\n])retry/],
      ["an id with a NUL", /id: ?7\u0000/],
      ["astral code points", /🎉/],
      ["an unterminated last line", /[^\r\n]$/]
    ]
    for (const [feature, pattern] of features) expect(texts.some((text) => pattern.test(text)), feature).toBe(true)
    expect(fc.sample(stream, { numRuns: 300, seed: 1 }).filter((generated) => expected(generated).length > 2).length)
      .toBeGreaterThan(30)
  })
})

describe("the SSE path under random input", () => {
  it.effect.prop(
    "random bytes as an event stream end in events or a typed failure, never a defect or a hang",
    [
      fc.array(
        fc.oneof(
          fc.uint8Array({ maxLength: 50 }),
          fc.constant(new TextEncoder().encode("event: thread.run.created\ndata: {}\n\n"))
        ),
        { maxLength: 10 }
      )
    ],
    ([chunks]) =>
      Effect.gen(function*() {
        const exit = yield* Effect.exit(Stream.runDrain(decodeEvents(Stream.fromIterable(chunks), context)))
        if (Exit.isFailure(exit)) {
          const tag = Cause.isFailType(exit.cause) ? exit.cause.error._tag : "defect"
          expect(["ResponseDecodeError", "StreamEventError"]).toContain(tag)
        }
      }),
    { fastCheck: { numRuns: 200 } }
  )
})
