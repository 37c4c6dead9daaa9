import { describe, expect, it } from "@effect/vitest"
import { Chunk, Effect, Either, FastCheck as fc, Stream } from "effect"
import { decode as decodeEvents, sseEvents } from "../src/internal/eventStream.js"
import { defaultMaxEventBytes, makeParser, type SseEvent, type SseOptions } from "../src/internal/sse.js"

/** What a parser made of some chunks: the events, and whether (and after which events) it overflowed. */
const parse = (chunks: ReadonlyArray<string>, options: SseOptions = {}) => {
  const parser = makeParser(options)
  const events: Array<SseEvent> = []
  for (const chunk of chunks) {
    const result = parser.feed(chunk)
    if (Either.isLeft(result)) {
      events.push(...result.left.events)
      return { events, overflow: true }
    }
    events.push(...result.right)
  }
  return { events: [...events, ...parser.end()], overflow: false }
}

/** The text in pieces of `size` characters. */
const pieces = (text: string, size: number): Array<string> => {
  const out: Array<string> = []
  for (let index = 0; index < text.length; index += size) out.push(text.slice(index, index + size))
  return out
}

/**
 * The CPU time `f` takes, in milliseconds: this process's own, so that other processes on a loaded machine do not
 * count (vitest runs each test file in a process of its own).
 */
const cpuMillis = (f: () => void): number => {
  const before = process.cpuUsage()
  f()
  const used = process.cpuUsage(before)
  return (used.user + used.system) / 1000
}

/** The best of `rounds` CPU timings of feeding a single data line of `bytes` bytes in 64 KiB chunks. */
const timeOneLine = (bytes: number, rounds = 5): number => {
  const chunk = "x".repeat(64 * 1024)
  let best = Number.POSITIVE_INFINITY
  for (let round = 0; round < rounds; round++) {
    let length = 0
    best = Math.min(
      best,
      cpuMillis(() => {
        const parser = makeParser({ maxEventBytes: Number.POSITIVE_INFINITY })
        Either.getOrThrow(parser.feed("data: "))
        for (let fed = 0; fed < bytes; fed += chunk.length) Either.getOrThrow(parser.feed(chunk))
        length = parser.end()[0]!.data.length
      })
    )
    expect(length).toBeGreaterThanOrEqual(bytes)
  }
  return best
}

describe("SSE parser: work linear in the input, whatever the chunking", () => {
  it("a 50 MB line fed in 64 KiB chunks is parsed in well under a second of CPU (the old parser took ~18 s)", () => {
    expect(timeOneLine(50 * 1024 * 1024, 2)).toBeLessThan(1500)
  })

  it("eight times the input takes about eight times the time, not sixty-four", () => {
    const small = timeOneLine(4 * 1024 * 1024)
    const large = timeOneLine(32 * 1024 * 1024)
    // Linear work gives about 8 (CPU time, best of five); quadratic work would give about 64.
    expect(large / Math.max(small, 1)).toBeLessThan(24)
  })

  it("many small events split anywhere are each looked at once", () => {
    const text = "event: e\ndata: {\"n\":1}\n\n".repeat(200_000)
    let count = 0
    expect(cpuMillis(() => (count = parse(pieces(text, 4096)).events.length))).toBeLessThan(2000)
    expect(count).toBe(200_000)
  })
})

describe("SSE parser: maxEventBytes bounds one event", () => {
  const limit = 100

  it("an event of exactly the limit passes; one byte more overflows, however it is chunked", () => {
    const exact = `event: a\ndata: ${"x".repeat(limit - 6)}\n\n`
    const over = `event: a\ndata: ${"x".repeat(limit - 5)}\n\n`
    for (const size of [1, 7, 64, 10_000]) {
      expect(parse(pieces(exact, size), { maxEventBytes: limit })).toEqual({
        events: [{ event: "a", data: "x".repeat(limit - 6), id: undefined }],
        overflow: false
      })
      expect(parse(pieces(over, size), { maxEventBytes: limit })).toEqual({ events: [], overflow: true })
    }
  })

  it("counts UTF-8 bytes, and every data line of the event", () => {
    const twoLines = `data: ${"x".repeat(44)}\ndata: ${"x".repeat(44)}\n\n` // 50 + 50 bytes
    expect(parse([twoLines], { maxEventBytes: limit }).overflow).toBe(false)
    expect(parse([twoLines.replace("x", "xx")], { maxEventBytes: limit }).overflow).toBe(true)
    expect(parse([`data: ${"é".repeat(47)}\n\n`], { maxEventBytes: limit }).overflow).toBe(false) // 6 + 94
    expect(parse([`data: ${"é".repeat(48)}\n\n`], { maxEventBytes: limit }).overflow).toBe(true) // 6 + 96
  })

  it("the count starts again after each event; a line being read counts, a comment too", () => {
    const event = `data: ${"x".repeat(80)}\n\n`
    expect(parse([event.repeat(50)], { maxEventBytes: limit }).events).toHaveLength(50)
    expect(parse([`: ${"c".repeat(limit)}\n`], { maxEventBytes: limit }).overflow).toBe(true)
    expect(parse([`data: ${"x".repeat(limit)}`], { maxEventBytes: limit })).toEqual({ events: [], overflow: true })
  })

  it("delivers the events completed before the overflow, then stays failed", () => {
    const parser = makeParser({ maxEventBytes: limit })
    const result = parser.feed(`data: 1\n\ndata: 2\n\ndata: ${"x".repeat(limit)}`)
    expect(result).toEqual(Either.left({
      _tag: "SseOverflow",
      limitBytes: limit,
      events: [{ event: "message", data: "1", id: undefined }, { event: "message", data: "2", id: undefined }]
    }))
    expect(parser.feed("\n\ndata: 3\n\n")).toEqual(Either.left({ _tag: "SseOverflow", limitBytes: limit, events: [] }))
    expect(parser.end()).toEqual([])
  })

  it("endless data lines without a blank line hit the default limit (10 MiB)", () => {
    const parser = makeParser()
    const chunk = "data: x\n".repeat(8192) // 64 KiB
    let fed = 0
    for (;;) {
      const result = parser.feed(chunk)
      fed += chunk.length
      if (Either.isLeft(result)) break
      // 7 of every 8 characters count: line endings do not.
      expect(fed).toBeLessThanOrEqual(Math.ceil(defaultMaxEventBytes * 8 / 7) + chunk.length)
    }
    expect(fed).toBeGreaterThan(defaultMaxEventBytes)
  })

  it("one endless line hits the default limit", () => {
    const parser = makeParser()
    const chunk = "x".repeat(64 * 1024)
    Either.getOrThrow(parser.feed("data: "))
    let fed = 6
    while (Either.isRight(parser.feed(chunk))) {
      fed += chunk.length
      expect(fed).toBeLessThanOrEqual(defaultMaxEventBytes)
    }
    expect(fed + chunk.length).toBeGreaterThan(defaultMaxEventBytes)
  })
})

/** A line of an event stream, as a server may write it. */
const lineArbitrary = fc.oneof(
  fc.string({ maxLength: 40 }).map((value) => `data: ${value.replace(/[\r\n]/g, "")}`),
  fc.string({ maxLength: 40 }).map((value) => `data:${value.replace(/[\r\n]/g, "")}`),
  fc.constantFrom("event: a", "event: thread.run.created", "event:", "id: 7", "id: a\u0000b", ": comment", "retry: 1"),
  fc.constant("data"),
  fc.constant("")
)

const streamArbitrary = fc.tuple(
  fc.boolean(),
  fc.array(fc.tuple(lineArbitrary, fc.constantFrom("\n", "\r", "\r\n")), { maxLength: 40 }),
  fc.boolean()
).map(([bom, lines, endsClean]) => {
  const text = (bom ? "\uFEFF" : "") + lines.map(([line, ending]) => line + ending).join("")
  return endsClean ? text : text + "data: unterminated"
})

/** `text` cut at the given positions, never inside a surrogate pair (which a text decoder never splits). */
const splitAt = (text: string, cuts: ReadonlyArray<number>): Array<string> => {
  const positions = [...new Set(cuts.map((cut) => cut % (text.length + 1)))]
    .filter((at) => !(at > 0 && /[\uD800-\uDBFF]/.test(text[at - 1]!) && /[\uDC00-\uDFFF]/.test(text[at] ?? "")))
    .sort((a, b) => a - b)
  const out: Array<string> = []
  let from = 0
  for (const at of positions) {
    out.push(text.slice(from, at))
    from = at
  }
  out.push(text.slice(from))
  return out
}

describe("SSE parser: any chunking gives the same result", () => {
  it("random texts cut at random places (CR and LF apart included): the same events, the same overflow", () =>
    fc.assert(
      fc.property(
        streamArbitrary,
        fc.array(fc.nat(), { maxLength: 30 }),
        fc.constantFrom(undefined, 24, 64, 200),
        (text, cuts, maxEventBytes) => {
          const options = { maxEventBytes }
          expect(parse(splitAt(text, cuts), options)).toEqual(parse([text], options))
          expect(parse(Array.from(text), options)).toEqual(parse([text], options))
        }
      ),
      { numRuns: 400 }
    ))
})

describe("event streams: an event past maxEventBytes is a ResponseTooLargeError", () => {
  const context = { status: 200, requestId: "req_big", attempts: 2, scrub: (text: string) => text }
  const bytesOf = (...texts: ReadonlyArray<string>) =>
    Stream.fromIterable(texts.map((text) => new TextEncoder().encode(text)))
  const created = `event: thread.created\ndata: {"id":"thread_1","object":"thread","created_at":1,"metadata":{}}\n\n`

  it.effect("the stream fails with the limit and the attempt's metadata, after the events before it", () =>
    Effect.gen(function*() {
      const events: Array<string> = []
      const error = yield* decodeEvents(bytesOf(created, `data: ${"x".repeat(300)}`), context, { maxEventBytes: 256 })
        .pipe(Stream.runForEach((event) => Effect.sync(() => events.push(event.event))), Effect.flip)
      expect(events).toEqual(["thread.created"])
      expect(error).toMatchObject({
        _tag: "ResponseTooLargeError",
        limitBytes: 256,
        status: 200,
        requestId: "req_big",
        attempts: 2
      })
    }))

  it.effect("by default the bound is 10 MiB: an event of 10 MiB + 1 fails, one of 10 MiB decodes", () =>
    Effect.gen(function*() {
      const fits = `event: custom\ndata: "${"x".repeat(defaultMaxEventBytes - 8)}"\n\n`
      const decoded = yield* Stream.runCollect(decodeEvents(bytesOf(fits), context))
      expect(Chunk.size(decoded)).toBe(1)
      const tooLarge = `event: custom\ndata: "${"x".repeat(defaultMaxEventBytes - 7)}"\n\n`
      const error = yield* Effect.flip(Stream.runDrain(decodeEvents(bytesOf(tooLarge), context)))
      expect(error._tag).toBe("ResponseTooLargeError")
    }))

  it.effect("sseEvents fails with the parser's overflow, keeping the upstream error type", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(
        Stream.runDrain(sseEvents(Stream.make("data: 1\n\n", "data: 2222"), { maxEventBytes: 8 }))
      )
      expect(error).toEqual({ _tag: "SseOverflow", limitBytes: 8, events: [] })
    }))
})
