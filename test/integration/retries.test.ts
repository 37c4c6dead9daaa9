import { RunsService } from "@effect-openai/runs"
import { Emulator } from "@effect-openai/runs-emulator"
import { expect, layer } from "@effect/vitest"
import { Effect, Exit } from "effect"
import { emulatorLayer } from "../../packages/runs/test/support/emulator.js"
import { runOnTestClock } from "../../packages/runs/test/support/testClock.js"

const onTestClock = <A, E>(effect: Effect.Effect<A, E>) => runOnTestClock(effect, { horizonMillis: 10 * 60_000 })

const tagOf = <A, E extends { readonly _tag: string }>(exit: Exit.Exit<A, E>) =>
  Exit.isSuccess(exit) ? "Success" : exit.cause._tag === "Fail" ? exit.cause.error._tag : exit.cause._tag

const serverError = { error: { message: "The server had an error.", type: "server_error", param: null, code: null } }

layer(
  emulatorLayer({ transport: "socket", emulator: { lifecycle: { mode: "manual" } }, client: { timeout: "1 hour" } })
)(
  "retries never duplicate work: proved by the emulator's request count",
  (it) => {
    const setup = Effect.gen(function*() {
      const emulator = yield* Emulator.Emulator
      const assistant = emulator.seedAssistant({ instructions: "Be brief." })
      const thread = emulator.seedThread()
      emulator.clearRequests()
      const runs = yield* RunsService.RunsService
      const posts = () => emulator.requests().filter((r) => r.method === "POST").length
      return { emulator, assistant, thread, runs, posts }
    })

    it.effect("createRun answered 500 is returned after one request", () =>
      Effect.gen(function*() {
        const { assistant, emulator, posts, runs, thread } = yield* setup
        emulator.enqueueFault({ method: "POST", path: /\/runs$/, status: 500, body: serverError })
        const exit = yield* onTestClock(runs.createRun(thread.id, { assistant_id: assistant.id }))
        expect(tagOf(exit)).toBe("InternalServerError")
        expect(posts()).toBe(1)
      }))

    it.effect("createRun whose connection is reset is returned after one request", () =>
      Effect.gen(function*() {
        const { assistant, emulator, posts, runs, thread } = yield* setup
        emulator.enqueueFault({ method: "POST", path: /\/runs$/, kind: "reset" })
        const exit = yield* onTestClock(runs.createRun(thread.id, { assistant_id: assistant.id }))
        expect(tagOf(exit)).toBe("ConnectionError")
        expect(posts()).toBe(1)
      }))

    it.effect("createRun answered 429 is retried after retry-after-ms, and succeeds", () =>
      Effect.gen(function*() {
        const { assistant, emulator, posts, runs, thread } = yield* setup
        emulator.enqueueFault({ method: "POST", path: /\/runs$/, status: 429, headers: { "retry-after-ms": "300" } })
        const exit = yield* onTestClock(runs.createRun(thread.id, { assistant_id: assistant.id }))
        expect(tagOf(exit)).toBe("Success")
        expect(posts()).toBe(2)
      }))

    it.effect("createRun answered 503 with x-should-retry: true is retried", () =>
      Effect.gen(function*() {
        const { assistant, emulator, posts, runs, thread } = yield* setup
        emulator.enqueueFault({ method: "POST", path: /\/runs$/, status: 503, headers: { "x-should-retry": "true" } })
        const exit = yield* onTestClock(runs.createRun(thread.id, { assistant_id: assistant.id }))
        expect(tagOf(exit)).toBe("Success")
        expect(posts()).toBe(2)
      }))

    it.effect("submitToolOutputs answered 502 is returned after one request", () =>
      Effect.gen(function*() {
        const { emulator, posts, runs } = yield* setup
        const assistant = emulator.seedAssistant({
          tools: [{ type: "function", function: { name: "f" } }],
          script: [{ type: "function_call", name: "f" }]
        })
        const waiting = emulator.seedRun({ status: "requires_action", assistant_id: assistant.id })
        emulator.clearRequests()
        const callId = waiting.required_action?.submit_tool_outputs.tool_calls[0]?.id ?? "call_x"
        emulator.enqueueFault({
          method: "POST",
          path: /submit_tool_outputs$/,
          status: 502,
          body: "<html>bad gateway</html>"
        })
        const exit = yield* onTestClock(
          runs.submitToolOutputsToRun(waiting.thread_id, waiting.id, {
            tool_outputs: [{ tool_call_id: callId, output: "x" }]
          })
        )
        expect(tagOf(exit)).toBe("InternalServerError")
        expect(posts()).toBe(1)
      }))

    it.effect("getRun answered 500 twice is retried and succeeds on the third request", () =>
      Effect.gen(function*() {
        const { emulator, runs } = yield* setup
        const seeded = emulator.seedRun({ status: "completed" })
        emulator.clearRequests()
        emulator.enqueueFault({ method: "GET", status: 500, body: serverError })
        emulator.enqueueFault({ method: "GET", status: 500, body: serverError })
        const exit = yield* onTestClock(runs.getRun(seeded.thread_id, seeded.id))
        expect(tagOf(exit)).toBe("Success")
        expect(emulator.requests()).toHaveLength(3)
      }))

    it.effect("getRun gives up after maxRetries: 3 requests, the last error returned", () =>
      Effect.gen(function*() {
        const { emulator, runs } = yield* setup
        const seeded = emulator.seedRun({ status: "completed" })
        emulator.clearRequests()
        for (let i = 0; i < 3; i++) emulator.enqueueFault({ method: "GET", status: 503, body: serverError })
        const exit = yield* onTestClock(runs.getRun(seeded.thread_id, seeded.id))
        expect(tagOf(exit)).toBe("InternalServerError")
        expect(emulator.requests()).toHaveLength(3)
      }))
  }
)

layer(
  emulatorLayer({
    transport: "socket",
    emulator: { lifecycle: { mode: "manual" } },
    client: { timeout: "1 hour", retryNonIdempotent: true }
  })
)("retryNonIdempotent opts into the aggressive policy", (it) => {
  it.effect("createRun answered 500 is then retried", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.Emulator
      const assistant = emulator.seedAssistant({ instructions: "Be brief." })
      const thread = emulator.seedThread()
      emulator.clearRequests()
      emulator.enqueueFault({ method: "POST", path: /\/runs$/, status: 500, body: serverError })
      const runs = yield* RunsService.RunsService
      const exit = yield* onTestClock(runs.createRun(thread.id, { assistant_id: assistant.id }))
      expect(tagOf(exit)).toBe("Success")
      expect(emulator.requests().filter((r) => r.method === "POST")).toHaveLength(2)
    }))
})
