/**
 * The fault suite: every fault the emulator can inject × every kind of operation, each with its exact typed
 * outcome, the exact number of requests the server saw, the time the client waited (on the TestClock), and no trace
 * of the (recognisable) API key in the outcome, the logged cause or any span.
 */
import { type RunsService } from "@effect-openai/runs"
import { RunsService as Runs } from "@effect-openai/runs"
import { Emulator, Fault } from "@effect-openai/runs-emulator"
import { describe, expect, layer } from "@effect/vitest"
import { Cause, Clock, Effect, Exit, Stream } from "effect"
import { emulatorLayer } from "../../packages/runs/test/support/emulator.js"
import { runOnTestClock } from "../../packages/runs/test/support/testClock.js"
import { leaksIn, observe, recognisableKey } from "../support/leaks.js"
import { type HttpTransport, transports } from "../support/transports.js"

/** What an operation kind is: how to set it up, call it, and which requests are its own. */
interface OperationKind {
  readonly name: string
  readonly idempotent: boolean
  readonly streaming?: boolean
  readonly method: "GET" | "POST"
  readonly path: RegExp
  readonly run: (
    emulator: Emulator.Handle,
    runs: RunsService.Service
  ) => Effect.Effect<unknown, { readonly _tag: string }>
}

const functionAssistant = (emulator: Emulator.Handle) =>
  emulator.seedAssistant({
    tools: [{ type: "function", function: { name: "f" } }],
    script: [{ type: "function_call", name: "f" }, { type: "message", text: "done" }]
  })

const kinds: ReadonlyArray<OperationKind> = [
  {
    name: "getRun",
    idempotent: true,
    method: "GET",
    path: /\/runs\/run_[^/]+$/,
    run: (emulator, runs) => {
      const run = emulator.seedRun({ status: "completed" })
      return runs.getRun(run.thread_id, run.id)
    }
  },
  {
    name: "modifyRun",
    idempotent: true,
    method: "POST",
    path: /\/runs\/run_[^/]+$/,
    run: (emulator, runs) => {
      const run = emulator.seedRun({ status: "completed" })
      return runs.modifyRun(run.thread_id, run.id, { metadata: { k: "v" } })
    }
  },
  {
    name: "createRun",
    idempotent: false,
    method: "POST",
    path: /\/threads\/thread_[^/]+\/runs$/,
    run: (emulator, runs) =>
      runs.createRun(emulator.seedThread().id, { assistant_id: emulator.seedAssistant({ instructions: "hi" }).id })
  },
  {
    name: "submitToolOutputs",
    idempotent: false,
    method: "POST",
    path: /\/submit_tool_outputs$/,
    run: (emulator, runs) => {
      const run = emulator.seedRun({ status: "requires_action", assistant_id: functionAssistant(emulator).id })
      const callId = run.required_action!.submit_tool_outputs.tool_calls[0]!.id
      return runs.submitToolOutputsToRun(run.thread_id, run.id, {
        tool_outputs: [{ tool_call_id: callId, output: "x" }]
      })
    }
  },
  {
    name: "createRunStream",
    idempotent: false,
    streaming: true,
    method: "POST",
    path: /\/threads\/thread_[^/]+\/runs$/,
    run: (emulator, runs) =>
      Stream.runDrain(
        runs.createRunStream(emulator.seedThread().id, {
          assistant_id: emulator.seedAssistant({ instructions: "hi" }).id
        })
      )
  },
  {
    name: "pollRun",
    idempotent: true,
    method: "GET",
    path: /\/runs\/run_[^/]+$/,
    run: (emulator, runs) => {
      const run = emulator.seedRun({ status: "completed" })
      return runs.pollRun(run.thread_id, run.id)
    }
  }
]

/** The outcome of one scenario: the error's tag (or "Success"), requests seen, and milliseconds waited. */
interface Outcome {
  readonly outcome: string
  readonly requests: number
  /** Inclusive bounds of the test-clock time the call took. */
  readonly waited?: readonly [number, number]
}

interface Scenario {
  readonly name: string
  /** The per-attempt timeout of the client, when the scenario is about it; otherwise far beyond any wait. */
  readonly timeout?: "2 seconds"
  readonly faults: ReadonlyArray<Fault.Fault>
  readonly idempotent: Outcome
  /** Defaults to `idempotent`. */
  readonly nonIdempotent?: Outcome
  /** Defaults to `nonIdempotent`. */
  readonly streaming?: Outcome
  /** The operation kinds the scenario applies to, when not all. */
  readonly onlyKinds?: ReadonlyArray<string>
}

const json = (status: number, message: string, extra: Record<string, unknown> = {}) => ({
  status,
  body: { error: { message, type: "invalid_request_error", param: null, code: null, ...extra } }
})
const times = <A>(n: number, value: A): Array<A> => Array.from({ length: n }, () => value)
const backoffFirst = [400, 600] as const
const none = [0, 0] as const

const scenarios: ReadonlyArray<Scenario> = [
  {
    name: "500 once",
    faults: [json(500, "The server had an error")],
    idempotent: { outcome: "Success", requests: 2, waited: backoffFirst },
    nonIdempotent: { outcome: "InternalServerError", requests: 1, waited: none }
  },
  {
    name: "503 with retry-after-ms: 250",
    faults: [{ status: 503, headers: { "retry-after-ms": "250" }, body: "" }],
    idempotent: { outcome: "Success", requests: 2, waited: [250, 250] },
    nonIdempotent: { outcome: "InternalServerError", requests: 1, waited: none }
  },
  {
    name: "429 with retry-after: 1",
    faults: [{ status: 429, headers: { "retry-after": "1" }, body: json(429, "Rate limit reached").body }],
    idempotent: { outcome: "Success", requests: 2, waited: [1000, 1000] }
  },
  {
    name: "429 three times: retries exhausted",
    faults: times(3, { status: 429, headers: { "retry-after-ms": "100" }, body: "" }),
    idempotent: { outcome: "RateLimitError", requests: 3, waited: [200, 200] }
  },
  {
    name: "a retry-after of 'soon' falls back to the backoff",
    faults: [{ status: 503, headers: { "retry-after": "soon" }, body: "" }],
    idempotent: { outcome: "Success", requests: 2, waited: backoffFirst },
    nonIdempotent: { outcome: "InternalServerError", requests: 1, waited: none }
  },
  {
    name: "400",
    faults: [json(400, "Invalid value")],
    idempotent: { outcome: "BadRequestError", requests: 1, waited: none }
  },
  {
    name: "401",
    faults: [json(401, "Incorrect API key provided")],
    idempotent: { outcome: "AuthenticationError", requests: 1, waited: none }
  },
  {
    name: "403",
    faults: [json(403, "Forbidden")],
    idempotent: { outcome: "PermissionDeniedError", requests: 1, waited: none }
  },
  {
    name: "404",
    faults: [json(404, "No run found with id 'run_x'.")],
    idempotent: { outcome: "NotFoundError", requests: 1, waited: none }
  },
  {
    name: "409",
    faults: [json(409, "Conflict")],
    idempotent: { outcome: "Success", requests: 2, waited: backoffFirst },
    nonIdempotent: { outcome: "ConflictError", requests: 1, waited: none }
  },
  {
    name: "422",
    faults: [json(422, "Unprocessable")],
    idempotent: { outcome: "UnprocessableEntityError", requests: 1, waited: none }
  },
  {
    name: "503 with x-should-retry: false",
    faults: [{ status: 503, headers: { "x-should-retry": "false" }, body: "" }],
    idempotent: { outcome: "InternalServerError", requests: 1, waited: none }
  },
  {
    name: "400 with x-should-retry: true",
    faults: [{ status: 400, headers: { "x-should-retry": "true", "retry-after-ms": "10" }, body: "" }],
    idempotent: { outcome: "Success", requests: 2, waited: [10, 10] }
  },
  {
    name: "an HTML 502 page from a proxy",
    faults: [{ status: 502, headers: { "content-type": "text/html" }, body: "<html><h1>502 Bad Gateway</h1></html>" }],
    idempotent: { outcome: "Success", requests: 2, waited: backoffFirst },
    nonIdempotent: { outcome: "InternalServerError", requests: 1, waited: none }
  },
  {
    name: "a connection reset before the response",
    faults: [{ kind: "reset" }],
    idempotent: { outcome: "Success", requests: 2, waited: backoffFirst },
    nonIdempotent: { outcome: "ConnectionError", requests: 1, waited: none }
  },
  {
    name: "a non-JSON 200",
    faults: [{ status: 200, body: "OK" }],
    idempotent: { outcome: "ResponseDecodeError", requests: 1, waited: none }
  },
  {
    name: "an empty 200",
    faults: [{ status: 200, body: "" }],
    idempotent: { outcome: "ResponseDecodeError", requests: 1, waited: none }
  },
  {
    name: "truncated JSON",
    faults: [{ status: 200, body: "{\"id\":\"run_1\",\"object\":\"thread.r" }],
    idempotent: { outcome: "ResponseDecodeError", requests: 1, waited: none }
  },
  {
    name: "JSON that is not a run",
    faults: [{ status: 200, body: { id: "run_1", object: "thread.run", status: "paused" } }],
    idempotent: { outcome: "ResponseDecodeError", requests: 1, waited: none }
  },
  {
    name: "a huge body (4 MB) that is not a run",
    faults: [{ status: 200, body: { junk: "x".repeat(4 * 1024 * 1024) } }],
    idempotent: { outcome: "ResponseDecodeError", requests: 1, waited: none }
  },
  {
    name: "a good answer with a wrong content-type",
    faults: [Fault.wrongContentType("text/plain")],
    idempotent: { outcome: "Success", requests: 1, waited: none },
    streaming: { outcome: "ResponseDecodeError", requests: 1, waited: none }
  },
  {
    name: "a good answer with duplicate and garbled headers",
    faults: [Fault.garbledHeaders()],
    idempotent: { outcome: "Success", requests: 1, waited: none }
  },
  {
    name: "a 503 with duplicate and garbled headers",
    faults: [Fault.garbledHeaders({ status: 503, body: "" })],
    idempotent: { outcome: "Success", requests: 2, waited: backoffFirst },
    nonIdempotent: { outcome: "InternalServerError", requests: 1, waited: none }
  },
  {
    name: "an empty 503",
    faults: [Fault.emptyBody({ status: 503 })],
    idempotent: { outcome: "Success", requests: 2, waited: backoffFirst },
    nonIdempotent: { outcome: "InternalServerError", requests: 1, waited: none }
  },
  {
    name: "the connection reset in the middle of the body",
    faults: [Fault.resetMidBody({ afterBytes: 40 })],
    idempotent: { outcome: "Success", requests: 2, waited: backoffFirst },
    nonIdempotent: { outcome: "ConnectionError", requests: 1, waited: none }
  },
  {
    name: "a body cut short of its content-length",
    faults: [Fault.truncated()],
    idempotent: { outcome: "Success", requests: 2, waited: backoffFirst },
    nonIdempotent: { outcome: "ConnectionError", requests: 1, waited: none }
  },
  {
    name: "headers later than the attempt timeout (2 s)",
    timeout: "2 seconds",
    faults: [{ status: 200, delayMs: 60_000, body: "{}" }],
    idempotent: { outcome: "Success", requests: 2, waited: [2000 + 400, 2000 + 600] },
    nonIdempotent: { outcome: "TimeoutError", requests: 1, waited: [2000, 2000] }
  },
  {
    name: "a body dripping slower than the attempt timeout (2 s)",
    timeout: "2 seconds",
    faults: [Fault.slowDrip({ bytes: 8, intervalMs: 250 })],
    idempotent: { outcome: "Success", requests: 2, waited: [2000 + 400, 2000 + 600] },
    nonIdempotent: { outcome: "TimeoutError", requests: 1, waited: [2000, 2000] },
    // A dripped stream is not bounded by the attempt timeout once open (test/integration/streaming.test.ts drips
    // whole recorded streams); here the test clock would race the real first bytes, so streams are left out.
    onlyKinds: ["getRun", "modifyRun", "createRun", "submitToolOutputs", "pollRun"]
  }
]

/**
 * Each scenario runs on the TestClock, which jumps to the client's sleeps (backoffs, server-advised waits, the
 * attempt timeout when the scenario is about it) while real loopback I/O gets real time: the client's timeout (and a
 * stream's idle timeout) is otherwise set far beyond the jumps, so an answer on its way is never overtaken by a jump,
 * and no timer a previous scenario left on the clock is jumped to.
 */
const emulatorOptions = { lifecycle: { mode: "manual" }, apiKey: recognisableKey } as const
const layersOver = (http: HttpTransport["layer"]) => ({
  "1 hour": emulatorLayer({
    transport: "socket",
    http,
    emulator: emulatorOptions,
    client: { timeout: "1 hour", streamIdleTimeout: "1 hour" }
  }),
  "2 seconds": emulatorLayer({
    transport: "socket",
    http,
    emulator: emulatorOptions,
    client: { timeout: "2 seconds", streamIdleTimeout: "1 hour" }
  })
})

// One table of scenarios over one table of transports: the same outcomes whichever HttpClient carries the requests.
for (const transport of transports) {
  const layers = layersOver(transport.layer)
  for (const timeout of ["1 hour", "2 seconds"] as const) {
    const selected = scenarios.filter((scenario) => (scenario.timeout ?? "1 hour") === timeout)
    describe(`the fault suite over ${transport.name} (attempt timeout ${timeout})`, () => {
      layer(layers[timeout])((it) => {
        for (const scenario of selected) {
          for (const kind of kinds.filter((kind) => scenario.onlyKinds?.includes(kind.name) ?? true)) {
            const nonIdempotent = scenario.nonIdempotent ?? scenario.idempotent
            const expected = kind.idempotent
              ? scenario.idempotent
              : kind.streaming === true
              ? scenario.streaming ?? nonIdempotent
              : nonIdempotent
            it.effect(`${scenario.name} × ${kind.name} → ${expected.outcome}, ${expected.requests} request(s)`, () =>
              Effect.gen(function*() {
                const emulator = yield* Emulator.Emulator
                const runs = yield* Runs.RunsService
                emulator.clearFaults()
                const call = kind.run(emulator, runs)
                emulator.clearRequests()
                for (const fault of scenario.faults) {
                  emulator.enqueueFault({ method: kind.method, path: kind.path, ...fault })
                }
                const started = yield* Clock.currentTimeMillis
                const observed = yield* runOnTestClock(observe(call), { horizonMillis: 10 * 60_000 })
                const exit = Exit.flatMap(observed, ({ exit }) => exit)
                const waited = (yield* Clock.currentTimeMillis) - started
                const outcome = Exit.isSuccess(exit)
                  ? "Success"
                  : Cause.isFailType(exit.cause)
                  ? exit.cause.error._tag
                  : `defect: ${Cause.pretty(exit.cause)}`
                const requests = emulator.requests().filter((r) => r.method === kind.method && kind.path.test(r.path))
                expect({ outcome, requests: requests.length }).toEqual({
                  outcome: expected.outcome,
                  requests: expected.requests
                })
                // and, with a recognisable key, no trace of it in the outcome, the logged cause or any span
                expect(Exit.isSuccess(observed) && leaksIn(observed.value.texts)).toEqual([])
                if (expected.waited !== undefined) {
                  // within a millisecond: the test clock keeps fractions of jittered backoffs
                  expect(waited).toBeGreaterThanOrEqual(expected.waited[0] - 1)
                  expect(waited).toBeLessThanOrEqual(expected.waited[1] + 1)
                }
                emulator.clearFaults()
              }))
          }
        }
      })
    })
  }
}
