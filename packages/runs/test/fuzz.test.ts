import { describe, expect, it } from "@effect/vitest"
import { Arbitrary, Cause, Effect, Either, Exit, FastCheck as fc, Layer, Schema, Stream } from "effect"
import { AssistantStreamEvent, Page, Run, RunsService, RunStep } from "../src/index.js"
import { makeDecoder } from "../src/internal/decode.js"
import { decode as decodeEvents } from "../src/internal/eventStream.js"
import { makeParser } from "../src/internal/sse.js"
import { fakeClientLayer } from "./support/fakeHttp.js"
import { runJson } from "./support/runJson.js"

const context = { status: 200, requestId: null, attempts: 1, scrub: (text: string) => text }

/** encode → JSON → decode → encode gives the same JSON for every value the schema can generate. */
const roundTrips = <A, I>(schema: Schema.Schema<A, I>, runs = 150) => {
  const encode = Schema.encodeSync(schema)
  const decode = Schema.decodeUnknownSync(schema)
  fc.assert(
    fc.property(Arbitrary.make(schema), (value) => {
      const wire = JSON.stringify(encode(value))
      expect(JSON.stringify(encode(decode(JSON.parse(wire))))).toBe(wire)
    }),
    { numRuns: runs }
  )
}

describe("round trips of every generated value", () => {
  it("Run", () => roundTrips(Run.Run))
  it("RunStep", () => roundTrips(RunStep.RunStep))
  it("a page of runs", () => roundTrips(Page.Page(Run.Run), 40))
  it("every stream event", () => roundTrips(AssistantStreamEvent.KnownEvent, 150))
})

/** Small changes a broken server or proxy could make to a valid payload. */
const mutation = (base: Record<string, unknown>) => {
  const keys = Object.keys(base)
  return fc.oneof(
    fc.constantFrom(...keys).map((key) => Object.fromEntries(Object.entries(base).filter(([k]) => k !== key))),
    fc.tuple(fc.constantFrom(...keys), fc.jsonValue()).map(([key, value]) => ({ ...base, [key]: value })),
    fc.jsonValue(),
    fc.anything()
  )
}

describe("mutated payloads decode or fail with ResponseDecodeError: never a defect", () => {
  const decodeRun = makeDecoder(Run.Run)
  it.effect("Run decoder: a Run, or a failure naming a path and a message", () =>
    Effect.sync(() =>
      fc.assert(
        fc.property(mutation(runJson()), (json) => {
          const result = decodeRun.decode(json)
          if (Either.isRight(result)) expect(result.right).toBeInstanceOf(Run.Run)
          else expect(typeof result.left.message).toBe("string")
        }),
        { numRuns: 500 }
      )
    ))

  it.effect("random bytes as a 2xx body through the whole client", () =>
    Effect.gen(function*() {
      const samples = fc.sample(fc.uint8Array({ maxLength: 300 }), 150)
      for (const bytes of samples) {
        const fake = fakeClientLayer([{ status: 200, body: new TextDecoder().decode(bytes) }], { maxRetries: 0 })
        const exit = yield* Effect.exit(
          Effect.flatMap(RunsService.RunsService, (runs) => runs.getRun("thread_1", "run_1")).pipe(
            Effect.provide(RunsService.layer.pipe(Layer.provide(fake.layer)))
          )
        )
        if (Exit.isFailure(exit)) {
          expect(Cause.isFailType(exit.cause) && exit.cause.error._tag).toBe("ResponseDecodeError")
        }
      }
    }))
})

describe("the SSE path under random input", () => {
  it("the parser never throws and always yields named events", () =>
    fc.assert(
      fc.property(fc.array(fc.string({ unit: "binary", maxLength: 60 }), { maxLength: 20 }), (chunks) => {
        const parser = makeParser()
        const events = [...chunks.flatMap((chunk) => Either.getOrThrow(parser.feed(chunk))), ...parser.end()]
        for (const event of events) expect(typeof event.event).toBe("string")
      }),
      { numRuns: 500 }
    ))

  it.effect("random bytes as an event stream end in events or a typed failure, never a defect or a hang", () =>
    Effect.gen(function*() {
      const samples = fc.sample(
        fc.array(
          fc.oneof(
            fc.uint8Array({ maxLength: 50 }),
            fc.constant(new TextEncoder().encode("event: thread.run.created\ndata: {}\n\n"))
          ),
          {
            maxLength: 10
          }
        ),
        200
      )
      for (const chunks of samples) {
        const exit = yield* Effect.exit(Stream.runDrain(decodeEvents(Stream.fromIterable(chunks), context)))
        if (Exit.isFailure(exit)) {
          const tag = Cause.isFailType(exit.cause) ? exit.cause.error._tag : "defect"
          expect(["ResponseDecodeError", "StreamEventError"]).toContain(tag)
        }
      }
    }))
})
