/**
 * An independent Assistants-compatible server's real answers (`test/fixtures/compat-open-assistants-api/`), replayed
 * by the emulator: what strict decoding refuses, what lenient decoding fills and reports, and its error bodies.
 */
import { type Run, type RunsError, RunsService, RunStream, RunTools } from "@effect-openai/runs"
import { Emulator, Fault } from "@effect-openai/runs-emulator"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Logger, LogLevel } from "effect"
import { makeRecordingTracer } from "../../packages/runs/test/support/tracer.js"
import { readHttpFixture } from "../support/fixtures.js"

/** The next request is answered with the fixture's status, content type and body. */
const replay = (emulator: Emulator.Handle, name: string) => {
  const fixture = readHttpFixture(`compat-open-assistants-api/${name}.http`)
  emulator.enqueueFault(
    Fault.status(fixture.status, {
      headers: { "content-type": fixture.headers["content-type"] ?? "application/json" },
      body: fixture.body
    })
  )
}

const runs = RunsService.RunsService
const lenient = Emulator.layerTest({}, { client: { decode: "lenient" } })
const strict = Emulator.layerTest()

/** Every operation the server answers with a run or a list of runs, by fixture; a list gives its first run. */
const operations: Record<string, Effect.Effect<Run.Run, RunsError.RunsError, RunsService.RunsService>> = {
  getRun: Effect.flatMap(runs, (service) => service.getRun("thread_1", "run_1")),
  createRun: Effect.flatMap(runs, (service) => service.createRun("thread_1", { assistant_id: "asst_1" })),
  createRunFailed: Effect.flatMap(runs, (service) => service.createRun("thread_1", { assistant_id: "asst_1" })),
  listRuns: Effect.flatMap(runs, (service) => Effect.map(service.listRuns("thread_1"), (page) => page.data[0]!))
}

describe("a compatible server's runs", () => {
  for (const [fixture, operation] of Object.entries(operations)) {
    it.effect(`${fixture}: strict names every missing field, lenient fills them`, () =>
      Effect.gen(function*() {
        const refused = yield* Effect.provide(
          Effect.flatMap(Emulator.Emulator, (emulator) => {
            replay(emulator, fixture)
            return Effect.flip(operation)
          }),
          strict
        )
        expect(refused._tag).toBe("ResponseDecodeError")
        if (refused._tag !== "ResponseDecodeError") return
        const paths = refused.issues.map((issue) => issue.path.join("."))
        expect(paths).toEqual(
          expect.arrayContaining([expect.stringMatching(/model$/), expect.stringMatching(/tools$/)])
        )
        expect(refused.message).toContain("model")
        expect(refused.message).toContain("tools")

        const accepted = yield* Effect.provide(
          Effect.flatMap(Emulator.Emulator, (emulator) => {
            replay(emulator, fixture)
            return operation
          }),
          lenient
        )
        expect(accepted).toMatchObject({ model: "", tools: [], object: "thread.run" })
        if (fixture === "createRunFailed") {
          expect(accepted.last_error).toMatchObject({ code: "unknown", message: "OPENAI_API_KEY is missing" })
        }
      }))
  }

  it.effect("lenient reports each filled path: a warning once per path, the span attribute every time", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.Emulator
      const tracer = makeRecordingTracer()
      const warnings: Array<unknown> = []
      const logger = Logger.make(({ logLevel, message }) => {
        if (logLevel._tag === "Warning") warnings.push(message)
      })
      for (let i = 0; i < 2; i++) {
        replay(emulator, "getRun")
        yield* operations.getRun!.pipe(
          Effect.provide(tracer.layer),
          Effect.provide(Logger.replace(Logger.defaultLogger, logger)),
          Logger.withMinimumLogLevel(LogLevel.Warning)
        )
      }
      expect(warnings).toHaveLength(1)
      expect(String(warnings[0])).toMatch(/lenient defaults fill them: model, tools/)
      const spans = tracer.spans.filter((span) => span.name === "RunsService.getRun")
      expect(spans.map((span) => span.attributes.get("openai.lenient_defaults"))).toEqual([
        "model,tools",
        "model,tools"
      ])
    }).pipe(Effect.provide(lenient)))
})

describe("a JSON run answering a stream request", () => {
  const streamed = Effect.map(runs, (service) => service.createRunStream("thread_1", { assistant_id: "asst_1" }))

  it.effect("strict: a ResponseDecodeError naming the content type received", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.Emulator
      replay(emulator, "createRunStream")
      const error = yield* Effect.flip(RunStream.finalRun(yield* streamed))
      expect(error).toMatchObject({
        _tag: "ResponseDecodeError",
        status: 201,
        message: "Expected an event stream (text/event-stream), got application/json; charset=utf-8"
      })
    }).pipe(Effect.provide(strict)))

  it.effect("lenient: the run is the stream's only event, so finalRun and the tool loop work", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.Emulator
      replay(emulator, "createRunStream")
      const run = yield* RunStream.finalRun(yield* streamed)
      expect(run).toMatchObject({ status: "completed", model: "" })
      replay(emulator, "createRunStream")
      const looped = yield* RunTools.run("thread_1", { assistant_id: "asst_1" }, {}, { mode: "stream" })
      expect(looped.status).toBe("completed")
    }).pipe(Effect.provide(lenient)))
})

describe("a compatible server's error bodies", () => {
  it.effect("Fastify's { message, error, statusCode } gives its message and error", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.Emulator
      replay(emulator, "getRunStep")
      const error = yield* Effect.flip(Effect.flatMap(runs, (service) => service.getRunStep("t", "r", "step_x")))
      expect(error).toMatchObject({
        _tag: "NotFoundError",
        status: 404,
        message: "Route GET:/v1/threads/thread_6ef1c0e5-e18d-482a-889a-e62ed69c07fc/runs/"
          + "run_104bc9cf-c9cd-4bc9-a3b1-91ed799521e9/steps/step_x not found",
        type: "Not Found"
      })
    }).pipe(Effect.provide(strict)))

  it.effect("its { error: { code, message } } without a type is read too", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.Emulator
      replay(emulator, "getRun404")
      const error = yield* Effect.flip(operations.getRun!)
      expect(error).toMatchObject({ _tag: "NotFoundError", code: "not_found", message: "run_not_found", type: null })
    }).pipe(Effect.provide(strict)))

  it.effect("a plain-text body is the message", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.Emulator
      emulator.enqueueFault(Fault.status(502, { headers: { "content-type": "text/plain" }, body: "upstream gone" }))
      const error = yield* Effect.flip(
        Effect.flatMap(runs, (service) => service.createRun("thread_1", { assistant_id: "asst_1" }))
      )
      expect(error).toMatchObject({ _tag: "InternalServerError", message: "HTTP 502: upstream gone" })
    }).pipe(Effect.provide(strict)))
})
