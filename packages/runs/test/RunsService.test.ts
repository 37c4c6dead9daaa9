import { Emulator, Fault } from "@effect-openai/runs-emulator"
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { RunsError, RunsService } from "../src/index.js"
import { run1, testApiKey, withEmulator } from "./support/emulator.js"
import { makeRecordingTracer } from "./support/tracer.js"

const runs = RunsService.RunsService

/** How many requests the emulator received. */
const sent = Effect.map(Emulator.Emulator, (emulator) => emulator.requests().length)

describe("RunsService input validation: nothing is sent for bad input", () => {
  const badIds: ReadonlyArray<readonly [string, string]> = [
    ["empty", ""],
    ["too long", "r".repeat(129)],
    ["dot", "."],
    ["dot-dot", ".."],
    ["a slash", "../files"],
    ["a query", "run_1?x=1"],
    ["a fragment", "run_1#x"],
    ["a percent", "%2e%2e"],
    ["whitespace", "run 1"],
    ["a newline", "run_1\n"],
    ["a control character", "run_\u0000"]
  ]
  for (const [name, id] of badIds) {
    for (const field of ["threadId", "runId"] as const) {
      it.effect(`${field} with ${name}`, () =>
        Effect.gen(function*() {
          const [threadId, runId] = field === "threadId" ? [id, "run_1"] : ["thread_1", id]
          const error = yield* Effect.flip(Effect.flatMap(runs, (service) => service.getRun(threadId, runId)))
          expect(error).toBeInstanceOf(RunsError.InvalidRequestError)
          expect(error._tag === "InvalidRequestError" && error.field).toBe(field)
          expect(yield* sent).toBe(0)
        }).pipe(withEmulator({ runs: [run1] })))
    }
  }

  it.effect("accepts an id of exactly 128 characters", () =>
    Effect.gen(function*() {
      const run = yield* Effect.flatMap(runs, (service) => service.getRun("thread_1", "r".repeat(128)))
      expect(run.id).toBe("r".repeat(128))
      expect(yield* sent).toBe(1)
    }).pipe(withEmulator({ runs: [{ ...run1, id: "r".repeat(128) }] })))

  const badMetadata: ReadonlyArray<readonly [string, unknown, string]> = [
    ["17 pairs", Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`k${i}`, "v"])), "params.metadata"],
    ["a 65-character key", { ["k".repeat(65)]: "v" }, "params.metadata"],
    ["an empty key", { "": "v" }, "params.metadata"],
    ["a 513-character value", { k: "v".repeat(513) }, "params.metadata.k"],
    ["a number value", { modified: 1 }, "params.metadata.modified"],
    ["not an object", "tags", "params.metadata"]
  ]
  for (const [name, metadata, field] of badMetadata) {
    it.effect(`metadata with ${name}`, () =>
      Effect.gen(function*() {
        const error = yield* Effect.flip(
          Effect.flatMap(runs, (service) => service.modifyRun("thread_1", "run_1", { metadata } as never))
        )
        expect(error).toBeInstanceOf(RunsError.InvalidRequestError)
        const reported = error._tag === "InvalidRequestError" ? error.field : ""
        expect(reported.startsWith(field)).toBe(true)
        expect(error.message.startsWith(reported)).toBe(true)
        expect(yield* sent).toBe(0)
      }).pipe(withEmulator({ runs: [run1] })))
  }

  it.effect("a modifyRun field other than metadata is rejected", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(
        Effect.flatMap(runs, (service) =>
          service.modifyRun("thread_1", "run_1", { metadata: {}, status: "cancelled" } as never))
      )
      expect(error._tag === "InvalidRequestError" && error.field).toBe("params.status")
      expect(yield* sent).toBe(0)
    }).pipe(withEmulator({ runs: [run1] })))

  it.effect("the limits themselves are accepted: 16 pairs, 64-character keys, 512-character values", () =>
    Effect.gen(function*() {
      const metadata = Object.fromEntries(
        Array.from({ length: 16 }, (_, i) => [`${i}`.padEnd(64, "k"), "v".repeat(512)])
      )
      // The emulator checks the same limits: the run comes back with them stored.
      const run = yield* Effect.flatMap(runs, (service) => service.modifyRun("thread_1", "run_1", { metadata }))
      expect(run.metadata).toEqual(metadata)
      expect((yield* Emulator.Emulator).getRun("thread_1", "run_1")?.metadata).toEqual(metadata)
      expect(yield* sent).toBe(1)
    }).pipe(withEmulator({ runs: [run1] })))
})

describe("RunsService tracing", () => {
  const traced = <A, E>(effect: Effect.Effect<A, E, RunsService.RunsService>) =>
    Effect.gen(function*() {
      const tracer = makeRecordingTracer()
      yield* effect.pipe(Effect.provide(tracer.layer), Effect.withSpan("test"))
      return tracer.spans
    })

  /** The first attempt answered 500 with `retry-after-ms: 0`, the second with the run. */
  const retriedOnce = [Fault.status(500, { headers: { "retry-after-ms": "0", "x-request-id": "req_first" } })]

  it.effect("each operation has its span, with ids, attempts and no key", () =>
    Effect.gen(function*() {
      const spans = yield* traced(Effect.flatMap(runs, (service) => service.getRun("thread_1", "run_1")))
      const span = spans.find((span) => span.name === "RunsService.getRun")
      expect(span?.attributes.get("openai.thread_id")).toBe("thread_1")
      expect(span?.attributes.get("openai.run_id")).toBe("run_1")
      expect(span?.attributes.get("openai.attempts")).toBe(2)
      expect(spans.map((span) => span.name)).not.toContain("http.client GET")
      const everything = JSON.stringify(spans.map((span) => [...span.attributes]))
      expect(everything).not.toContain(testApiKey.slice(0, 8))
      expect(yield* sent).toBe(2)
    }).pipe(withEmulator({ emulator: { apiKey: testApiKey }, runs: [run1], faults: retriedOnce })))

  it.effect("httpSpans: true adds an http.client span per attempt: method, path, attempt, status, request id; no header", () =>
    Effect.gen(function*() {
      const spans = yield* traced(Effect.flatMap(runs, (service) => service.getRun("thread_1", "run_1")))
      const http = spans.filter((span) => span.name.startsWith("http.client"))
      expect(http.map((span) => Object.fromEntries(span.attributes))).toEqual([
        {
          "http.request.method": "GET",
          "url.path": "/v1/threads/thread_1/runs/run_1",
          "openai.attempt": 1,
          "http.response.status_code": 500,
          "openai.request_id": "req_first"
        },
        {
          "http.request.method": "GET",
          "url.path": "/v1/threads/thread_1/runs/run_1",
          "openai.attempt": 2,
          "http.response.status_code": 200,
          "openai.request_id": "req_second"
        }
      ])
      expect(http.map((span) => span.name)).toEqual(["http.client GET", "http.client GET"])
      // Not a header, request or response, under any name: the client never records them.
      for (const span of spans) {
        for (const name of span.attributes.keys()) expect(name).not.toMatch(/header|authorization|user_agent/i)
      }
      // The key went out in the authorization header (the emulator let the second attempt in), and is in no span.
      expect((yield* Emulator.Emulator).requests().map((request) => request.headers.authorization)).toEqual([
        "<redacted>",
        "<redacted>"
      ])
      const everything = JSON.stringify(spans.map((span) => [span.name, [...span.attributes], span.events]))
      expect(everything).not.toContain(testApiKey.slice(0, 8))
      expect(everything).not.toContain("Bearer")
    }).pipe(withEmulator({
      emulator: { apiKey: testApiKey },
      runs: [run1],
      faults: [...retriedOnce, { headers: { "x-request-id": "req_second" } }],
      client: { httpSpans: true }
    })))
})
