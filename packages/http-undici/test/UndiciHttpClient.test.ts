import { UndiciHttpClient } from "@effect-openai/http-undici"
import { Cookies, HttpBody, HttpClient, HttpClientError, HttpClientRequest } from "@effect/platform"
import { describe, expect, it } from "@effect/vitest"
import { Chunk, Context, Effect, Exit, Fiber, Layer, Option, Queue, Scope, Stream } from "effect"
import type * as Http from "node:http"
import * as Undici from "undici"
import { freePort, type Handler, serve, type Server } from "./support/server.js"

/** Runs `f` against a server answering with `handler`, through a client of its own over a fresh `Agent`. */
const withServer = <A, E>(
  handler: Handler,
  f: (server: Server, client: HttpClient.HttpClient) => Effect.Effect<A, E, Scope.Scope>
) =>
  Effect.gen(function*() {
    const server = yield* serve(handler)
    const client = yield* HttpClient.HttpClient
    return yield* f(server, client)
  }).pipe(Effect.provide(UndiciHttpClient.layer()))

/** Fails the test instead of hanging when what it waits for never happens. */
const soon = <A, E, R>(effect: Effect.Effect<A, E, R>) => Effect.timeout(effect, "2 seconds")

const json = (body: unknown, status = 200, headers: Http.OutgoingHttpHeaders = {}): Handler => (_, response) => {
  const text = JSON.stringify(body)
  response.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
    ...headers
  })
  response.end(text)
}

/** Echoes the request: method, path, content type and body, as JSON. */
const echo: Handler = (received, response) =>
  json({
    method: received.method,
    url: received.url,
    contentType: received.headers["content-type"] ?? null,
    transferEncoding: received.headers["transfer-encoding"] ?? null,
    body: received.body
  })(received, response, undefined as never)

/** Every `code` in an error's cause chain (`cause`, and `errors` of an `AggregateError`). */
const codes = (error: unknown): Array<string> => {
  if (typeof error !== "object" || error === null) return []
  const { cause, code, errors } = error as { cause?: unknown; code?: unknown; errors?: unknown }
  return [
    ...(typeof code === "string" ? [code] : []),
    ...codes(cause),
    ...(Array.isArray(errors) ? errors.flatMap(codes) : [])
  ]
}

const encode = (text: string) => new TextEncoder().encode(text)

/** One turn of the event loop: undici puts a connection back in its pool then, not as soon as a response ends. */
const nextTurn = Effect.async<void>((resume) => {
  setImmediate(() => resume(Effect.void))
})

describe("UndiciHttpClient", () => {
  describe("requests", () => {
    it.scopedLive("GET: method, path and query as given, and a JSON body", () =>
      withServer(json({ id: "run_1", n: 1 }), (server, client) =>
        Effect.gen(function*() {
          const response = yield* client.get(`${server.origin}/v1/runs/run_1?limit=2&order=desc`)
          expect(response.status).toBe(200)
          expect(yield* response.json).toEqual({ id: "run_1", n: 1 })
          expect(server.received.map(({ method, url }) => [method, url])).toEqual([
            ["GET", "/v1/runs/run_1?limit=2&order=desc"]
          ])
        })))

    it.scopedLive("POST with a JSON body", () =>
      withServer(echo, (server, client) =>
        Effect.gen(function*() {
          const response = yield* HttpClientRequest.post(`${server.origin}/v1/runs`).pipe(
            HttpClientRequest.bodyUnsafeJson({ assistant_id: "asst_1", metadata: { a: "é" } }),
            client.execute
          )
          expect(yield* response.json).toEqual({
            method: "POST",
            url: "/v1/runs",
            contentType: "application/json",
            transferEncoding: null,
            body: JSON.stringify({ assistant_id: "asst_1", metadata: { a: "é" } })
          })
        })))

    it.scopedLive("Uint8Array, raw string and FormData bodies", () =>
      withServer(echo, (server, client) =>
        Effect.gen(function*() {
          const post = (request: HttpClientRequest.HttpClientRequest) =>
            Effect.flatMap(client.execute(request), (response) => response.json) as Effect.Effect<
              { contentType: string; body: string },
              HttpClientError.HttpClientError
            >
          const url = `${server.origin}/upload`
          const bytes = yield* post(
            HttpClientRequest.post(url).pipe(HttpClientRequest.bodyUint8Array(encode("bytes"), "application/x-bytes"))
          )
          expect(bytes).toMatchObject({ contentType: "application/x-bytes", body: "bytes" })
          const raw = yield* post(
            HttpClientRequest.post(url).pipe(HttpClientRequest.setBody(HttpBody.raw("raw text", {
              contentType: "text/plain"
            })))
          )
          expect(raw).toMatchObject({ contentType: "text/plain", body: "raw text" })
          const form = new FormData()
          form.append("purpose", "assistants")
          form.append("file", new File(["{\"a\":1}"], "data.jsonl", { type: "application/jsonl" }))
          const multipart = yield* post(HttpClientRequest.post(url).pipe(HttpClientRequest.bodyFormData(form)))
          expect(multipart.contentType).toMatch(/^multipart\/form-data; boundary=/)
          expect(multipart.body).toMatch(/name="purpose"\r\n\r\nassistants\r\n/)
          expect(multipart.body).toMatch(
            /name="file"; filename="data.jsonl"\r\nContent-Type: application\/jsonl\r\n\r\n\{"a":1\}\r\n/
          )
        })))

    it.scopedLive("a streamed body is sent chunked, as it is pulled", () =>
      withServer(echo, (server, client) =>
        Effect.gen(function*() {
          const body = Stream.make("da", "ta: ", "1\n\n").pipe(Stream.map(encode))
          const response = yield* HttpClientRequest.post(`${server.origin}/upload`).pipe(
            HttpClientRequest.bodyStream(body, { contentType: "text/plain" }),
            client.execute
          )
          expect(yield* response.json).toMatchObject({
            contentType: "text/plain",
            transferEncoding: "chunked",
            body: "data: 1\n\n"
          })
        })))

    it.scopedLive("a streamed body that fails is an Encode RequestError with the stream's error", () =>
      withServer(echo, (server, client) =>
        Effect.gen(function*() {
          const body = Stream.concat(Stream.make(encode("partial")), Stream.fail("boom"))
          const error = yield* HttpClientRequest.post(`${server.origin}/upload`).pipe(
            HttpClientRequest.bodyStream(body),
            client.execute,
            Effect.flip
          )
          expect(error).toBeInstanceOf(HttpClientError.RequestError)
          expect(error).toMatchObject({ reason: "Encode", cause: "boom" })
        })))

    it.scopedLive("request headers are sent as given", () =>
      withServer(echo, (server, client) =>
        Effect.gen(function*() {
          yield* HttpClientRequest.get(`${server.origin}/`).pipe(
            HttpClientRequest.setHeaders({ "OpenAI-Beta": "assistants=v2", "x-trace": "t1" }),
            HttpClientRequest.bearerToken("sk-test"),
            client.execute
          )
          expect(server.received[0]!.headers).toMatchObject({
            "openai-beta": "assistants=v2",
            "x-trace": "t1",
            authorization: "Bearer sk-test"
          })
        })))

    it.scopedLive("a header value undici refuses is an Encode RequestError, and nothing is sent", () =>
      withServer(echo, (server, client) =>
        Effect.gen(function*() {
          const error = yield* HttpClientRequest.get(`${server.origin}/`).pipe(
            HttpClientRequest.setHeader("x-bad", "a\r\nx-injected: 1"),
            client.execute,
            Effect.flip
          )
          expect(error).toMatchObject({ _tag: "RequestError", reason: "Encode" })
          expect(codes(error)).toContain("UND_ERR_INVALID_ARG")
          expect(server.received).toEqual([])
        })))

    it.scopedLive("a malformed URL, or one that is not http(s), is an InvalidUrl RequestError", () =>
      withServer(echo, (_, client) =>
        Effect.gen(function*() {
          const malformed = yield* Effect.flip(client.get("http://[::1"))
          expect(malformed).toMatchObject({ _tag: "RequestError", reason: "InvalidUrl" })
          const ftp = yield* Effect.flip(client.get("ftp://127.0.0.1/file"))
          expect(ftp).toMatchObject({ _tag: "RequestError", reason: "InvalidUrl" })
        })))
  })

  describe("responses", () => {
    it.scopedLive("headers are lower-case, repeated ones joined; cookies are parsed from every set-cookie", () =>
      withServer((_, response) => {
        response.setHeader("X-Mixed-Case", "Yes")
        response.setHeader("x-multi", ["a", "b"])
        response.setHeader("set-cookie", ["session=abc; Path=/; HttpOnly", "theme=dark"])
        response.end()
      }, (server, client) =>
        Effect.gen(function*() {
          const response = yield* client.get(`${server.origin}/`)
          expect(response.headers["x-mixed-case"]).toBe("Yes")
          expect(response.headers["x-multi"]).toBe("a, b")
          expect(response.headers["set-cookie"]).toBe("session=abc; Path=/; HttpOnly, theme=dark")
          expect(response.headers).toBe(response.headers)
          expect(Cookies.toRecord(response.cookies)).toEqual({ session: "abc", theme: "dark" })
          expect(response.cookies.cookies.session?.options).toMatchObject({ path: "/", httpOnly: true })
          expect(response.remoteAddress).toEqual(Option.none())
        })))

    it.scopedLive("204 and 304 have no body: text is empty, json null, the stream empty", () =>
      withServer((received, response) => {
        response.writeHead(received.url === "/204" ? 204 : 304, { etag: "\"v1\"" })
        response.end()
      }, (server, client) =>
        Effect.gen(function*() {
          for (const status of [204, 304]) {
            const response = yield* client.get(`${server.origin}/${status}`)
            expect(response.status).toBe(status)
            expect(yield* response.text).toBe("")
            expect(yield* response.json).toBeNull()
            const streamed = yield* client.get(`${server.origin}/${status}`)
            expect(Chunk.toReadonlyArray(yield* Stream.runCollect(streamed.stream))).toEqual([])
          }
        })))

    it.scopedLive("a HEAD response has no body, whatever its content-length says", () =>
      withServer((_, response) => {
        response.writeHead(200, { "content-type": "application/json", "content-length": 42 })
        response.end()
      }, (server, client) =>
        Effect.gen(function*() {
          const response = yield* client.head(`${server.origin}/`)
          expect(response.headers["content-length"]).toBe("42")
          expect(yield* soon(response.text)).toBe("")
          expect(server.received.map(({ method }) => method)).toEqual(["HEAD"])
        })))

    it.scopedLive("error statuses are responses, with their body", () =>
      withServer(json({ error: { message: "No such run" } }, 404), (server, client) =>
        Effect.gen(function*() {
          const response = yield* client.get(`${server.origin}/v1/runs/nope`)
          expect(response.status).toBe(404)
          expect(yield* response.json).toEqual({ error: { message: "No such run" } })
        })))

    it.scopedLive("a 302 is returned as it is: redirects are not followed", () =>
      withServer((_, response) => {
        response.writeHead(302, { location: "/elsewhere", "content-length": 0 })
        response.end()
      }, (server, client) =>
        Effect.gen(function*() {
          const response = yield* client.get(`${server.origin}/start`)
          expect(response.status).toBe(302)
          expect(response.headers.location).toBe("/elsewhere")
          expect(server.received.map(({ url }) => url)).toEqual(["/start"])
        })))

    it.scopedLive("text, json, urlParamsBody, arrayBuffer and formData share the body; each can run again", () =>
      withServer((received, response) => {
        const urlencoded = received.url === "/form"
        response.writeHead(200, {
          "content-type": urlencoded ? "application/x-www-form-urlencoded" : "application/json"
        })
        response.end(urlencoded ? "a=1&b=two&a=3" : "\uFEFF{\"ok\":true}")
      }, (server, client) =>
        Effect.gen(function*() {
          const response = yield* client.get(`${server.origin}/json`)
          expect(yield* response.text).toBe("{\"ok\":true}")
          expect(yield* response.text).toBe("{\"ok\":true}")
          expect(yield* response.json).toEqual({ ok: true })
          const bytes = new Uint8Array(yield* response.arrayBuffer)
          expect(Buffer.from(bytes).toString("utf8")).toBe("\uFEFF{\"ok\":true}")
          const form = yield* client.get(`${server.origin}/form`)
          expect(yield* form.urlParamsBody).toEqual([["a", "1"], ["b", "two"], ["a", "3"]])
          const formData = yield* form.formData
          expect(formData.getAll("a")).toEqual(["1", "3"])
          expect(formData.get("b")).toBe("two")
        })))

    it.scopedLive("a body that is not JSON fails json with a Decode ResponseError", () =>
      withServer((_, response) => response.end("not json"), (server, client) =>
        Effect.gen(function*() {
          const response = yield* client.get(`${server.origin}/`)
          const error = yield* Effect.flip(response.json)
          expect(error).toBeInstanceOf(HttpClientError.ResponseError)
          expect(error).toMatchObject({ reason: "Decode" })
          expect(error.response.status).toBe(200)
          expect(error.cause).toBeInstanceOf(SyntaxError)
        })))

    it.scopedLive("the stream takes the body alone: no other reader after it, and no stream after another reader", () =>
      withServer((_, response) => response.end("body"), (server, client) =>
        Effect.gen(function*() {
          const streamed = yield* client.get(`${server.origin}/`)
          const chunks = yield* Stream.runCollect(Stream.decodeText(streamed.stream))
          expect(Chunk.join(chunks, "")).toBe("body")
          expect(yield* Effect.flip(streamed.text)).toMatchObject({ _tag: "ResponseError", reason: "Decode" })
          expect(yield* Effect.flip(Stream.runDrain(streamed.stream))).toMatchObject({ reason: "Decode" })
          const read = yield* client.get(`${server.origin}/`)
          expect(yield* read.text).toBe("body")
          expect(yield* Effect.flip(Stream.runDrain(read.stream))).toMatchObject({ reason: "Decode" })
        })))

    it.scopedLive("a stream taken after the body has arrived whole gives every piece once, in order", () =>
      withServer((_, response) => {
        response.write("one,")
        setTimeout(() => response.end("two"), 20)
      }, (server, client) =>
        Effect.gen(function*() {
          const streamed = yield* client.get(`${server.origin}/`)
          yield* Effect.sleep("100 millis")
          const chunks = yield* soon(Stream.runCollect(Stream.decodeText(streamed.stream)))
          expect(Chunk.join(chunks, "")).toBe("one,two")
          expect(yield* Effect.flip(Stream.runDrain(streamed.stream))).toMatchObject({ reason: "Decode" })
          expect(yield* Effect.flip(streamed.text)).toMatchObject({ reason: "Decode" })
        })))

    it.scopedLive("a body larger than the buffer is read whole, and streamed whole", () => {
      const big = "x".repeat(1024 * 1024)
      return withServer((_, response) => response.end(big), (server, client) =>
        Effect.gen(function*() {
          const read = yield* client.get(`${server.origin}/`)
          expect((yield* soon(read.text)).length).toBe(big.length)
          const streamed = yield* client.get(`${server.origin}/`)
          const sizes = yield* soon(Stream.runFold(streamed.stream, 0, (size, chunk) => size + chunk.length))
          expect(sizes).toBe(big.length)
        }))
    })

    it.scopedLive("an event stream is read piece by piece, as the server writes it", () => {
      let sse: Http.ServerResponse | undefined
      return withServer((_, response) => {
        response.writeHead(200, { "content-type": "text/event-stream" })
        response.write("data: one\n\n")
        sse = response
      }, (server, client) =>
        Effect.gen(function*() {
          const response = yield* client.get(`${server.origin}/stream`)
          const pull = yield* Stream.toPull(Stream.decodeText(response.stream))
          expect(Chunk.join(yield* soon(pull), "")).toBe("data: one\n\n")
          sse!.write("data: t")
          expect(Chunk.join(yield* soon(pull), "")).toBe("data: t")
          sse!.write("wo\n\n")
          expect(Chunk.join(yield* soon(pull), "")).toBe("wo\n\n")
          sse!.end()
          expect(yield* Effect.flip(soon(pull))).toEqual(Option.none())
        }))
    })

    it.scopedLive("toJSON shows status, headers and an arrived JSON body without reading it", () =>
      withServer(json({ id: "run_1" }), (server, client) =>
        Effect.gen(function*() {
          const response = yield* client.get(`${server.origin}/v1/runs/run_1`)
          expect(response.toJSON()).toMatchObject({
            _id: "@effect/platform/HttpClientResponse",
            request: { method: "GET", url: `${server.origin}/v1/runs/run_1` },
            status: 200,
            headers: { "content-type": "application/json" },
            body: { id: "run_1" }
          })
          const chunks = yield* Stream.runCollect(Stream.decodeText(response.stream))
          expect(JSON.parse(Chunk.join(chunks, ""))).toEqual({ id: "run_1" })
        })))
  })

  describe("failures", () => {
    it.scopedLive("a connection reset before the response is a Transport RequestError with undici's cause", () =>
      withServer((_, __, request) => request.socket.resetAndDestroy(), (server, client) =>
        Effect.gen(function*() {
          const error = yield* Effect.flip(client.get(`${server.origin}/`))
          expect(error).toBeInstanceOf(HttpClientError.RequestError)
          expect(error).toMatchObject({ reason: "Transport", cause: { code: "ECONNRESET" } })
        })))

    it.scopedLive("a connection closed before the response is a Transport RequestError (UND_ERR_SOCKET)", () =>
      withServer((_, __, request) => request.socket.destroy(), (server, client) =>
        Effect.gen(function*() {
          const error = yield* Effect.flip(client.get(`${server.origin}/`))
          expect(error).toMatchObject({ _tag: "RequestError", reason: "Transport", cause: { code: "UND_ERR_SOCKET" } })
        })))

    it.scopedLive("a body cut mid-way fails its reader with a Decode ResponseError", () =>
      withServer((_, response, request) => {
        response.writeHead(200, { "content-type": "text/plain", "content-length": 100 })
        response.write("0123456789", () => request.socket.destroy())
      }, (server, client) =>
        Effect.gen(function*() {
          const response = yield* client.get(`${server.origin}/`)
          expect(response.status).toBe(200)
          const error = yield* Effect.flip(response.text)
          expect(error).toBeInstanceOf(HttpClientError.ResponseError)
          expect(error).toMatchObject({ reason: "Decode" })
          expect(codes(error.cause)).toContain("UND_ERR_SOCKET")
          const streamed = yield* client.get(`${server.origin}/`)
          const streamError = yield* Effect.flip(Stream.runDrain(streamed.stream))
          expect(streamError).toMatchObject({ _tag: "ResponseError", reason: "Decode" })
        })))

    it.scopedLive("a dispatcher that throws instead of reporting to its handler gives a Transport RequestError", () => {
      class Throwing extends Undici.Dispatcher {
        override dispatch(): boolean {
          throw new Error("no dispatching today")
        }
      }
      return Effect.gen(function*() {
        const client = yield* HttpClient.HttpClient
        const error = yield* Effect.flip(client.get("http://127.0.0.1:1/"))
        expect(error).toMatchObject({ _tag: "RequestError", reason: "Transport" })
        expect(error.cause).toMatchObject({ message: "no dispatching today" })
      }).pipe(
        Effect.provide(UndiciHttpClient.layerDispatcher),
        Effect.provideService(UndiciHttpClient.Dispatcher, new Throwing())
      )
    })

    it.scopedLive("a refused connection is a Transport RequestError with ECONNREFUSED in its cause", () =>
      Effect.gen(function*() {
        const port = yield* freePort
        const client = yield* HttpClient.HttpClient
        const error = yield* Effect.flip(client.get(`http://127.0.0.1:${port}/`))
        expect(error).toMatchObject({ _tag: "RequestError", reason: "Transport" })
        expect(codes(error.cause)).toContain("ECONNREFUSED")
      }).pipe(Effect.provide(UndiciHttpClient.layer())))
  })

  describe("interruption", () => {
    it.scopedLive("interrupting a request in flight aborts it: the server sees the connection close", () =>
      withServer(() => {
        // never answers
      }, (server, client) =>
        Effect.gen(function*() {
          const fiber = yield* Effect.fork(client.get(`${server.origin}/slow`))
          yield* soon(server.receivedCount(1))
          const exit = yield* Fiber.interrupt(fiber)
          expect(Exit.isInterrupted(exit)).toBe(true)
          yield* soon(server.closed(0))
        })))

    it.scopedLive("interrupting a stream mid-body aborts the request: the server sees the connection close", () =>
      withServer((_, response) => {
        response.writeHead(200, { "content-type": "text/event-stream" })
        response.write("data: first\n\n")
      }, (server, client) =>
        Effect.gen(function*() {
          const response = yield* client.get(`${server.origin}/stream`)
          const chunks = yield* Queue.unbounded<Uint8Array>()
          const fiber = yield* Effect.fork(Stream.runForEach(response.stream, (chunk) => Queue.offer(chunks, chunk)))
          expect(new TextDecoder().decode(yield* soon(Queue.take(chunks)))).toBe("data: first\n\n")
          yield* Fiber.interrupt(fiber)
          yield* soon(server.closed(0))
        })))

    it.scopedLive("with HttpClient.withScope, closing the scope aborts the request in flight", () =>
      withServer(() => {
        // never answers
      }, (server, client) =>
        Effect.gen(function*() {
          const scope = yield* Scope.make()
          const fiber = yield* HttpClient.withScope(client).get(`${server.origin}/slow`).pipe(
            Scope.extend(scope),
            Effect.fork
          )
          yield* soon(server.receivedCount(1))
          yield* Scope.close(scope, Exit.void)
          yield* soon(server.closed(0))
          expect(yield* Effect.flip(Fiber.join(fiber))).toMatchObject({ _tag: "RequestError", reason: "Transport" })
        })))

    it.scopedLive("interrupting a read of the whole body aborts the request: the server sees the connection close", () =>
      withServer((_, response) => {
        response.writeHead(200, { "content-type": "application/json", "content-length": 1000 })
        response.write("{\"partial\":")
      }, (server, client) =>
        Effect.gen(function*() {
          const response = yield* client.get(`${server.origin}/`)
          const fiber = yield* Effect.fork(response.json)
          yield* Effect.yieldNow()
          const exit = yield* Fiber.interrupt(fiber)
          expect(Exit.isInterrupted(exit)).toBe(true)
          yield* soon(server.closed(0))
        })))

    it.scopedLive("a stream the consumer stops early aborts the rest of the body", () =>
      withServer((_, response) => {
        response.writeHead(200, { "content-type": "text/event-stream" })
        response.write("data: first\n\n")
      }, (server, client) =>
        Effect.gen(function*() {
          const response = yield* client.get(`${server.origin}/stream`)
          const first = yield* soon(Stream.runCollect(Stream.take(response.stream, 1)))
          expect(first.length).toBe(1)
          yield* soon(server.closed(0))
        })))
  })

  describe("connections", () => {
    it.scopedLive("keep-alive: a connection is reused once free, whether its response was read or not", () =>
      withServer(json({ ok: true }), (server, client) =>
        Effect.gen(function*() {
          yield* Effect.flatMap(client.get(`${server.origin}/1`), (response) => response.json)
          yield* nextTurn
          yield* client.get(`${server.origin}/2`)
          yield* nextTurn
          yield* Effect.flatMap(client.get(`${server.origin}/3`), (response) => response.json)
          expect(server.received.map(({ connection }) => connection)).toEqual([0, 0, 0])
        })))

    it.scopedLive("back-to-back requests alternate between two kept-alive connections (undici reuses one a turn later)", () =>
      withServer(json({ ok: true }), (server, client) =>
        Effect.gen(function*() {
          for (let i = 0; i < 6; i++) yield* Effect.flatMap(client.get(`${server.origin}/${i}`), (r) => r.json)
          expect(server.connections).toHaveLength(2)
        })))

    it.scopedLive("with connections: 1, back-to-back requests all share one connection", () =>
      Effect.gen(function*() {
        const server = yield* serve(json({ ok: true }))
        const client = yield* HttpClient.HttpClient
        for (let i = 0; i < 6; i++) yield* Effect.flatMap(client.get(`${server.origin}/${i}`), (r) => r.json)
        expect(server.connections).toHaveLength(1)
      }).pipe(Effect.provide(UndiciHttpClient.layer({ connections: 1 }))))

    it.scopedLive("closing the layer's scope destroys its Agent: idle connections close, new requests fail", () =>
      Effect.gen(function*() {
        const server = yield* serve(json({ ok: true }))
        const scope = yield* Scope.make()
        const client = Context.get(yield* Layer.buildWithScope(UndiciHttpClient.layer(), scope), HttpClient.HttpClient)
        yield* Effect.flatMap(client.get(`${server.origin}/`), (response) => response.json)
        expect(server.connections).toHaveLength(1)
        yield* Scope.close(scope, Exit.void)
        yield* soon(server.closed(0))
        const error = yield* Effect.flip(client.get(`${server.origin}/`))
        expect(error).toMatchObject({ _tag: "RequestError", reason: "Transport" })
        expect(codes(error.cause)).toContain("UND_ERR_DESTROYED")
      }))

    it.scopedLive("makeDispatcher's Agent is destroyed with its scope; layerDispatcher uses the one provided", () =>
      Effect.gen(function*() {
        const server = yield* serve(json({ ok: true }))
        const scope = yield* Scope.make()
        const agent = yield* Scope.extend(UndiciHttpClient.makeDispatcher({ connections: 1 }), scope)
        const client = yield* HttpClient.HttpClient.pipe(
          Effect.provide(UndiciHttpClient.layerDispatcher),
          Effect.provideService(UndiciHttpClient.Dispatcher, agent)
        )
        expect(yield* Effect.flatMap(client.get(`${server.origin}/`), (response) => response.json)).toEqual({
          ok: true
        })
        expect(Object.keys(agent.stats)).toEqual([server.origin])
        expect(agent.destroyed).toBe(false)
        yield* Scope.close(scope, Exit.void)
        expect(agent.destroyed).toBe(true)
      }))
  })
})
