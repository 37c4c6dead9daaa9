/**
 * Hostile servers, played by the emulator over a real socket, against the whole client (`RunsService` over
 * `OpenAiClient`), as a matrix: every scenario of one table runs over every transport of `test/support/transports.ts`
 * (`FetchHttpClient.layer`, `NodeHttpClient.layerUndici`, `UndiciHttpClient.layer()`), each with an emulator and a
 * client of its own. Answers too large to meet in the test process are in `largeAnswers.test.ts`, in child processes.
 *
 * A scenario on the TestClock keeps the client's attempt `timeout` at an hour: only the timer under test (a stream's
 * idle timeout, a poll's) is ever within reach of a jump, whatever real I/O is still on its way.
 */
import { OpenAiClient, RunsService } from "@effect-openai/runs"
import { Emulator, Fault, type Wire } from "@effect-openai/runs-emulator"
import type { HttpClient } from "@effect/platform"
import { describe, expect, it } from "@effect/vitest"
import { Cause, Chunk, Clock, Effect, Exit, Fiber, type Layer, Option, Stream, TestClock } from "effect"
import { type EmulatorLayerOptions, requestsArrived, withEmulator } from "../../packages/runs/test/support/emulator.js"
import { runOnTestClock } from "../../packages/runs/test/support/testClock.js"
import { leaksIn, observe, recognisableKey } from "../support/leaks.js"
import { transports } from "../support/transports.js"

type Http = Layer.Layer<HttpClient.HttpClient>

interface Scenario {
  readonly name: string
  /** `test`: run on the TestClock, which the scenario drives; `live` (default): real time. */
  readonly clock?: "test" | "live"
  readonly run: (http: Http) => Effect.Effect<void, unknown>
}

/** Runs an effect against a fresh emulator on loopback and a client over `http`. */
const over = (http: Http, options: Omit<EmulatorLayerOptions, "transport" | "http"> = {}) =>
  withEmulator({ emulator: { lifecycle: { mode: "manual" } }, ...options, transport: "socket", http })

/** An error's fields as plain data (its JSON): what a failing expectation can print. */
const fieldsOf = (error: unknown): Record<string, unknown> => JSON.parse(JSON.stringify(error))

/** The typed failure of an exit as plain data, or `Success`, or the defect (which no scenario may end with). */
const failureOf = <A, E>(exit: Exit.Exit<A, E>): Record<string, unknown> | string =>
  Exit.isSuccess(exit)
    ? "Success"
    : Option.match(Cause.failureOption(exit.cause), {
      onNone: () => `defect: ${Cause.pretty(exit.cause)}`,
      onSome: fieldsOf
    })

const tagOf = <A, E>(exit: Exit.Exit<A, E>): unknown => {
  const failure = failureOf(exit)
  return typeof failure === "string" ? failure : failure._tag
}

/** The error an effect failed with, as plain data (a success or a defect fails the test). */
const flipped = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.map(Effect.exit(effect), (exit) => {
    const failure = failureOf(exit)
    if (typeof failure === "string") throw new Error(`expected a typed failure, got ${failure}`)
    return failure
  })

const services = Effect.all({ emulator: Emulator.Emulator, runs: RunsService.RunsService })

/** Waits one real millisecond: I/O makes progress, the TestClock does not move. */
const realMillisecond = Effect.promise(() => new Promise<void>((resolve) => setTimeout(resolve, 1)))
const realWait = (ms: number) => Effect.promise(() => new Promise<void>((resolve) => setTimeout(resolve, ms)))

/** Waits in real time (at most 5 s) until `condition` holds. */
const until = (condition: Effect.Effect<boolean>) =>
  Effect.gen(function*() {
    for (let waited = 0; !(yield* condition); waited++) {
      if (waited === 5_000) return yield* Effect.dieMessage("the condition did not hold within 5 s of real time")
      yield* realMillisecond
    }
  })

/** Whether a sleep is due on the TestClock exactly at `at`. */
const sleepingUntil = (at: number) =>
  Effect.map(TestClock.sleeps(), (sleeps) => Chunk.some(sleeps, (due) => due === at))

/** The fiber's exit if it ends within `ms` of real time (the TestClock standing still). */
const awaitReal = <A, E>(fiber: Fiber.Fiber<A, E>, ms: number) =>
  Effect.gen(function*() {
    for (let waited = 0; waited < ms; waited++) {
      const done = yield* Fiber.poll(fiber)
      if (Option.isSome(done)) return done
      yield* realMillisecond
    }
    return yield* Fiber.poll(fiber)
  })

/** A run's stream, and a run event as a server writes it. */
const streamOf = (runs: RunsService.Service, run: Wire.Run) =>
  runs.createRunStream(run.thread_id, { assistant_id: run.assistant_id })
const eventText = (event: string, data: unknown) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`

/** `tools[0].function.parameters` of a createRun's params. */
const withParameters = (run: Wire.Run, parameters: unknown) => ({
  assistant_id: run.assistant_id,
  tools: [{ type: "function" as const, function: { name: "f", parameters: parameters as Record<string, unknown> } }]
})

const throwing = () => {
  throw new Error("no")
}

const base64 = (text: string, offset = 0) => Buffer.from("x".repeat(offset) + text).toString("base64")

const scenarios: ReadonlyArray<Scenario> = [
  // --- maxResponseBytes ---
  {
    name: "a body past maxResponseBytes, with and without content-length: ResponseTooLargeError naming the limit, " +
      "not retried; a per-call maxResponseBytes above it reads it",
    run: (http) =>
      Effect.gen(function*() {
        const { emulator, runs } = yield* services
        const run = emulator.seedRun({ status: "completed" })
        for (const contentLength of [true, false]) {
          emulator.clearRequests()
          emulator.enqueueFault(Fault.largeBody(2 * 1024 ** 2, { contentLength }))
          const error = yield* flipped(runs.getRun(run.thread_id, run.id))
          expect(error).toMatchObject({ _tag: "ResponseTooLargeError", limitBytes: 1024 ** 2, status: 200 })
          expect(error.message).toContain("maxResponseBytes (1048576 bytes)")
          // maxRetries is 2: a retry would have found the normal answer.
          expect(emulator.requests()).toHaveLength(1)
        }
        // Lifted for one call, the same body is read whole: it is JSON, just not a run.
        emulator.enqueueFault(Fault.largeBody(2 * 1024 ** 2, { contentLength: false }))
        const read = yield* flipped(
          runs.getRun(run.thread_id, run.id).pipe(OpenAiClient.withRequestOptions({ maxResponseBytes: 4 * 1024 ** 2 }))
        )
        expect(read._tag).toBe("ResponseDecodeError")
        expect((yield* runs.getRun(run.thread_id, run.id)).id).toBe(run.id)
      }).pipe(over(http, { client: { maxResponseBytes: 1024 ** 2 } }))
  },
  // --- the size of a page ---
  {
    name: "a page larger than the limit asked (or than 100): ResponseDecodeError at data, for runs and steps",
    run: (http) =>
      Effect.gen(function*() {
        const { emulator, runs } = yield* services
        const run = emulator.seedRun({ status: "queued" })
        emulator.advance(run.thread_id, run.id, 5)
        const step = emulator.getRunSteps(run.thread_id, run.id)[0]!
        const cases = [
          [101, runs.listRuns(run.thread_id, { limit: 100 }), 100],
          [101, runs.listRuns(run.thread_id), 100],
          [21, runs.listRuns(run.thread_id, { limit: 20 }), 20],
          [6, runs.listRunSteps(run.thread_id, run.id, { limit: 5 }), 5]
        ] as const
        for (const [count, list, most] of cases) {
          emulator.clearRequests()
          emulator.enqueueFault(Fault.largePage(count, list === cases[3][1] ? step : run))
          const error = yield* flipped(list as Effect.Effect<unknown, { readonly _tag: string }>)
          expect(error).toMatchObject({
            _tag: "ResponseDecodeError",
            path: ["data"],
            message: `The page holds ${count} items, more than the ${most} asked for`
          })
          expect(emulator.requests()).toHaveLength(1)
        }
        // The size asked for is fine.
        emulator.enqueueFault(Fault.largePage(20, run))
        expect((yield* runs.listRuns(run.thread_id, { limit: 20 })).data).toHaveLength(20)
      }).pipe(over(http))
  },
  // --- maxEventBytes ---
  {
    name: "an endless data line: ResponseTooLargeError at a per-call maxEventBytes, after the events before it",
    run: (http) =>
      Effect.gen(function*() {
        const { emulator, runs } = yield* services
        const run = emulator.seedRun({ status: "queued" })
        emulator.enqueueFault(
          Fault.endlessDataLine({ method: "POST", head: eventText("thread.run.created", run) })
        )
        const events: Array<string> = []
        const exit = yield* Effect.exit(
          Stream.runForEach(streamOf(runs, run), (event) => Effect.sync(() => events.push(event.event))).pipe(
            OpenAiClient.withRequestOptions({ maxEventBytes: 64 * 1024 })
          )
        )
        expect(events).toEqual(["thread.run.created"])
        expect(failureOf(exit)).toMatchObject({ _tag: "ResponseTooLargeError", limitBytes: 65536 })
        expect(emulator.requests()).toHaveLength(1)
      }).pipe(over(http))
  },
  {
    name: "endless data lines that never end the event: ResponseTooLargeError at a per-call maxEventBytes",
    run: (http) =>
      Effect.gen(function*() {
        const { emulator, runs } = yield* services
        const run = emulator.seedRun({ status: "queued" })
        emulator.enqueueFault(Fault.endlessDataLines({ method: "POST" }))
        const exit = yield* Effect.exit(
          Stream.runDrain(streamOf(runs, run)).pipe(OpenAiClient.withRequestOptions({ maxEventBytes: 64 * 1024 }))
        )
        expect(failureOf(exit)).toMatchObject({
          _tag: "ResponseTooLargeError",
          limitBytes: 65536,
          message: "An event of the stream is larger than 65536 bytes (maxEventBytes)"
        })
        expect(emulator.requests()).toHaveLength(1)
      }).pipe(over(http))
  },
  // --- streamIdleTimeout, on the TestClock ---
  {
    name: "silence after the headers: TimeoutError at the default streamIdleTimeout, 5 minutes",
    clock: "test",
    run: (http) =>
      Effect.gen(function*() {
        const { emulator, runs } = yield* services
        const run = emulator.seedRun({ status: "queued" })
        emulator.enqueueFault(Fault.silence({ method: "POST" }))
        const started = yield* Clock.currentTimeMillis
        const exit = yield* runOnTestClock(Stream.runDrain(streamOf(runs, run)), {
          horizonMillis: 10 * 60_000,
          ready: requestsArrived
        })
        expect(failureOf(exit)).toMatchObject({
          _tag: "TimeoutError",
          timeoutMs: 300_000,
          message: "The stream sent no event for 5m"
        })
        expect((yield* Clock.currentTimeMillis) - started).toBe(300_000)
      }).pipe(over(http, { client: { timeout: "1 hour" } }))
  },
  {
    name: "silence: the client's streamIdleTimeout (2 minutes) honoured, and a per-call one (30 seconds) over it",
    clock: "test",
    run: (http) =>
      Effect.gen(function*() {
        const { emulator, runs } = yield* services
        const run = emulator.seedRun({ status: "queued" })
        for (const [perCall, expected] of [[undefined, 120_000], ["30 seconds", 30_000]] as const) {
          emulator.enqueueFault(Fault.silence({ method: "POST" }))
          const stream = streamOf(runs, run)
          const started = yield* Clock.currentTimeMillis
          const exit = yield* runOnTestClock(
            Stream.runDrain(
              perCall === undefined
                ? stream
                : stream.pipe(OpenAiClient.withRequestOptions({ streamIdleTimeout: perCall }))
            ),
            { horizonMillis: 10 * 60_000, ready: requestsArrived }
          )
          expect(failureOf(exit)).toMatchObject({ _tag: "TimeoutError", timeoutMs: expected })
          expect((yield* Clock.currentTimeMillis) - started).toBe(expected)
        }
      }).pipe(over(http, { client: { timeout: "1 hour", streamIdleTimeout: "2 minutes" } }))
  },
  {
    name: "comments every 10 ms, never an event: the comments do not reset the idle timer, TimeoutError at 5 minutes",
    clock: "test",
    run: (http) =>
      Effect.gen(function*() {
        const { emulator, runs } = yield* services
        const run = emulator.seedRun({ status: "queued" })
        emulator.enqueueFault(Fault.commentsOnly(10, { method: "POST" }))
        const started = yield* Clock.currentTimeMillis
        const fiber = yield* Effect.fork(Stream.runDrain(streamOf(runs, run)))
        // The stream is open once its idle timer is on the clock; comments then come for real.
        yield* until(sleepingUntil(started + 300_000))
        yield* realWait(60)
        yield* TestClock.adjust("4 minutes")
        yield* realWait(60)
        yield* TestClock.adjust("59 seconds")
        yield* realWait(30)
        expect(yield* Fiber.poll(fiber)).toEqual(Option.none())
        yield* TestClock.adjust("1 second")
        const exit = yield* awaitReal(fiber, 2_000)
        expect(Option.map(exit, failureOf)).toMatchObject(Option.some({ _tag: "TimeoutError", timeoutMs: 300_000 }))
        yield* Fiber.interrupt(fiber)
      }).pipe(over(http, { client: { timeout: "1 hour" } }))
  },
  {
    name: "an event every 40 ms, the clock moved to 4 minutes past the last one until 12 minutes passed: alive",
    clock: "test",
    run: (http) =>
      Effect.gen(function*() {
        const { emulator, runs } = yield* services
        const run = emulator.seedRun({ status: "in_progress" })
        emulator.enqueueFault(Fault.generated({
          method: "POST",
          headers: { "content-type": "text/event-stream; charset=utf-8" },
          repeat: eventText("thread.run.in_progress", run),
          count: Infinity,
          chunkBytes: 1,
          intervalMs: 40,
          contentLength: false
        }))
        // The clock is only ever moved to 4 minutes after the last event (on the clock): never 5 minutes without one.
        // (An event may arrive while the clock is being moved, at a time it passes through: the next move is then
        // shorter.) The events keep coming until 12 minutes have passed.
        let received = 0
        let lastEventAt = 0
        const started = yield* Clock.currentTimeMillis
        const fiber = yield* Effect.fork(
          Stream.runForEach(streamOf(runs, run), () =>
            Effect.map(Clock.currentTimeMillis, (now) => {
              received++
              lastEventAt = now
            }))
        )
        for (let waited = 0; Option.isNone(yield* Fiber.poll(fiber)) && waited < 5_000; waited++) {
          const now = yield* Clock.currentTimeMillis
          if (now - started >= 12 * 60_000) break
          if (received > 0 && lastEventAt + 4 * 60_000 > now) yield* TestClock.adjust(lastEventAt + 4 * 60_000 - now)
          yield* realMillisecond
        }
        expect(yield* Fiber.poll(fiber)).toEqual(Option.none())
        expect((yield* Clock.currentTimeMillis) - started).toBeGreaterThanOrEqual(12 * 60_000)
        yield* Fiber.interrupt(fiber)
      }).pipe(over(http, { client: { timeout: "1 hour" } }))
  },
  // --- inputs that cannot be sent ---
  {
    name: "createRun params that cannot be serialised (BigInt, cycle, throwing toJSON, throwing getter): " +
      "InvalidRequestError naming the path, nothing sent",
    run: (http) =>
      Effect.gen(function*() {
        const { emulator, runs } = yield* services
        const run = emulator.seedRun({ status: "completed" })
        emulator.clearRequests()
        const cycle: Record<string, unknown> = { type: "object" }
        cycle.properties = { self: cycle }
        const cases = [
          [{ type: "object", x: { y: [1, 2n] } }, "params.tools.0.function.parameters.x.y.1", "BigInt"],
          // Checking the params copies `parameters`: the copy's `properties` still holds the original, so the cycle
          // closes one level further in than in the object given.
          [cycle, "params.tools.0.function.parameters.properties.self.properties", "cycle"],
          [{ type: "object", x: { toJSON: throwing } }, "params.tools.0.function.parameters.x", "toJSON"],
          [
            Object.defineProperty({ type: "object" }, "x", { get: throwing, enumerable: true }),
            "params.tools.0.function.parameters.x",
            "getter"
          ]
        ] as const
        for (const [parameters, field, reason] of cases) {
          const error = yield* flipped(runs.createRun(run.thread_id, withParameters(run, parameters)))
          expect(error).toMatchObject({ _tag: "InvalidRequestError", field, message: expect.stringContaining(reason) })
        }
        expect(emulator.requests()).toEqual([])
      }).pipe(over(http))
  },
  {
    name: "an id or an after cursor with a lone surrogate: InvalidRequestError naming it, nothing sent",
    run: (http) =>
      Effect.gen(function*() {
        const { emulator, runs } = yield* services
        emulator.clearRequests()
        const getRun = yield* flipped(runs.getRun("thread_1", "run_\uD800"))
        expect(getRun).toMatchObject({ _tag: "InvalidRequestError", field: "runId" })
        const listRuns = yield* flipped(runs.listRuns("thread_1", { after: "run_\uDC00" }))
        expect(listRuns).toMatchObject({ _tag: "InvalidRequestError", field: "params.after" })
        expect(emulator.requests()).toEqual([])
      }).pipe(over(http))
  },
  {
    name: "a run id with a lone surrogate sent by the server, then polled by createAndPoll: InvalidRequestError",
    run: (http) =>
      Effect.gen(function*() {
        const { emulator, runs } = yield* services
        const run = emulator.seedRun({ status: "completed" })
        emulator.clearRequests()
        const body = JSON.stringify({ ...run, id: "run_LONE", status: "queued" }).replace("run_LONE", "run_\\ud800")
        emulator.enqueueFault(Fault.status(200, { method: "POST", body }))
        const exit = yield* Effect.exit(
          runs.createAndPoll(run.thread_id, { assistant_id: run.assistant_id }, { interval: "100 millis" })
        )
        expect(failureOf(exit)).toMatchObject({
          _tag: "InvalidRequestError",
          message: expect.stringContaining("well-formed Unicode")
        })
        // The create, and no poll.
        expect(emulator.requests().map((request) => request.method)).toEqual(["POST"])
      }).pipe(over(http))
  },
  // --- apiUrl ---
  {
    name: "an apiUrl ending in a bare ? or #: the layer fails with InvalidOptionError",
    run: (http) =>
      Effect.gen(function*() {
        for (const suffix of ["?", "#"]) {
          const exit = yield* Effect.exit(
            Effect.void.pipe(over(http, { client: (emulator) => ({ apiUrl: emulator.url + suffix }) }))
          )
          expect(failureOf(exit)).toMatchObject({ _tag: "InvalidOptionError", option: "apiUrl" })
        }
      })
  },
  // --- the key ---
  {
    name: "the key echoed in x-request-id (as is, Bearer, base64 at each offset, the request's Authorization): " +
      "no trace in errors, JSON, Cause.pretty, logs or spans",
    run: (http) =>
      Effect.gen(function*() {
        const { emulator, runs } = yield* services
        const run = emulator.seedRun({ status: "completed" })
        const key = recognisableKey
        const echoes = [
          key,
          `Bearer ${key}`,
          ...[0, 1, 2].flatMap((offset) => [base64(key, offset), base64(`Bearer ${key}`, offset)]),
          Buffer.from(key).toString("base64url")
        ]
        const answers: ReadonlyArray<Fault.Fault> = [
          ...echoes.flatMap((echo) => [
            Fault.status(500, { headers: { "x-request-id": echo }, body: { error: { message: "boom" } } }),
            Fault.status(200, { headers: { "x-request-id": echo }, body: "not JSON" })
          ]),
          { status: 500, echo: { "x-request-id": "authorization" }, body: { error: { message: "boom" } } }
        ]
        for (const answer of answers) {
          emulator.enqueueFault(answer)
          const observed = yield* observe(runs.getRun(run.thread_id, run.id))
          expect(["InternalServerError", "ResponseDecodeError"]).toContain(tagOf(observed.exit))
          expect(leaksIn(observed.texts)).toEqual([])
        }
      }).pipe(
        over(http, { emulator: { apiKey: recognisableKey, lifecycle: { mode: "manual" } }, client: { maxRetries: 0 } })
      )
  },
  {
    name: "the key as a metadata key of an undecodable run, and as an SSE event's name: not in path or issues",
    run: (http) =>
      Effect.gen(function*() {
        const { emulator, runs } = yield* services
        const run = emulator.seedRun({ status: "completed" })
        const key = recognisableKey
        emulator.enqueueFault(Fault.status(200, { body: { ...run, metadata: { [key]: 1 } } }))
        const decoded = yield* observe(runs.getRun(run.thread_id, run.id))
        const error = failureOf(decoded.exit)
        expect(error).toMatchObject({ _tag: "ResponseDecodeError", path: ["metadata", expect.any(String)] })
        expect(leaksIn([JSON.stringify(error)])).toEqual([])
        expect(typeof error === "object" && (error.issues as ReadonlyArray<unknown>)[0]).toMatchObject({
          path: ["metadata", expect.any(String)]
        })
        expect(leaksIn(decoded.texts)).toEqual([])
        emulator.enqueueFault(Fault.eventStream([{ event: key, data: "{not json" }], { method: "POST" }))
        const streamed = yield* observe(Stream.runDrain(streamOf(runs, run)))
        const streamError = failureOf(streamed.exit)
        expect(streamError).toMatchObject({ _tag: "ResponseDecodeError", path: [expect.any(String)] })
        expect(leaksIn([JSON.stringify(streamError)])).toEqual([])
        expect(leaksIn(streamed.texts)).toEqual([])
      }).pipe(over(http, { emulator: { apiKey: recognisableKey, lifecycle: { mode: "manual" } } }))
  },
  // --- objects from the wire ---
  {
    name: "a tool's parameters with __proto__ from the server (plain or escaped): a plain object without the key, " +
      "Object.prototype untouched",
    run: (http) =>
      Effect.gen(function*() {
        const { emulator, runs } = yield* services
        const seeded = emulator.seedRun({ status: "completed" })
        for (const spelling of ["__proto__", "\\u005f_proto__"]) {
          const body = JSON.stringify({
            ...seeded,
            tools: [{ type: "function", function: { name: "f", parameters: { type: "object" } } }]
          }).replace(`"parameters":{`, `"parameters":{"${spelling}":{"polluted":"yes"},"constructor":{"prototype":1},`)
          emulator.enqueueFault(Fault.status(200, { body }))
          const run = yield* runs.getRun(seeded.thread_id, seeded.id)
          const tool = run.tools[0] as { readonly function: { readonly parameters: Record<string, unknown> } }
          const parameters = tool.function.parameters
          expect(Object.getPrototypeOf(parameters)).toBe(Object.prototype)
          expect(parameters.polluted).toBeUndefined()
          expect(parameters.type).toBe("object")
          // Dropped, not kept as an own key that a later `Object.assign` or `out[key] = value` copy would turn into
          // a prototype.
          expect(Object.hasOwn(parameters, "__proto__")).toBe(false)
          expect((Object.assign({}, parameters) as Record<string, unknown>).polluted).toBeUndefined()
          expect(({} as Record<string, unknown>).polluted).toBeUndefined()
        }
      }).pipe(over(http))
  },
  {
    name: "an error event nested 100,000 deep: ResponseDecodeError, not a stack overflow",
    run: (http) =>
      Effect.gen(function*() {
        const { emulator, runs } = yield* services
        const run = emulator.seedRun({ status: "completed" })
        emulator.enqueueFault(
          Fault.eventStream([{ event: "error", data: Fault.nestedJson(100_000) }], { method: "POST" })
        )
        expect(tagOf(yield* Effect.exit(Stream.runDrain(streamOf(runs, run))))).toBe("ResponseDecodeError")
      }).pipe(over(http))
  },
  {
    name: "a 2xx body, a run's metadata, or an error body nested 100,000 deep: typed errors",
    run: (http) =>
      Effect.gen(function*() {
        const { emulator, runs } = yield* services
        const seeded = emulator.seedRun({ status: "completed" })
        const get = Effect.exit(runs.getRun(seeded.thread_id, seeded.id))
        emulator.enqueueFault(Fault.deeplyNested(100_000, { kind: "object" }))
        expect(tagOf(yield* get)).toBe("ResponseDecodeError")
        const body = JSON.stringify(seeded).replace(
          /"metadata":\{[^}]*\}/,
          `"metadata":${Fault.nestedJson(100_000, "object")}`
        )
        emulator.enqueueFault(Fault.status(200, { body }))
        expect(tagOf(yield* get)).toBe("ResponseDecodeError")
        emulator.enqueueFault(Fault.status(500, { body: `{"error":${Fault.nestedJson(100_000, "object")}}` }))
        expect(tagOf(yield* get)).toBe("InternalServerError")
      }).pipe(over(http, { client: { maxRetries: 0 } }))
  },
  // --- polls ---
  {
    name: "pollRun without a timeout on a run that never settles: PollTimeoutError at 15 minutes",
    clock: "test",
    run: (http) =>
      Effect.gen(function*() {
        const { emulator, runs } = yield* services
        const run = emulator.seedRun({ status: "in_progress" })
        const started = yield* Clock.currentTimeMillis
        // A horizon just past the poll's interval: the 15-minute timeout is not jumped to while a poll's answer is
        // still on its way, until the last minute.
        const exit = yield* runOnTestClock(runs.pollRun(run.thread_id, run.id, { interval: "1 minute" }), {
          horizonMillis: 61_000,
          ready: requestsArrived
        })
        expect(failureOf(exit)).toMatchObject({
          _tag: "PollTimeoutError",
          message: "The run did not settle within 15m",
          lastRun: { id: run.id, status: "in_progress" }
        })
        expect((yield* Clock.currentTimeMillis) - started).toBe(15 * 60_000)
        expect(emulator.requests().length).toBeGreaterThanOrEqual(15)
      }).pipe(over(http, {
        emulator: { lifecycle: { mode: "manual" }, pollAfterMs: 60_000 },
        client: { timeout: "1 hour" }
      }))
  }
]

for (const transport of transports) {
  describe.concurrent(`hostile servers against the whole client over ${transport.name}`, () => {
    for (const scenario of scenarios) {
      if (scenario.clock === "test") it.effect(scenario.name, () => scenario.run(transport.layer))
      else it.live(scenario.name, () => scenario.run(transport.layer))
    }
  })
}
