import { Emulator, EmulatorHttpClient, Fault } from "@effect-openai/runs-emulator"
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as HttpBody from "@effect/platform/HttpBody"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientError from "@effect/platform/HttpClientError"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import type * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import type { HttpMethod } from "@effect/platform/HttpMethod"
import { describe, expect, it } from "@effect/vitest"
import * as Deferred from "effect/Deferred"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Fiber from "effect/Fiber"
import * as Layer from "effect/Layer"
import * as Stream from "effect/Stream"
import * as TestClock from "effect/TestClock"
import { eventually, outline, parseEvents } from "./support.js"

/** An in-process emulator and a client for it. */
const InProcess = (options?: Emulator.InProcessOptions) =>
  EmulatorHttpClient.layer.pipe(Layer.provideMerge(Emulator.layerInProcess(options)))

const makeRequest = (
  emulator: Emulator.Handle,
  method: HttpMethod,
  path: string,
  options: { readonly body?: unknown; readonly headers?: Record<string, string> } = {}
): HttpClientRequest.HttpClientRequest => {
  const request = HttpClientRequest.make(method)(emulator.url + path, {
    headers: { authorization: `Bearer ${emulator.apiKey}`, "openai-beta": "assistants=v2", ...options.headers }
  })
  return options.body === undefined ? request : HttpClientRequest.bodyUnsafeJson(request, options.body)
}

/** One request to the emulator in context, through the client in context. */
const send = (method: HttpMethod, path: string, options: { readonly body?: unknown } = {}) =>
  Effect.flatMap(
    Emulator.Emulator,
    (emulator) =>
      Effect.flatMap(HttpClient.HttpClient, (client) => client.execute(makeRequest(emulator, method, path, options)))
  )

/** A body read to its end or to its failure: the text received, the pieces it came in, and the failure, if any. */
const readBody = (response: HttpClientResponse.HttpClientResponse) =>
  Effect.gen(function*() {
    const chunks: Array<Uint8Array> = []
    const result = yield* Effect.either(
      Stream.runForEach(response.stream, (chunk) => Effect.sync(() => chunks.push(chunk)))
    )
    return {
      text: Buffer.concat(chunks).toString("utf8"),
      pieces: chunks.length,
      failure: Either.isLeft(result) ? result.left : undefined
    }
  })

/** A failure of a body as the client sees a connection cut midway. */
const expectCut = (failure: unknown) => {
  expect(failure).toMatchObject({ _tag: "ResponseError", reason: "Decode" })
  const cause = (failure as HttpClientError.ResponseError).cause
  expect(cause).toBeInstanceOf(HttpClientError.RequestError)
  expect(cause).toMatchObject({ reason: "Transport" })
}

/** An assistant answering with one message, and a streamed createRun for it. */
const streamedRun = (emulator: Emulator.Handle) => {
  const assistant = emulator.seedAssistant({ script: [{ type: "message", text: "One two three four five." }] })
  const thread = emulator.seedThread()
  return { thread, path: `/threads/${thread.id}/runs`, body: { assistant_id: assistant.id, stream: true } }
}

/** Ids and timestamps replaced by placeholders, so that two emulators playing one scenario compare equal. */
const normalized = (text: string): string =>
  text.replace(/\b(run|thread|asst|step|msg|call)_[A-Za-z0-9]{24}\b/g, "$1_ID").replace(/\b\d{10}\b/g, "TIME")

/** A scenario of every kind of answer; what was answered, normalized. */
const scenario = (emulator: Emulator.Handle, client: HttpClient.HttpClient) =>
  Effect.gen(function*() {
    const answers: Array<{ status: number; contentType: string | undefined; requestId: string; body: string }> = []
    const call = (method: HttpMethod, path: string, options: Parameters<typeof makeRequest>[3] = {}) =>
      Effect.gen(function*() {
        const response = yield* client.execute(makeRequest(emulator, method, path, options))
        const text = yield* response.text
        answers.push({
          status: response.status,
          contentType: response.headers["content-type"],
          requestId: response.headers["x-request-id"]?.replace(/^req_[0-9a-f]{32}$/, "req_ID") ?? "none",
          body: normalized(text)
        })
        return text.startsWith("{") ? JSON.parse(text) : text
      })
    emulator.seedAssistant({ id: "asst_differential" })
    const thread = { messages: [{ role: "user", content: "Hello" }] }
    const first = yield* call("POST", "/threads/runs", { body: { assistant_id: "asst_differential", thread } })
    const runs = `/threads/${first.thread_id}/runs`
    let run = first
    while (!["completed", "failed"].includes(run.status)) run = yield* call("GET", `${runs}/${first.id}`)
    const second = yield* call("POST", runs, { body: { assistant_id: "asst_differential" } })
    yield* call("POST", `${runs}/${second.id}/cancel`)
    const page = yield* call("GET", `${runs}?limit=1`)
    yield* call("GET", `${runs}?limit=1&after=${page.last_id}`)
    const other = yield* call("POST", "/threads", { body: { messages: [{ role: "user", content: "Hi" }] } })
    const message = yield* call("POST", `/threads/${other.id}/messages`, { body: { role: "user", content: "Again" } })
    yield* call("GET", `/threads/${first.thread_id}/messages?order=asc&run_id=${first.id}`)
    yield* call("POST", `/threads/${other.id}/messages/${message.id}`, { body: { metadata: { k: "v" } } })
    yield* call("DELETE", `/threads/${other.id}/messages/${message.id}`)
    yield* call("DELETE", `/threads/${other.id}`)
    yield* call("GET", "/threads/thread_nope/runs/run_nope/files")
    yield* call("GET", `${runs}/${first.id}`, { headers: { authorization: "Bearer sk-wrong" } })
    yield* call("POST", "/threads/runs", { body: { assistant_id: "asst_differential", thread, stream: true } })
    const requests = emulator.requests().map(({ body, method, path, query }) =>
      normalized(JSON.stringify({ method, path, query, body }))
    )
    return { answers, requests }
  })

describe("in-process transport", () => {
  it.scoped("answers as the socket server does, request for request", () =>
    Effect.gen(function*() {
      const overSocket = yield* Emulator.make()
      const inProcess = yield* Emulator.makeInProcess()
      const fetchClient = yield* Effect.provide(HttpClient.HttpClient, FetchHttpClient.layer)
      const inProcessClient = yield* Effect.provideService(EmulatorHttpClient.make, Emulator.Emulator, inProcess)
      const expected = yield* scenario(overSocket, fetchClient)
      const actual = yield* scenario(inProcess, inProcessClient)
      expect(actual).toEqual(expected)
      expect(expected.answers.map((answer) => answer.status)).toEqual([
        ...Array.from({ length: 13 }, () => 200),
        404,
        401,
        200
      ])
      expect(expected.answers[9]?.body).toMatch(/"role": ?"assistant"/)
      expect(expected.answers.at(-1)?.contentType).toBe("text/event-stream; charset=utf-8")
      expect(expected.answers.at(-1)?.body.endsWith("event: done\ndata: [DONE]\n\n")).toBe(true)
      expect(expected.requests[5]).toContain("\"query\":{\"limit\":\"1\"}")
    }))

  it.scoped("an in-process emulator has a fixed URL, no connections, and its own Layer", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.makeInProcess({ apiKey: "sk-in-process" })
      expect(emulator.url).toBe("http://in-process.invalid/v1")
      expect(emulator.apiKey).toBe("sk-in-process")
      expect(emulator.openConnections()).toBe(0)
      const run = emulator.seedRun()
      const response = yield* send("GET", `/threads/${run.thread_id}/runs/${run.id}`).pipe(
        Effect.provide(EmulatorHttpClient.layer),
        Effect.provideService(Emulator.Emulator, emulator)
      )
      expect(response.status).toBe(200)
      expect(response.headers["x-request-id"]).toMatch(/^req_[0-9a-f]{32}$/)
      expect(response.headers["openai-poll-after-ms"]).toBe("500")
    }))

  it.scoped("the client also skips the socket of an emulator that listens", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      const run = emulator.seedRun()
      const response = yield* send("GET", `/threads/${run.thread_id}/runs/${run.id}`).pipe(
        Effect.provide(EmulatorHttpClient.layer),
        Effect.provideService(Emulator.Emulator, emulator)
      )
      expect((yield* response.json) as { id: string }).toMatchObject({ id: run.id })
      expect(emulator.openConnections()).toBe(0)
    }))

  it.effect("needs an emulator made by make or makeInProcess", () =>
    Effect.gen(function*() {
      const exit = yield* Effect.exit(
        Effect.provideService(EmulatorHttpClient.make, Emulator.Emulator, {} as Emulator.Handle)
      )
      expect(exit._tag).toBe("Failure")
    }))

  it.effect("the request log records in-process requests, the key redacted", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.Emulator
      const client = yield* HttpClient.HttpClient
      const run = emulator.seedRun()
      const runs = `/threads/${run.thread_id}/runs`
      yield* client.execute(
        HttpClientRequest.setUrlParams(makeRequest(emulator, "GET", runs), { limit: "2", order: "asc" })
      )
      const raw = HttpClientRequest.setBody(makeRequest(emulator, "POST", runs), HttpBody.raw("{\"assistant_id\": "))
      expect((yield* client.execute(raw)).status).toBe(400)
      const streamed = HttpClientRequest.bodyStream(
        makeRequest(emulator, "POST", `${runs}/${run.id}`),
        Stream.make("{\"metadata\":", "{\"k\":\"v\"}}").pipe(Stream.encodeText)
      )
      expect((yield* client.execute(streamed)).status).toBe(200)
      const [list, invalid, modify] = emulator.requests()
      expect(list).toMatchObject({ method: "GET", path: `/v1${runs}`, query: { limit: "2", order: "asc" }, body: "" })
      expect(list!.headers.authorization).toBe("<redacted>")
      expect(list!.headers["openai-beta"]).toBe("assistants=v2")
      expect(invalid).toMatchObject({ method: "POST", body: "{\"assistant_id\": " })
      expect(modify).toMatchObject({ method: "POST", body: "{\"metadata\":{\"k\":\"v\"}}" })
      expect(emulator.getRun(run.thread_id, run.id)?.metadata).toEqual({ k: "v" })
    }).pipe(Effect.provide(InProcess())))

  it.effect("a body the emulator cannot take fails to encode", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.Emulator
      const client = yield* HttpClient.HttpClient
      const form = HttpClientRequest.bodyFormDataRecord(makeRequest(emulator, "POST", "/threads/runs"), { a: "b" })
      expect(yield* Effect.flip(client.execute(form))).toMatchObject({ _tag: "RequestError", reason: "Encode" })
      expect(emulator.requests()).toEqual([])
    }).pipe(Effect.provide(InProcess())))
})

describe("in-process faults", () => {
  it.effect("a status fault answers with its status, headers and body", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.Emulator
      emulator.enqueueFault(
        Fault.status(503, { headers: { "Retry-After": "1" }, body: { error: { message: "Busy" } } })
      )
      const response = yield* send("GET", "/threads/thread_x/runs/run_x")
      expect(response.status).toBe(503)
      expect(response.headers["retry-after"]).toBe("1")
      expect(response.headers["content-type"]).toBe("application/json")
      expect(yield* response.json).toEqual({ error: { message: "Busy" } })
    }).pipe(Effect.provide(InProcess())))

  it.effect("a header given several values is sent once per value", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.Emulator
      emulator.enqueueFault(Fault.garbledHeaders({ status: 429 }))
      const response = yield* send("GET", "/threads/thread_x/runs/run_x")
      expect(response.status).toBe(429)
      expect(response.headers["x-request-id"]).toBe("req_garbled_1, req_garbled_2")
      expect(response.headers["retry-after"]).toBe("soon")
    }).pipe(Effect.provide(InProcess())))

  it.effect("statuses without a body, and above 599, arrive as sent", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.Emulator
      emulator.enqueueFault(Fault.status(204, { body: "ignored" }))
      emulator.enqueueFault(Fault.status(600, { body: "odd" }))
      const noContent = yield* send("GET", "/threads/thread_x/runs/run_x")
      expect([noContent.status, yield* noContent.text]).toEqual([204, ""])
      const odd = yield* send("GET", "/threads/thread_x/runs/run_x")
      expect([odd.status, yield* odd.text]).toEqual([600, "odd"])
    }).pipe(Effect.provide(InProcess())))

  it.effect("an informational status is no answer: the client waits", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.Emulator
      emulator.enqueueFault(Fault.status(103))
      const waiting = yield* Effect.fork(Effect.timeout(send("GET", "/threads/thread_x/runs/run_x"), "1 second"))
      yield* TestClock.adjust("1 second")
      expect(yield* Effect.flip(Fiber.join(waiting))).toMatchObject({ _tag: "TimeoutException" })
    }).pipe(Effect.provide(InProcess())))

  it.effect("a reset fails the request with a transport error", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.Emulator
      emulator.enqueueFault(Fault.reset())
      const error = yield* Effect.flip(send("GET", "/threads/thread_x/runs/run_x"))
      expect(error).toBeInstanceOf(HttpClientError.RequestError)
      expect(error).toMatchObject({ reason: "Transport" })
    }).pipe(Effect.provide(InProcess())))

  it.effect("a truncated answer fails its body after half of it", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.Emulator
      const run = emulator.seedRun()
      const path = `/threads/${run.thread_id}/runs/${run.id}`
      emulator.enqueueFault(Fault.truncated())
      const response = yield* send("GET", path)
      expect(response.status).toBe(200)
      const length = Number(response.headers["content-length"])
      const body = yield* readBody(response)
      expect(Buffer.byteLength(body.text)).toBe(Math.floor(length / 2))
      expectCut(body.failure)
      emulator.enqueueFault(Fault.truncated())
      expectCut(yield* Effect.flip(Effect.flatMap(send("GET", path), (response) => response.json)))
    }).pipe(Effect.provide(InProcess())))

  it.effect("a reset mid-body fails the body after afterBytes", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.Emulator
      const run = emulator.seedRun()
      emulator.enqueueFault(Fault.resetMidBody({ afterBytes: 10 }))
      const body = yield* readBody(yield* send("GET", `/threads/${run.thread_id}/runs/${run.id}`))
      expect(body.text).toHaveLength(10)
      expectCut(body.failure)
      expect((body.failure as HttpClientError.ResponseError).cause).toMatchObject({
        description: "The emulator reset the connection mid-body"
      })
    }).pipe(Effect.provide(InProcess())))

  it.effect("a slow drip delivers every byte, in pieces, in real time under a TestClock", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.Emulator
      const run = emulator.seedRun({ status: "completed" })
      emulator.enqueueFault(Fault.slowDrip({ bytes: 64, intervalMs: 2, delayMs: 30 }))
      const started = Date.now()
      const body = yield* readBody(yield* send("GET", `/threads/${run.thread_id}/runs/${run.id}`))
      expect(Date.now() - started).toBeGreaterThanOrEqual(30)
      expect(body.failure).toBeUndefined()
      expect(JSON.parse(body.text)).toEqual(emulator.getRun(run.thread_id, run.id))
      expect(body.pieces).toBe(Math.ceil(Buffer.byteLength(body.text) / 64))
    }).pipe(Effect.provide(InProcess())))

  it.effect("a cut stream ends with a failure after its events", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.Emulator
      const { body, path } = streamedRun(emulator)
      emulator.enqueueStreamFault(Fault.cutStream(3))
      const response = yield* send("POST", path, { body })
      expect(response.headers["content-type"]).toBe("text/event-stream; charset=utf-8")
      const read = yield* readBody(response)
      expect(outline(parseEvents(read.text))).toEqual([
        "thread.run.created",
        "thread.run.queued",
        "thread.run.in_progress"
      ])
      expectCut(read.failure)
      expect(emulator.streamsClosedByClient()).toBe(0)
    }).pipe(Effect.provide(InProcess())))

  it.effect("a stream error event ends the stream cleanly", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.Emulator
      const { body, path } = streamedRun(emulator)
      emulator.enqueueStreamFault(Fault.streamError(2, { message: "Boom." }))
      const read = yield* readBody(yield* send("POST", path, { body }))
      expect(read.failure).toBeUndefined()
      const events = parseEvents(read.text)
      expect(events.map((event) => event.event)).toEqual(["thread.run.created", "thread.run.queued", "error"])
      expect(events[2]!.data.error).toMatchObject({ message: "Boom.", type: "server_error" })
    }).pipe(Effect.provide(InProcess())))
})

describe("in-process streams", () => {
  it.effect("events come one write each, eventDelayMs apart in real time under a TestClock", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.Emulator
      const { body, path } = streamedRun(emulator)
      const started = Date.now()
      const read = yield* readBody(yield* send("POST", path, { body }))
      const events = parseEvents(read.text)
      expect(read.pieces).toBe(events.length)
      expect(Date.now() - started).toBeGreaterThanOrEqual(5 * (events.length - 1) - 5)
      expect(events.at(-1)).toEqual({ event: "done", data: "[DONE]" })
      expect(emulator.streamsClosedByClient()).toBe(0)
    }).pipe(Effect.provide(InProcess({ streaming: { eventDelayMs: 5 } }))))

  it.effect("interrupting a stream consumer stops the writing and counts the stream as closed by the client", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.Emulator
      const { body, path } = streamedRun(emulator)
      const response = yield* send("POST", path, { body })
      const first = yield* Deferred.make<void>()
      const consumer = yield* Effect.fork(Stream.runForEach(response.stream, () => Deferred.succeed(first, undefined)))
      yield* Deferred.await(first)
      yield* Fiber.interrupt(consumer)
      yield* eventually(() => emulator.streamsClosedByClient() === 1)
    }).pipe(Effect.provide(InProcess({ streaming: { eventDelayMs: 40 } }))))

  it.effect("a consumer taking the first event only closes the stream", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.Emulator
      const { body, path } = streamedRun(emulator)
      const response = yield* send("POST", path, { body })
      const [first] = yield* Stream.runCollect(Stream.take(response.stream, 1))
      expect(Buffer.from(first!).toString("utf8")).toMatch(/^event: thread\.run\.created\n/)
      yield* eventually(() => emulator.streamsClosedByClient() === 1)
    }).pipe(Effect.provide(InProcess({ streaming: { eventDelayMs: 40 } }))))

  it.effect("a client leaving before the head of a stream closes it, and the run is still created", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.Emulator
      const { body, path, thread } = streamedRun(emulator)
      emulator.enqueueFault(Fault.delay(30))
      const waiting = yield* Effect.fork(send("POST", path, { body }))
      yield* eventually(() => emulator.requests().length === 1)
      yield* Fiber.interrupt(waiting)
      yield* eventually(() => emulator.streamsClosedByClient() === 1)
      expect(emulator.getMessages(thread.id).map((message) => message.role)).toEqual(["assistant"])
    }).pipe(Effect.provide(InProcess())))

  it.effect("closing the emulator cuts the answers it is writing", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.Emulator
      const { body, path } = streamedRun(emulator)
      const response = yield* send("POST", path, { body })
      yield* Effect.promise(() => emulator.close())
      const read = yield* readBody(response)
      expect(parseEvents(read.text).length).toBeLessThan(3)
      expectCut(read.failure)
      expect(yield* Effect.flip(send("GET", "/threads/thread_x/runs/run_x"))).toMatchObject({ reason: "Transport" })
    }).pipe(Effect.provide(InProcess({ streaming: { eventDelayMs: 40 } }))))

  it.effect("a streamed answer read to its end is not counted", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.Emulator
      const { body, path } = streamedRun(emulator)
      const text = yield* Effect.flatMap(send("POST", path, { body }), (response) => response.text)
      expect(text.endsWith("event: done\ndata: [DONE]\n\n")).toBe(true)
      expect(emulator.streamsClosedByClient()).toBe(0)
    }).pipe(Effect.provide(InProcess())))
})
