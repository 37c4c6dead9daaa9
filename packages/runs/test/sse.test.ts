import { describe, expect, it } from "@effect/vitest"
import { Chunk, Effect, Either, Stream } from "effect"
import { readdirSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { sseEvents } from "../src/internal/eventStream.js"
import { makeParser, type SseEvent } from "../src/internal/sse.js"

const parseChunks = (chunks: ReadonlyArray<string>): Array<SseEvent> => {
  const parser = makeParser()
  return [...chunks.flatMap((chunk) => Either.getOrThrow(parser.feed(chunk))), ...parser.end()]
}

const fixturesDir = fileURLToPath(new URL("../../../test/fixtures/", import.meta.url))
const sseFixtures = readdirSync(fixturesDir, { recursive: true, encoding: "utf8" })
  .filter((path) => path.endsWith(".sse.txt"))
  .map((path) => [path, readFileSync(join(fixturesDir, path), "utf8")] as const)

/** A deterministic pseudo-random generator, so a failing split can be replayed. */
const random = (seed: number) => () => {
  seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648
  return seed / 2_147_483_648
}

const randomSplit = (text: string, next: () => number): Array<string> => {
  const chunks: Array<string> = []
  for (let index = 0; index < text.length;) {
    const size = 1 + Math.floor(next() * 40)
    chunks.push(text.slice(index, index + size))
    index += size
  }
  return chunks
}

describe("SSE parser", () => {
  it("reads event, multi-line data and id, and skips comments", () => {
    expect(parseChunks([": keep-alive\nid: 7\nevent: greeting\ndata: hello\ndata: world\n\n"])).toEqual([
      { event: "greeting", data: "hello\nworld", id: "7" }
    ])
  })

  it("an event without a name is a message; data without a space after the colon is kept whole", () => {
    expect(parseChunks(["data:x\n\ndata:  two spaces\n\n"])).toEqual([
      { event: "message", data: "x", id: undefined },
      { event: "message", data: " two spaces", id: undefined }
    ])
  })

  it("accepts LF, CRLF and CR line endings alike", () => {
    const lf = parseChunks(["event: a\ndata: 1\n\nevent: b\ndata: 2\n\n"])
    expect(parseChunks(["event: a\r\ndata: 1\r\n\r\nevent: b\r\ndata: 2\r\n\r\n"])).toEqual(lf)
    expect(parseChunks(["event: a\rdata: 1\r\revent: b\rdata: 2\r\r"])).toEqual(lf)
  })

  it("keeps the event name when a CRLF is split between chunks (where @effect/experimental's Sse loses it)", () => {
    expect(parseChunks(["event: x\r", "\ndata: y\r\n\r\n"])).toEqual([{ event: "x", data: "y", id: undefined }])
  })

  it("an empty chunk between a CR and its LF changes nothing (a decoder hands one over for an empty read)", () => {
    expect(parseChunks(["event: x\r", "", "\ndata: y\r\n\r\n"])).toEqual([{ event: "x", data: "y", id: undefined }])
  })

  it("dispatches a final event that has no trailing blank line (which @effect/experimental's Sse drops)", () => {
    expect(parseChunks(["event: a\ndata: 1\n\nevent: b\ndata: 2"])).toEqual([
      { event: "a", data: "1", id: undefined },
      { event: "b", data: "2", id: undefined }
    ])
  })

  it("ignores an event with no data, and strips a leading byte order mark", () => {
    expect(parseChunks(["\uFEFFevent: empty\n\nevent: full\ndata: {}\n\n"])).toEqual([
      { event: "full", data: "{}", id: undefined }
    ])
  })

  it("finds fixtures to check against", () => expect(sseFixtures.length).toBeGreaterThanOrEqual(8))

  for (const [path, text] of sseFixtures) {
    it(`${path}: one byte at a time and in random splits, the same events as whole`, () => {
      const whole = parseChunks([text])
      expect(whole.length).toBeGreaterThan(3)
      expect(parseChunks(Array.from(text))).toEqual(whole)
      const next = random(path.length)
      for (let round = 0; round < 20; round++) expect(parseChunks(randomSplit(text, next))).toEqual(whole)
    })
  }

  it.effect("a UTF-8 character split across byte chunks decodes whole", () =>
    Effect.gen(function*() {
      const bytes = new TextEncoder().encode("event: t\ndata: {\"v\":\"héllo wörld — ✓ 🎉\"}\n\n")
      const oneByteChunks = Stream.fromIterable(Array.from(bytes, (byte) => Uint8Array.of(byte)))
      const events = yield* Stream.runCollect(sseEvents(Stream.decodeText(oneByteChunks)))
      expect(Chunk.toReadonlyArray(events)).toEqual([
        { event: "t", data: "{\"v\":\"héllo wörld — ✓ 🎉\"}", id: undefined }
      ])
    }))
})
