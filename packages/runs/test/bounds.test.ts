import { Emulator, EmulatorHttpClient, Fault } from "@effect-openai/runs-emulator"
import { HttpClient, HttpClientRequest, HttpClientResponse } from "@effect/platform"
import { describe, expect, it } from "@effect/vitest"
import { Chunk, Duration, Effect, Exit, Fiber, Layer, Option, Schedule, Stream, TestClock } from "effect"
import { announcedLength, defaultMaxResponseBytes, readText } from "../src/internal/body.js"
import { decode as decodeEvents, defaultStreamIdleTimeout, idleTimeout } from "../src/internal/eventStream.js"

const context = { status: 200, requestId: "req_body", attempts: 1 }

/** A response whose body is `total` bytes of `x`, made as it is read, counting what was pulled. */
const lazyResponse = (total: number, headers: Record<string, string> = {}) => {
  let pulled = 0
  const chunk = new Uint8Array(64 * 1024).fill(120)
  const body = new ReadableStream<Uint8Array>({
    pull: (controller) => {
      if (pulled >= total) return controller.close()
      const piece = chunk.subarray(0, Math.min(chunk.length, total - pulled))
      pulled += piece.length
      controller.enqueue(piece)
    }
  }, { highWaterMark: 0 })
  const response = HttpClientResponse.fromWeb(
    HttpClientRequest.get("http://api.test/v1/x"),
    new Response(body, { status: 200, headers })
  )
  return { response, pulled: () => pulled }
}

const transport = (error: unknown) => ({ _tag: "Transport" as const, error })

describe("readText: a body within maxResponseBytes", () => {
  it("the suggested default is 32 MiB", () => expect(defaultMaxResponseBytes).toBe(32 * 1024 * 1024))

  it.effect("an announced content-length past the bound fails at once: one piece is taken, to abort the request", () =>
    Effect.gen(function*() {
      const { pulled, response } = lazyResponse(10_000_000, { "content-length": "10000000" })
      const error = yield* Effect.flip(readText(response, 1_000_000, context, transport))
      expect(error).toMatchObject({
        _tag: "ResponseTooLargeError",
        limitBytes: 1_000_000,
        status: 200,
        requestId: "req_body",
        message: "The response announces 10000000 bytes, more than maxResponseBytes (1000000 bytes)"
      })
      expect(pulled()).toBeLessThanOrEqual(64 * 1024)
    }))

  it.effect("without content-length, reading stops at the first chunk past the bound", () =>
    Effect.gen(function*() {
      const { pulled, response } = lazyResponse(100 * 1024 * 1024)
      const error = yield* Effect.flip(readText(response, 1024 * 1024, context, transport))
      expect(error._tag).toBe("ResponseTooLargeError")
      expect(pulled()).toBeLessThanOrEqual(1024 * 1024 + 2 * 64 * 1024)
    }))

  it.effect("a body of exactly the bound is read whole, as response.text decodes it", () =>
    Effect.gen(function*() {
      const { response } = lazyResponse(1024 * 1024, { "content-length": String(1024 * 1024) })
      expect(yield* readText(response, 1024 * 1024, context, transport)).toBe("x".repeat(1024 * 1024))
      const text = "\uFEFF{\"v\":\"héllo wörld ✓ 🎉\"}"
      const bytes = new TextEncoder().encode(text)
      const pieces = Array.from(bytes, (byte) => Uint8Array.of(byte))
      const split = HttpClientResponse.fromWeb(
        HttpClientRequest.get("http://api.test/v1/x"),
        new Response(Stream.toReadableStream(Stream.fromIterable(pieces)))
      )
      const expected = yield* HttpClientResponse.fromWeb(HttpClientRequest.get("http://x"), new Response(bytes)).text
      expect(yield* readText(split, 1000, context, transport)).toBe(expected)
    }))

  it.effect("a failure while reading is mapped as the client says", () =>
    Effect.gen(function*() {
      const body = new ReadableStream<Uint8Array>({ pull: (controller) => controller.error(new Error("reset")) })
      const response = HttpClientResponse.fromWeb(HttpClientRequest.get("http://api.test/v1/x"), new Response(body))
      const error = yield* Effect.flip(readText(response, 1000, context, transport))
      expect(error).toMatchObject({ _tag: "Transport" })
    }))

  it("announcedLength takes digits only", () => {
    expect(announcedLength({ "content-length": "12" })).toBe(12)
    for (const value of ["0x10", "1e3", "-1", "", "12, 12"]) {
      expect(announcedLength({ "content-length": value })).toBeUndefined()
    }
  })

  const InProcess = EmulatorHttpClient.layer.pipe(Layer.provideMerge(Emulator.layerInProcess()))
  const get = (path: string) =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.Emulator
      const client = yield* HttpClient.HttpClient
      return yield* client.execute(
        HttpClientRequest.get(emulator.url + path, {
          headers: { authorization: `Bearer ${emulator.apiKey}`, "openai-beta": "assistants=v2" }
        })
      )
    })

  it.scopedLive(
    "a 2 GiB body from the emulator, with or without content-length: at most the bound is held",
    () =>
      Effect.gen(function*() {
        const emulator = yield* Emulator.Emulator
        const run = emulator.seedRun()
        const path = `/threads/${run.thread_id}/runs/${run.id}`
        const heapBefore = process.memoryUsage().heapUsed
        for (const contentLength of [true, false]) {
          emulator.enqueueFault(Fault.largeBody(2 * 1024 ** 3, { contentLength }))
          const response = yield* get(path)
          const error = yield* Effect.flip(readText(response, defaultMaxResponseBytes, context, transport))
          expect(error._tag).toBe("ResponseTooLargeError")
        }
        expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(defaultMaxResponseBytes + 64 * 1024 * 1024)
        const normal = yield* get(path)
        expect(JSON.parse(yield* readText(normal, defaultMaxResponseBytes, context, transport))).toMatchObject({
          id: run.id
        })
      }).pipe(Effect.provide(InProcess)),
    60_000
  )
})

describe("idleTimeout: a stream must send events, not just bytes", () => {
  const streamContext = { status: 200, requestId: null, attempts: 1, scrub: (text: string) => text }
  const encode = (text: string) => new TextEncoder().encode(text)
  const event = encode("event: custom\ndata: {}\n\n")

  const run = <E>(events: Stream.Stream<unknown, E>) =>
    Effect.gen(function*() {
      let received = 0
      const fiber = yield* Effect.fork(Stream.runForEach(events, () => Effect.sync(() => received++)))
      return { fiber, received: () => received }
    })

  it("the suggested default is 5 minutes", () => expect(Duration.toMinutes(defaultStreamIdleTimeout)).toBe(5))

  it.effect("silence after an event: TimeoutError once the bound passes, not before", () =>
    Effect.gen(function*() {
      const bytes = Stream.concat(Stream.make(event), Stream.never)
      const { fiber, received } = yield* run(decodeEvents(bytes, streamContext).pipe(idleTimeout("5 minutes", 2)))
      yield* TestClock.adjust("4 minutes")
      expect(received()).toBe(1)
      expect(yield* Fiber.poll(fiber)).toEqual(Option.none())
      yield* TestClock.adjust("1 minute")
      const exit = yield* Fiber.await(fiber)
      expect(Exit.isFailure(exit) && exit.cause._tag === "Fail" && exit.cause.error).toMatchObject({
        _tag: "TimeoutError",
        message: "The stream sent no event for 5m",
        timeoutMs: 300_000,
        attempts: 2
      })
    }))

  it.effect("comments every second keep bytes coming, but no event: it still times out", () =>
    Effect.gen(function*() {
      const comments = Stream.repeatValue(encode(": keep-alive\n\n")).pipe(Stream.schedule(Schedule.spaced("1 second")))
      const { fiber } = yield* run(decodeEvents(comments, streamContext).pipe(idleTimeout("5 minutes", 1)))
      yield* TestClock.adjust("5 minutes")
      const exit = yield* Fiber.await(fiber)
      expect(String(exit)).toContain("TimeoutError")
    }))

  it.effect("an event every minute keeps the stream alive; Duration.infinity turns the bound off", () =>
    Effect.gen(function*() {
      const steady = Stream.repeatValue(event).pipe(Stream.schedule(Schedule.spaced("1 minute")))
      const { fiber, received } = yield* run(decodeEvents(steady, streamContext).pipe(idleTimeout("5 minutes", 1)))
      for (let minute = 0; minute < 20; minute++) yield* TestClock.adjust("1 minute")
      expect(yield* Fiber.poll(fiber)).toEqual(Option.none())
      expect(received()).toBeGreaterThanOrEqual(19)
      yield* Fiber.interrupt(fiber)
      const never = Stream.never.pipe(idleTimeout(Duration.infinity, 1))
      const silent = yield* Effect.fork(Stream.runDrain(never))
      yield* TestClock.adjust("1 day")
      expect(yield* Fiber.poll(silent)).toEqual(Option.none())
      yield* Fiber.interrupt(silent)
      expect(Chunk.size(yield* Stream.runCollect(Stream.make(1, 2).pipe(idleTimeout("1 second", 1))))).toBe(2)
    }))
})
