import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { RunsError, RunsService } from "../src/index.js"
import { fakeClientLayer, testApiKey } from "./support/fakeHttp.js"
import { runJson } from "./support/runJson.js"
import { makeRecordingTracer } from "./support/tracer.js"

const runs = RunsService.RunsService

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
          const fake = fakeClientLayer([{ status: 200, body: runJson() }])
          const [threadId, runId] = field === "threadId" ? [id, "run_1"] : ["thread_1", id]
          const error = yield* Effect.flatMap(runs, (service) => service.getRun(threadId, runId)).pipe(
            Effect.provide(RunsService.layer.pipe(Layer.provide(fake.layer))),
            Effect.flip
          )
          expect(error).toBeInstanceOf(RunsError.InvalidRequestError)
          expect(error._tag === "InvalidRequestError" && error.field).toBe(field)
          expect(fake.sent).toHaveLength(0)
        }))
    }
  }

  it.effect("accepts an id of exactly 128 characters", () =>
    Effect.gen(function*() {
      const fake = fakeClientLayer([{ status: 200, body: runJson() }])
      yield* Effect.flatMap(runs, (service) => service.getRun("thread_1", "r".repeat(128))).pipe(
        Effect.provide(RunsService.layer.pipe(Layer.provide(fake.layer)))
      )
      expect(fake.sent).toHaveLength(1)
    }))

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
        const fake = fakeClientLayer([{ status: 200, body: runJson() }])
        const error = yield* Effect.flatMap(runs, (service) =>
          service.modifyRun("thread_1", "run_1", { metadata } as never)).pipe(
            Effect.provide(RunsService.layer.pipe(Layer.provide(fake.layer))),
            Effect.flip
          )
        expect(error).toBeInstanceOf(RunsError.InvalidRequestError)
        const reported = error._tag === "InvalidRequestError" ? error.field : ""
        expect(reported.startsWith(field)).toBe(true)
        expect(error.message.startsWith(reported)).toBe(true)
        expect(fake.sent).toHaveLength(0)
      }))
  }

  it.effect("a modifyRun field other than metadata is rejected", () =>
    Effect.gen(function*() {
      const fake = fakeClientLayer([{ status: 200, body: runJson() }])
      const error = yield* Effect.flatMap(runs, (service) =>
        service.modifyRun("thread_1", "run_1", { metadata: {}, status: "cancelled" } as never)).pipe(
          Effect.provide(RunsService.layer.pipe(Layer.provide(fake.layer))),
          Effect.flip
        )
      expect(error._tag === "InvalidRequestError" && error.field).toBe("params.status")
      expect(fake.sent).toHaveLength(0)
    }))

  it.effect("the limits themselves are accepted: 16 pairs, 64-character keys, 512-character values", () =>
    Effect.gen(function*() {
      const metadata = Object.fromEntries(
        Array.from({ length: 16 }, (_, i) => [`${i}`.padEnd(64, "k"), "v".repeat(512)])
      )
      const fake = fakeClientLayer([{ status: 200, body: runJson({ metadata }) }])
      const run = yield* Effect.flatMap(runs, (service) => service.modifyRun("thread_1", "run_1", { metadata })).pipe(
        Effect.provide(RunsService.layer.pipe(Layer.provide(fake.layer)))
      )
      expect(run.metadata).toEqual(metadata)
      expect(fake.sent).toHaveLength(1)
    }))
})

describe("RunsService tracing", () => {
  it.effect("each operation has its span, with ids, attempts and no key", () =>
    Effect.gen(function*() {
      const tracer = makeRecordingTracer()
      const fake = fakeClientLayer([{ status: 500, headers: { "retry-after-ms": "0" } }, {
        status: 200,
        body: runJson()
      }])
      yield* Effect.flatMap(runs, (service) => service.getRun("thread_1", "run_1")).pipe(
        Effect.provide(RunsService.layer.pipe(Layer.provide(fake.layer))),
        Effect.provide(tracer.layer),
        Effect.withSpan("test")
      )
      const span = tracer.spans.find((span) => span.name === "RunsService.getRun")
      expect(span?.attributes.get("openai.thread_id")).toBe("thread_1")
      expect(span?.attributes.get("openai.run_id")).toBe("run_1")
      expect(span?.attributes.get("openai.attempts")).toBe(2)
      expect(tracer.spans.map((span) => span.name)).not.toContain("http.client GET")
      const everything = JSON.stringify(tracer.spans.map((span) => [...span.attributes]))
      expect(everything).not.toContain(testApiKey.slice(0, 8))
    }))

  it.effect("httpSpans: true adds the HTTP client's span, with the authorization header redacted", () =>
    Effect.gen(function*() {
      const tracer = makeRecordingTracer()
      const fake = fakeClientLayer([{ status: 200, body: runJson() }], { httpSpans: true })
      yield* Effect.flatMap(runs, (service) => service.getRun("thread_1", "run_1")).pipe(
        Effect.provide(RunsService.layer.pipe(Layer.provide(fake.layer))),
        Effect.provide(tracer.layer)
      )
      const http = tracer.spans.find((span) => span.name.startsWith("http.client"))
      expect(http).toBeDefined()
      const everything = JSON.stringify(tracer.spans.map((span) => [...span.attributes]))
      expect(everything).not.toContain(testApiKey.slice(0, 8))
    }))
})
