import { Emulator, Fault } from "@effect-openai/runs-emulator"
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { call, headerLines, open, parseEvents, raw, readAll, runPath } from "./support.js"

const completedRun = (emulator: Emulator.Handle) => {
  const run = emulator.seedRun({ status: "completed" })
  return { run, path: runPath(run), json: JSON.stringify(run, null, 2) }
}

const statuses = (emulator: Emulator.Handle, path: string, count: number) =>
  Effect.forEach(
    Array.from({ length: count }),
    () => Effect.map(call(emulator, "GET", path), (answer) => answer.status)
  )

const fetched = (emulator: Emulator.Handle, method: string, path: string, body?: unknown) =>
  Effect.promise(async () => {
    const response = await open(emulator, method, path, { body })
    return { response, ...await readAll(response) }
  })

describe("fault plan", () => {
  it.scoped("Fault.status answers instead of processing the request", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      const assistant = emulator.seedAssistant()
      const thread = emulator.seedThread()
      emulator.enqueueFault(Fault.status(503, { headers: { "Retry-After": "2" }, body: { error: { message: "x" } } }))
      const answer = yield* call(emulator, "POST", `/threads/${thread.id}/runs`, {
        body: { assistant_id: assistant.id }
      })
      expect(answer.status).toBe(503)
      expect(answer.headers.get("retry-after")).toBe("2")
      expect(answer.headers.get("x-request-id")).toMatch(/^req_/)
      expect(answer.body).toEqual({ error: { message: "x" } })
      expect((yield* call(emulator, "GET", `/threads/${thread.id}/runs`)).body.data).toEqual([])
    }))

  it.scoped("a non-JSON 200 is a status fault with a string body", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      emulator.enqueueFault(Fault.status(200, { body: "OK, but not JSON" }))
      const answer = yield* call(emulator, "GET", completedRun(emulator).path)
      expect(answer.status).toBe(200)
      expect(answer.headers.get("content-type")).toBe("application/json")
      expect(answer.text).toBe("OK, but not JSON")
    }))

  it.scoped("nth fires on the nth matching request, then is used up", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      const { path } = completedRun(emulator)
      emulator.enqueueFault(Fault.status(500, { method: "GET", nth: 3 }))
      yield* call(emulator, "POST", path, { body: {} })
      expect(yield* statuses(emulator, path, 4)).toEqual([200, 200, 500, 200])
      expect(emulator.pendingFaults()).toBe(0)
    }))

  it.scoped("times repeats a fault on that many requests in a row", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      const { path } = completedRun(emulator)
      emulator.enqueueFault(Fault.status(503, { times: 2 }))
      expect(emulator.pendingFaults()).toBe(1)
      expect(yield* statuses(emulator, path, 3)).toEqual([503, 503, 200])
      emulator.enqueueFault(Fault.status(502, { nth: 2, times: 2 }))
      expect(yield* statuses(emulator, path, 4)).toEqual([200, 502, 502, 200])
      emulator.enqueueFault(Fault.status(429, { times: Infinity }))
      expect(yield* statuses(emulator, path, 5)).toEqual([429, 429, 429, 429, 429])
      emulator.clearFaults()
      expect(yield* statuses(emulator, path, 1)).toEqual([200])
    }))

  it.scoped("every matching request counts toward nth, those another fault took too", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      const { path } = completedRun(emulator)
      emulator.enqueueFault(Fault.status(500))
      emulator.enqueueFault(Fault.status(502, { nth: 2 }))
      expect(yield* statuses(emulator, path, 3)).toEqual([500, 502, 200])
    }))

  it.scoped("nth and times below 1 are refused", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      expect(() => emulator.enqueueFault(Fault.status(500, { nth: 0 }))).toThrow(/nth must be at least 1/)
      expect(() => emulator.enqueueStreamFault(Fault.cutStream(1, { times: 0 }))).toThrow(/times must be at least 1/)
      expect(emulator.pendingFaults()).toBe(0)
    }))

  it.scoped("the request log counts every request, faulted ones too, with their retry headers", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      const { path } = completedRun(emulator)
      emulator.enqueueFault(Fault.reset({ times: 2 }))
      const outcomes = yield* Effect.forEach(
        [0, 1, 2],
        (attempt) =>
          Effect.promise(() =>
            open(emulator, "GET", path, { headers: { "x-stainless-retry-count": String(attempt) } }).then(
              (response) => response.status,
              () => "reset"
            )
          )
      )
      expect(outcomes).toEqual(["reset", "reset", 200])
      expect(emulator.requests().map((request) => [request.method, request.path])).toEqual(
        Array.from({ length: 3 }, () => ["GET", `/v1${path}`])
      )
      expect(emulator.requests().map((request) => request.headers["x-stainless-retry-count"])).toEqual(["0", "1", "2"])
    }))

  it.scoped("Fault.delay holds the normal answer back", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      const { path, run } = completedRun(emulator)
      emulator.enqueueFault(Fault.delay(120))
      const started = Date.now()
      const answer = yield* call(emulator, "GET", path)
      expect(Date.now() - started).toBeGreaterThanOrEqual(110)
      expect(answer.body).toEqual(run)
    }))

  it.scoped("resetMidBody sends the headers and part of the normal answer, then resets the connection", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      const { json, path } = completedRun(emulator)
      emulator.enqueueFault(Fault.resetMidBody({ afterBytes: 40 }))
      const answer = yield* Effect.promise(() => raw(emulator, "GET", path))
      expect(answer.head).toMatch(/^HTTP\/1\.1 200 OK/)
      expect(headerLines(answer.head, "content-length")).toEqual([String(Buffer.byteLength(json))])
      expect(answer.body.toString()).toBe(json.slice(0, 40))
      emulator.enqueueFault(Fault.resetMidBody())
      const fetchedAnswer = yield* fetched(emulator, "GET", path)
      expect(fetchedAnswer.response.status).toBe(200)
      expect(fetchedAnswer.error).toBeDefined()
      expect(fetchedAnswer.text).toBe(json.slice(0, Math.floor(json.length / 2)))
    }))

  it.scoped("truncated announces the whole body, sends half, and closes the connection cleanly", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      const { json, path } = completedRun(emulator)
      emulator.enqueueFault(Fault.truncated())
      const answer = yield* Effect.promise(() => raw(emulator, "GET", path))
      expect(headerLines(answer.head, "content-length")).toEqual([String(json.length)])
      expect(answer.body.toString()).toBe(json.slice(0, Math.floor(json.length / 2)))
      expect(answer.error).toBeUndefined()
      emulator.enqueueFault(Fault.truncated())
      const fetchedAnswer = yield* fetched(emulator, "GET", path)
      expect(fetchedAnswer.error).toBeDefined()
    }))

  it.scoped("a fault over the normal answer processes the request: a truncated createRun still creates the run", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      const assistant = emulator.seedAssistant()
      const thread = emulator.seedThread()
      emulator.enqueueFault(Fault.truncated({ method: "POST" }))
      const lost = yield* fetched(emulator, "POST", `/threads/${thread.id}/runs`, { assistant_id: assistant.id })
      expect(lost.error).toBeDefined()
      expect((yield* call(emulator, "GET", `/threads/${thread.id}/runs`)).body.data).toHaveLength(1)
    }))

  it.scoped("slowDrip writes the body in small pieces, apart in time", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      const { json, path } = completedRun(emulator)
      emulator.enqueueFault(Fault.slowDrip({ bytes: 300, intervalMs: 40 }))
      const started = Date.now()
      const answer = yield* fetched(emulator, "GET", path)
      const pieces = Math.ceil(Buffer.byteLength(json) / 300)
      expect(Date.now() - started).toBeGreaterThanOrEqual(40 * (pieces - 1) - 5)
      expect(answer.reads).toBeGreaterThanOrEqual(pieces - 1)
      expect(answer.text).toBe(json)
      emulator.enqueueFault(Fault.slowDrip({ status: 200, body: "0123456789abcdefghij", bytes: 4, intervalMs: 10 }))
      expect((yield* call(emulator, "GET", path)).text).toBe("0123456789abcdefghij")
    }))

  it.scoped("body faults apply to streaming answers too", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      const assistant = emulator.seedAssistant()
      const thread = emulator.seedThread()
      emulator.enqueueFault(Fault.resetMidBody({ afterBytes: 1000 }))
      const answer = yield* fetched(emulator, "POST", `/threads/${thread.id}/runs`, {
        assistant_id: assistant.id,
        stream: true
      })
      expect(answer.response.headers.get("content-type")).toBe("text/event-stream; charset=utf-8")
      expect(answer.error).toBeDefined()
      expect(Buffer.byteLength(answer.text)).toBe(1000)
      expect(parseEvents(answer.text.slice(0, answer.text.lastIndexOf("\n\n")))[0]!.event).toBe("thread.run.created")
    }))

  it.scoped("proxyHtml502 answers an HTML page, as a proxy would", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      emulator.enqueueFault(Fault.proxyHtml502())
      const answer = yield* call(emulator, "GET", completedRun(emulator).path)
      expect(answer.status).toBe(502)
      expect(answer.headers.get("content-type")).toBe("text/html")
      expect(answer.text).toContain("<title>502 Bad Gateway</title>")
      expect(answer.body).toBeUndefined()
    }))

  it.scoped("emptyBody answers no body at all", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      const { path } = completedRun(emulator)
      emulator.enqueueFault(Fault.emptyBody())
      emulator.enqueueFault(Fault.emptyBody({ status: 500 }))
      const ok = yield* call(emulator, "GET", path)
      expect([ok.status, ok.headers.get("content-length"), ok.text]).toEqual([200, "0", ""])
      expect((yield* call(emulator, "GET", path)).status).toBe(500)
    }))

  it.scoped("hugeJson answers megabytes of valid JSON, exactly as many bytes as asked", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      const { path, run } = completedRun(emulator)
      emulator.enqueueFault(Fault.hugeJson(5_000_000, { base: run }))
      const answer = yield* call(emulator, "GET", path)
      expect(answer.headers.get("content-length")).toBe("5000000")
      expect(answer.text.length).toBe(5_000_000)
      expect(answer.body).toMatchObject(run)
    }))

  it.scoped("wrongContentType labels the normal answer with another content type", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      const { path, run } = completedRun(emulator)
      emulator.enqueueFault(Fault.wrongContentType("text/html; charset=utf-8"))
      const answer = yield* call(emulator, "GET", path)
      expect(answer.headers.get("content-type")).toBe("text/html; charset=utf-8")
      expect(answer.body).toEqual(run)
    }))

  it.scoped("garbledHeaders sends two x-request-id and a retry-after of soon", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      const { path, run } = completedRun(emulator)
      emulator.enqueueFault(Fault.garbledHeaders({ status: 429, body: { error: { message: "Rate limit reached" } } }))
      const limited = yield* Effect.promise(() => raw(emulator, "GET", path))
      expect(limited.head).toMatch(/^HTTP\/1\.1 429 /)
      expect(headerLines(limited.head, "x-request-id")).toEqual(["req_garbled_1", "req_garbled_2"])
      expect(headerLines(limited.head, "retry-after")).toEqual(["soon"])
      emulator.enqueueFault(Fault.garbledHeaders())
      const normal = yield* call(emulator, "GET", path)
      expect(normal.status).toBe(200)
      expect(normal.headers.get("x-request-id")).toBe("req_garbled_1, req_garbled_2")
      expect(normal.body).toEqual(run)
    }))

  it.scoped("a body without a status replaces the normal answer's body, keeping its status", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      const { path } = completedRun(emulator)
      emulator.enqueueFault({ body: "{\"id\": " })
      const answer = yield* call(emulator, "GET", path)
      expect([answer.status, answer.text, answer.headers.get("openai-poll-after-ms")]).toEqual([
        200,
        "{\"id\": ",
        "500"
      ])
      expect(answer.headers.get("content-length")).toBe("7")
    }))
})
