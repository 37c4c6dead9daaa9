import { Emulator, EmulatorHttpClient, Fault } from "@effect-openai/runs-emulator"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer, Stream } from "effect"
import { connect } from "node:net"
import { call, eventually, headerLines, open, runPath } from "./support.js"

/**
 * Reads a body over fetch without keeping it: its length, its first and last bytes, and how much the heap grew
 * at most while it came.
 */
const measure = async (response: Response, stopAfter = Infinity) => {
  const reader = response.body!.getReader()
  const heapBefore = process.memoryUsage().heapUsed
  let peak = 0
  let bytes = 0
  let first = ""
  let last = Buffer.alloc(0)
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    if (first.length < 64) first += Buffer.from(value).toString("latin1").slice(0, 64 - first.length)
    last = Buffer.concat([last, Buffer.from(value)]).subarray(-64)
    bytes += value.length
    if (bytes % (16 * 1024 * 1024) < value.length) peak = Math.max(peak, process.memoryUsage().heapUsed - heapBefore)
    if (bytes >= stopAfter) {
      await reader.cancel()
      break
    }
  }
  return { bytes, first, last: last.toString("latin1"), heapGrowth: peak }
}

/** The head of a raw answer and the body bytes that came within `waitMs`, over a socket closed after. */
const rawHead = (emulator: Emulator.Handle, path: string, waitMs: number) =>
  Effect.promise(() =>
    new Promise<{ readonly head: string; readonly body: Buffer }>((resolve) => {
      const url = new URL(emulator.url + path)
      const socket = connect(Number(url.port), url.hostname)
      const chunks: Array<Buffer> = []
      socket.on("data", (chunk: Buffer) => chunks.push(chunk))
      socket.on("error", () => {})
      socket.write(
        `GET ${url.pathname} HTTP/1.1\r\nhost: ${url.host}\r\nauthorization: Bearer ${emulator.apiKey}\r\n` +
          `openai-beta: assistants=v2\r\nconnection: close\r\n\r\n`
      )
      setTimeout(() => {
        socket.destroy()
        const all = Buffer.concat(chunks)
        const end = all.indexOf("\r\n\r\n")
        resolve({ head: all.subarray(0, end).toString("latin1"), body: all.subarray(end + 4) })
      }, waitMs)
    })
  )

describe("hostile bodies, generated as they are written", () => {
  it.scoped("largeBody: 64 MiB of valid JSON with its content-length, while the heap stays flat", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      const run = emulator.seedRun()
      const bytes = 64 * 1024 * 1024
      emulator.enqueueFault(Fault.largeBody(bytes))
      const response = yield* Effect.promise(() => open(emulator, "GET", runPath(run)))
      expect(response.status).toBe(200)
      expect(response.headers.get("content-length")).toBe(String(bytes))
      const read = yield* Effect.promise(() => measure(response))
      expect(read.bytes).toBe(bytes)
      expect(read.first).toBe(`{"padding":"${"x".repeat(52)}`)
      expect(read.last.endsWith("xxx\"}")).toBe(true)
      expect(read.heapGrowth).toBeLessThan(48 * 1024 * 1024)
    }))

  it.scoped("largeBody of 1 GiB announced: a client that stops early stops the writing", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      const run = emulator.seedRun()
      emulator.enqueueFault(Fault.largeBody(1024 ** 3, { shape: "arrays", complete: false }))
      const answer = yield* rawHead(emulator, runPath(run), 150)
      expect(headerLines(answer.head, "content-length")).toEqual([String(1024 ** 3)])
      expect(answer.body.subarray(0, 10).toString()).toBe("[[],[],[],")
      yield* eventually(() => emulator.openConnections() === 0)
    }))

  it.scoped("without content-length the body is chunked; complete bodies are valid JSON of exactly the size", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      const run = emulator.seedRun()
      emulator.enqueueFault(Fault.largeBody(100_000, { contentLength: false }))
      const chunked = yield* rawHead(emulator, runPath(run), 150)
      expect(headerLines(chunked.head, "content-length")).toEqual([])
      expect(headerLines(chunked.head, "transfer-encoding")).toEqual(["chunked"])
      for (const shape of ["string", "arrays"] as const) {
        for (const size of [shape === "string" ? 14 : 4, 17, 1000, 100_001]) {
          emulator.enqueueFault(Fault.largeBody(size, { shape }))
          const answer = yield* call(emulator, "GET", runPath(run))
          expect(Buffer.byteLength(answer.text), `${shape} ${size}`).toBe(size)
          expect(answer.body, `${shape} ${size}`).toBeDefined()
        }
      }
      emulator.enqueueFault(Fault.largeBody(1000, { complete: false }))
      const prefix = yield* call(emulator, "GET", runPath(run))
      expect(prefix.text).toHaveLength(1000)
      expect(prefix.body).toBeUndefined()
    }))

  it.scoped("largePage: a list of many runs, whatever limit asked for", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      const run = emulator.seedRun({ status: "completed" })
      emulator.enqueueFault(Fault.largePage(5000, run))
      const answer = yield* call(emulator, "GET", `/threads/${run.thread_id}/runs?limit=1`)
      expect(answer.body.object).toBe("list")
      expect(answer.body.data).toHaveLength(5000)
      expect(answer.body.data[4999]).toEqual(run)
      expect(answer.body.first_id).toBe(run.id)
      expect(answer.body.has_more).toBe(false)
    }))

  it.scoped("deeplyNested and nestedJson: 100,000 levels in about 200 KB", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      const run = emulator.seedRun()
      emulator.enqueueFault(Fault.deeplyNested(100_000, { kind: "object" }))
      const answer = yield* call(emulator, "GET", runPath(run))
      expect(answer.text.length).toBe(100_000 * 6 + 1)
      expect(answer.text.startsWith("{\"a\":{\"a\":")).toBe(true)
      expect(Fault.nestedJson(3)).toBe("[[[0]]]")
      emulator.enqueueFault(
        Fault.eventStream([{ event: "error", data: Fault.nestedJson(3, "object") }, { event: "done", data: "[DONE]" }])
      )
      const stream = yield* call(emulator, "GET", runPath(run))
      expect(stream.headers.get("content-type")).toBe("text/event-stream; charset=utf-8")
      expect(stream.text).toBe("event: error\ndata: {\"a\":{\"a\":{\"a\":0}}}\n\nevent: done\ndata: [DONE]\n\n")
    }))
})

describe("hostile event streams", () => {
  it.scoped("endlessDataLine: one data line that never ends, until the client leaves", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      const run = emulator.seedRun()
      emulator.enqueueFault(Fault.endlessDataLine({ head: "event: a\ndata: 1\n\n" }))
      const response = yield* Effect.promise(() => open(emulator, "GET", runPath(run)))
      expect(response.headers.get("content-type")).toBe("text/event-stream; charset=utf-8")
      const read = yield* Effect.promise(() => measure(response, 4 * 1024 * 1024))
      expect(read.first.startsWith("event: a\ndata: 1\n\ndata: xxxx")).toBe(true)
      expect(read.last).toBe("x".repeat(64))
      yield* eventually(() => emulator.streamsClosedByClient() === 1)
    }))

  it.scoped("endlessDataLines: data lines without the blank line that would dispatch them", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      const run = emulator.seedRun()
      emulator.enqueueFault(Fault.endlessDataLines({ bytes: 1000 }))
      const answer = yield* call(emulator, "GET", runPath(run))
      const lines = answer.text.split("\n")
      expect(answer.text.length).toBeGreaterThanOrEqual(1000)
      expect(lines.slice(0, -1).every((line) => line === "data: {\"x\":1}")).toBe(true)
      expect(answer.text).not.toContain("\n\n")
    }))

  it.scoped("commentsOnly: a comment every interval, never an event", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      const run = emulator.seedRun()
      emulator.enqueueFault(Fault.commentsOnly(40))
      const answer = yield* rawHead(emulator, runPath(run), 400)
      const text = answer.body.toString()
      const comments = text.match(/: keep-alive\n\n/g) ?? []
      expect(comments.length).toBeGreaterThanOrEqual(2)
      expect(comments.length).toBeLessThanOrEqual(11)
      expect(text).not.toContain("data:")
    }))

  it.scoped("silence: the headers, then nothing, until the client leaves", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      const run = emulator.seedRun()
      emulator.enqueueFault(Fault.silence())
      const answer = yield* rawHead(emulator, runPath(run), 200)
      expect(answer.head).toMatch(/^HTTP\/1\.1 200 OK/)
      expect(headerLines(answer.head, "content-type")).toEqual(["text/event-stream; charset=utf-8"])
      expect(answer.body.toString()).toBe("")
      yield* eventually(() => emulator.streamsClosedByClient() === 1 && emulator.openConnections() === 0)
      emulator.enqueueFault(Fault.silence({ headers: { "content-type": "application/json" }, contentLength: 500 }))
      const json = yield* rawHead(emulator, runPath(run), 100)
      expect(headerLines(json.head, "content-length")).toEqual(["500"])
      expect(json.body.length).toBe(0)
    }))
})

describe("echoed headers", () => {
  it.scoped("echoHeader sets a header over the normal answer; echoRequestHeader sends the request's back", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make({ apiKey: "sk-echo-0123456789" })
      const run = emulator.seedRun({ status: "completed" })
      emulator.enqueueFault(Fault.echoHeader("x-request-id", "sk-echo-0123456789"))
      const echoed = yield* call(emulator, "GET", runPath(run))
      expect(echoed.headers.get("x-request-id")).toBe("sk-echo-0123456789")
      expect(echoed.body).toEqual(run)
      emulator.enqueueFault(Fault.echoRequestHeader("authorization"))
      const proxied = yield* call(emulator, "GET", runPath(run))
      expect(proxied.headers.get("x-request-id")).toBe("Bearer sk-echo-0123456789")
      emulator.enqueueFault(Fault.echoRequestHeader("Authorization", "X-Debug"))
      expect((yield* call(emulator, "GET", runPath(run))).headers.get("x-debug")).toBe("Bearer sk-echo-0123456789")
    }))
})

describe("in process, a generated body waits for its reader", () => {
  const InProcess = EmulatorHttpClient.layer.pipe(Layer.provideMerge(Emulator.layerInProcess()))

  it.scopedLive("1 GiB announced: reading 8 MiB of it holds about that much, not the whole", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.Emulator
      const client = yield* HttpClient.HttpClient
      const run = emulator.seedRun()
      emulator.enqueueFault(Fault.largeBody(1024 ** 3))
      const heapBefore = process.memoryUsage().heapUsed
      const response = yield* client.execute(
        HttpClientRequest.get(emulator.url + runPath(run), {
          headers: { authorization: `Bearer ${emulator.apiKey}`, "openai-beta": "assistants=v2" }
        })
      )
      expect(response.headers["content-length"]).toBe(String(1024 ** 3))
      let bytes = 0
      yield* response.stream.pipe(
        Stream.takeWhile(() => bytes < 8 * 1024 * 1024),
        Stream.runForEach((chunk) => Effect.sync(() => (bytes += chunk.length)))
      )
      yield* Effect.sleep("100 millis")
      expect(bytes).toBeGreaterThanOrEqual(8 * 1024 * 1024)
      expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(64 * 1024 * 1024)
    }).pipe(Effect.provide(InProcess)))
})
