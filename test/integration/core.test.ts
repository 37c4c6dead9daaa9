import { Run, RunsService } from "@effect-openai/runs"
import { Emulator } from "@effect-openai/runs-emulator"
import { describe, expect, layer } from "@effect/vitest"
import { Effect, Exit, Fiber, TestServices } from "effect"
import { clientLayer, emulatorLayer, received } from "../../packages/runs/test/support/emulator.js"

const manual = { lifecycle: { mode: "manual" } } as const

layer(emulatorLayer({ transport: "socket", emulator: manual }))("getRun and modifyRun against the emulator", (it) => {
  it.effect("getRun gives the decoded run the server holds", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.Emulator
      const seeded = emulator.seedRun({ status: "completed", metadata: { team: "a" } })
      const runs = yield* RunsService.RunsService
      const run = yield* runs.getRun(seeded.thread_id, seeded.id)
      expect(run).toBeInstanceOf(Run.Run)
      expect(run).toMatchObject({
        id: seeded.id,
        thread_id: seeded.thread_id,
        status: "completed",
        metadata: { team: "a" }
      })
      const [request] = emulator.requests().filter((request) => request.path.endsWith(seeded.id))
      expect(request?.headers["openai-beta"]).toBe("assistants=v2")
      expect(request?.headers["authorization"]).toBe("<redacted>")
    }))

  it.effect("modifyRun replaces the metadata, and the server keeps it", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.Emulator
      const seeded = emulator.seedRun({ metadata: { old: "x" } })
      const runs = yield* RunsService.RunsService
      const modified = yield* runs.modifyRun(seeded.thread_id, seeded.id, { metadata: { user_id: "u_1" } })
      expect(modified.metadata).toEqual({ user_id: "u_1" })
      expect(emulator.getRun(seeded.thread_id, seeded.id)?.metadata).toEqual({ user_id: "u_1" })
      expect((yield* runs.getRun(seeded.thread_id, seeded.id)).metadata).toEqual({ user_id: "u_1" })
    }))

  it.effect("an unknown run is a NotFoundError with the server's message and request id, sent once", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.Emulator
      const thread = emulator.seedThread()
      emulator.clearRequests()
      const runs = yield* RunsService.RunsService
      const error = yield* Effect.flip(runs.getRun(thread.id, "run_missing"))
      expect(error).toMatchObject({
        _tag: "NotFoundError",
        status: 404,
        message: "No run found with id 'run_missing'.",
        type: "invalid_request_error",
        attempts: 1
      })
      expect(error._tag === "NotFoundError" && error.requestId).toMatch(/^req_/)
      expect(emulator.requests()).toHaveLength(1)
    }))

  it.effect("bad input never reaches the server", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.Emulator
      const seeded = emulator.seedRun()
      emulator.clearRequests()
      const runs = yield* RunsService.RunsService
      for (const id of ["../files", "run_1?x=1", "run_1#x", "%2e%2e", "", "x".repeat(200)]) {
        expect((yield* Effect.flip(runs.getRun(seeded.thread_id, id)))._tag).toBe("InvalidRequestError")
      }
      const tooMany = Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`k${i}`, "v"]))
      expect((yield* Effect.flip(runs.modifyRun(seeded.thread_id, seeded.id, { metadata: tooMany })))._tag).toBe(
        "InvalidRequestError"
      )
      expect(emulator.requests()).toHaveLength(0)
    }))

  it.effect("a unicode look-alike id is percent-encoded and reaches the server as one path segment", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.Emulator
      const seeded = emulator.seedRun()
      emulator.clearRequests()
      const runs = yield* RunsService.RunsService
      const error = yield* Effect.flip(runs.getRun(seeded.thread_id, "run_\u2215etc"))
      expect(error._tag).toBe("NotFoundError")
      expect(emulator.requests()[0]?.path).toBe(`/v1/threads/${seeded.thread_id}/runs/run_%E2%88%95etc`)
    }))
})

describe("authentication against the emulator", () => {
  layer(emulatorLayer({ transport: "socket", emulator: manual, client: { apiKey: "sk-wrong-key-0123456789" } }))(
    (it) => {
      it.effect("a wrong key is an AuthenticationError, not retried, and the key is nowhere in it", () =>
        Effect.gen(function*() {
          const emulator = yield* Emulator.Emulator
          const seeded = emulator.seedRun()
          emulator.clearRequests()
          const runs = yield* RunsService.RunsService
          const error = yield* Effect.flip(runs.getRun(seeded.thread_id, seeded.id))
          expect(error._tag).toBe("AuthenticationError")
          expect(emulator.requests()).toHaveLength(1)
          expect(JSON.stringify(error) + String(error)).not.toContain("sk-wrong")
        }))
    }
  )
})

layer(emulatorLayer({ transport: "socket", emulator: manual }))("interruption", (it) => {
  it.effect("interrupting the caller aborts the request in flight: the server sees the socket close", () =>
    TestServices.provideLive(Effect.gen(function*() {
      const emulator = yield* Emulator.Emulator
      const seeded = emulator.seedRun()
      emulator.enqueueFault({ method: "GET", path: /\/runs\/run_/, delayMs: 60_000, status: 200, body: {} })
      const runs = yield* RunsService.RunsService
      emulator.clearRequests()
      const fiber = yield* Effect.fork(runs.getRun(seeded.thread_id, seeded.id))
      yield* received(1)
      expect(emulator.openConnections()).toBe(1)
      // Bounds far below the server's 60 s delay, generous for a loaded machine: the abort, not the answer, ends it.
      const started = Date.now()
      const exit = yield* Fiber.interrupt(fiber)
      expect(Exit.isInterrupted(exit)).toBe(true)
      expect(Date.now() - started).toBeLessThan(10_000)
      yield* Effect.promise(async () => {
        while (emulator.openConnections() > 0 && Date.now() - started < 20_000) {
          await new Promise((resolve) => setTimeout(resolve, 1))
        }
      })
      expect(emulator.openConnections()).toBe(0)
    })))

  it.effect("a per-attempt timeout aborts the hung request and the error says so", () =>
    TestServices.provideLive(Effect.gen(function*() {
      const emulator = yield* Emulator.Emulator
      const seeded = emulator.seedRun()
      emulator.enqueueFault({ method: "GET", path: /\/runs\/run_/, delayMs: 5_000, status: 200, body: {} })
      const error = yield* RunsService.RunsService.pipe(
        Effect.flatMap((service) => service.getRun(seeded.thread_id, seeded.id)),
        Effect.provide(clientLayer({ client: { timeout: "200 millis", maxRetries: 0 } })),
        Effect.flip
      )
      expect(error).toMatchObject({ _tag: "TimeoutError", timeoutMs: 200, attempts: 1 })
    })))
})
