import { Emulator } from "@effect-openai/runs-emulator"
import { describe, expect, it } from "@effect/vitest"
import { Context, Effect, Exit, Layer, Scope } from "effect"
import { call, runPath } from "./support.js"

describe("request log", () => {
  it.scoped("records every request with its method, path, query, headers and body, the key redacted", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      const run = emulator.seedRun()
      yield* call(emulator, "GET", `/threads/${run.thread_id}/runs?limit=2&include[]=a&include[]=b`)
      yield* call(emulator, "POST", runPath(run), { body: { metadata: { a: "b" } }, headers: { "x-trace": "t1" } })
      yield* call(emulator, "GET", "/nowhere", { omit: ["authorization"] })
      const requests = emulator.requests()
      expect(requests.map((request) => [request.method, request.path])).toEqual([
        ["GET", `/v1/threads/${run.thread_id}/runs`],
        ["POST", `/v1${runPath(run)}`],
        ["GET", "/v1/nowhere"]
      ])
      expect(requests[0]!.query).toEqual({ limit: "2", "include[]": ["a", "b"] })
      expect(requests[1]!.body).toBe("{\"metadata\":{\"a\":\"b\"}}")
      expect(requests[1]!.headers).toMatchObject({
        authorization: "<redacted>",
        "openai-beta": "assistants=v2",
        "x-trace": "t1"
      })
      expect(JSON.stringify(requests)).not.toContain(emulator.apiKey)
      expect(requests[2]!.headers).not.toHaveProperty("authorization")
      expect(requests[0]!.time).toBeLessThanOrEqual(requests[1]!.time)
      emulator.clearRequests()
      expect(emulator.requests()).toEqual([])
    }))
})

describe("fault queue", () => {
  it.scoped("a fault answers the next matching request once, with its status, headers and body", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      const run = emulator.seedRun()
      emulator.enqueueFault({
        method: "get",
        path: /\/runs\/run_/,
        status: 429,
        headers: { "Retry-After": "1", "x-request-id": "req_fault" },
        body: { error: { message: "Rate limit reached", type: "requests", param: null, code: "rate_limit_exceeded" } }
      })
      expect(emulator.pendingFaults()).toBe(1)
      const list = yield* call(emulator, "GET", `/threads/${run.thread_id}/runs`)
      expect(list.status).toBe(200)
      const modify = yield* call(emulator, "POST", runPath(run), { body: { metadata: {} } })
      expect(modify.status).toBe(200)
      const faulted = yield* call(emulator, "GET", runPath(run))
      expect(faulted.status).toBe(429)
      expect(faulted.headers.get("retry-after")).toBe("1")
      expect(faulted.headers.get("x-request-id")).toBe("req_fault")
      expect(faulted.headers.get("content-type")).toBe("application/json")
      expect(faulted.body.error.code).toBe("rate_limit_exceeded")
      expect(emulator.pendingFaults()).toBe(0)
      const after = yield* call(emulator, "GET", runPath(run))
      expect(after.status).toBe(200)
      expect(emulator.requests()).toHaveLength(4)
    }))

  it.scoped("faults apply in order, before authentication; a string body is sent as is", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      emulator.enqueueFault({ status: 503, body: "{\"error\": trunc", headers: { "content-type": "text/plain" } })
      emulator.enqueueFault({ status: 500 })
      const first = yield* call(emulator, "GET", "/anything", { omit: ["authorization"] })
      expect(first.status).toBe(503)
      expect(first.text).toBe("{\"error\": trunc")
      expect(first.headers.get("content-type")).toBe("text/plain")
      const second = yield* call(emulator, "GET", "/anything")
      expect(second.status).toBe(500)
      expect(second.body.error.type).toBe("server_error") // a bare status gets the real API's error body
      emulator.enqueueFault({ status: 500 })
      emulator.clearFaults()
      expect((yield* call(emulator, "GET", "/anything")).status).toBe(404)
    }))

  it.live("delayMs waits before answering", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      emulator.enqueueFault({ status: 502, delayMs: 150 })
      const started = Date.now()
      const answer = yield* call(emulator, "GET", "/slow")
      expect(answer.status).toBe(502)
      expect(Date.now() - started).toBeGreaterThanOrEqual(140)
    }).pipe(Effect.scoped))

  it.scoped("delayMs uses the wall clock even under the TestClock", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      emulator.enqueueFault({ status: 502, delayMs: 20 })
      expect((yield* call(emulator, "GET", "/slow")).status).toBe(502)
    }))

  it.scoped("kind reset destroys the connection without answering", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      const run = emulator.seedRun()
      emulator.enqueueFault({ kind: "reset", path: /\/runs\/run_/ })
      const failure = yield* Effect.flip(Effect.tryPromise(() => fetch(emulator.url + runPath(run))))
      expect(String(failure.cause)).toMatch(/fetch failed/)
      expect((yield* call(emulator, "GET", runPath(run))).status).toBe(200)
    }))
})

describe("lifetime", () => {
  it.effect("closing the scope stops the server and closes its connections", () =>
    Effect.gen(function*() {
      const scope = yield* Scope.make()
      const emulator = yield* Scope.extend(Emulator.make(), scope)
      const run = emulator.seedRun()
      expect((yield* call(emulator, "GET", runPath(run))).status).toBe(200)
      expect(emulator.openConnections()).toBe(1)
      yield* Scope.close(scope, Exit.void)
      expect(emulator.openConnections()).toBe(0)
      const failure = yield* Effect.flip(Effect.tryPromise(() => fetch(emulator.url + runPath(run))))
      expect(String(failure.cause)).toMatch(/fetch failed/)
    }))

  it.effect("closing the scope interrupts a request still waiting on a fault delay", () =>
    Effect.gen(function*() {
      const scope = yield* Scope.make()
      const emulator = yield* Scope.extend(Emulator.make(), scope)
      emulator.enqueueFault({ status: 200, delayMs: 60_000 })
      const pending = fetch(`${emulator.url}/hang`).then(() => "answered", () => "failed")
      while (emulator.requests().length === 0) yield* Effect.promise(() => new Promise((r) => setTimeout(r, 5)))
      yield* Scope.close(scope, Exit.void)
      expect(yield* Effect.promise(() => pending)).toBe("failed")
    }))

  it.effect("the layer provides the emulator for the life of the layer", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.Emulator
      expect((yield* call(emulator, "GET", runPath(emulator.seedRun()))).status).toBe(200)
    }).pipe(Effect.provide(Emulator.layer({ apiKey: "sk-layer" }))))

  it.live("start and close work without Effect; close twice is harmless", () =>
    Effect.promise(async () => {
      const emulator = await Emulator.start({ lifecycle: { mode: "manual" } })
      const run = emulator.seedRun()
      const response = await fetch(emulator.url + runPath(run), {
        headers: { authorization: `Bearer ${emulator.apiKey}`, "openai-beta": "assistants=v2" }
      })
      expect(response.status).toBe(200)
      await emulator.close()
      await emulator.close()
      await expect(fetch(emulator.url + runPath(run))).rejects.toThrow(/fetch failed/)
    }))

  it.scoped("listens on the port it is given", () =>
    Effect.gen(function*() {
      const first = yield* Emulator.make()
      const port = Number(new URL(first.url).port)
      yield* Effect.promise(() => first.close())
      const second = yield* Emulator.make({ port })
      expect(second.url).toBe(`http://127.0.0.1:${port}/v1`)
    }))
})

describe("layer", () => {
  it.effect("builds and releases with Layer.build", () =>
    Effect.gen(function*() {
      const scope = yield* Scope.make()
      const context = yield* Layer.buildWithScope(Emulator.layer(), scope)
      const emulator = Context.get(context, Emulator.Emulator)
      yield* Scope.close(scope, Exit.void)
      const failure = yield* Effect.flip(Effect.tryPromise(() => fetch(`${emulator.url}/threads/x/runs`)))
      expect(String(failure.cause)).toMatch(/fetch failed/)
    }))
})
