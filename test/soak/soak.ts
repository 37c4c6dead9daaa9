/**
 * A soak of the client against the emulator: many mixed operations at a given concurrency, with transient faults
 * injected, counting every outcome. `pnpm soak` runs it at full size; a short run is part of the test suite.
 */
import { OpenAiClient, type RunsError, RunsService } from "@effect-openai/runs"
import { Emulator, type Fault } from "@effect-openai/runs-emulator"
import { FetchHttpClient, type HttpClient } from "@effect/platform"
import { Cause, Context, Effect, Exit, Layer } from "effect"
import { setFlagsFromString } from "node:v8"
import { runInNewContext } from "node:vm"

/** How big a soak is. */
export interface SoakOptions {
  readonly operations: number
  readonly concurrency: number
  /** The share of operations preceded by an injected transient fault, 0–1. */
  readonly faultRate: number
  readonly seed?: number
  /** The `HttpClient` the client sends with; `FetchHttpClient.layer` when not given. */
  readonly http?: Layer.Layer<HttpClient.HttpClient>
}

/** What a soak saw. */
export interface SoakReport {
  readonly operations: number
  readonly succeeded: number
  readonly typedFailures: Readonly<Record<string, number>>
  readonly defects: number
  readonly lost: number
  readonly faultsInjected: number
  readonly requestsReceived: number
  readonly retries: number
  readonly latencyMs: { readonly p50: number; readonly p99: number; readonly max: number }
  readonly heapMb: { readonly before: number; readonly after: number }
  readonly rssMb: { readonly before: number; readonly after: number }
  readonly socketsAfterClose: number
  readonly handlesAfterClose: number
  readonly seconds: number
}

setFlagsFromString("--expose-gc")
const gc = runInNewContext("gc") as () => void

const megabytes = (bytes: number) => Math.round(bytes / 1024 / 1024 * 10) / 10

const socketHandles = () =>
  process.getActiveResourcesInfo().filter((name) => name === "TCPSocketWrap" || name === "TCPServerWrap").length

const percentile = (sorted: ReadonlyArray<number>, p: number) =>
  sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!

/** A small deterministic generator, so a soak can be replayed. */
const makeRandom = (seed: number) => () => {
  seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648
  return seed / 2_147_483_648
}

const transientFaults: ReadonlyArray<Fault.Fault> = [
  { status: 500, headers: { "retry-after-ms": "1" }, body: { error: { message: "boom", type: "server_error" } } },
  { status: 503, headers: { "retry-after-ms": "1" }, body: "upstream unavailable" },
  { status: 429, headers: { "retry-after-ms": "1" }, body: { error: { message: "slow down", type: "requests" } } },
  { kind: "reset" }
]

/** Runs a soak and reports what happened. */
export const soak = (options: SoakOptions): Effect.Effect<SoakReport> =>
  Effect.gen(function*() {
    const random = makeRandom(options.seed ?? 42)
    const handlesBefore = socketHandles()
    gc()
    const before = process.memoryUsage()
    const started = performance.now()
    const latencies: Array<number> = []
    const typedFailures: Record<string, number> = {}
    let succeeded = 0
    let defects = 0
    let faultsInjected = 0
    let requestsReceived = 0
    let openConnections = () => -1

    yield* Effect.scoped(Effect.gen(function*() {
      const emulator = yield* Effect.orDie(Emulator.make({ lifecycle: { mode: "perRequest" } }))
      openConnections = emulator.openConnections
      // Built in this scope: a transport that owns a connection pool (undici's) keeps it until the soak ends.
      const context = yield* Layer.build(
        RunsService.layer.pipe(
          Layer.provide(OpenAiClient.layer({ apiKey: emulator.apiKey, apiUrl: emulator.url, maxRetries: 3 })),
          Layer.provide(options.http ?? FetchHttpClient.layer)
        )
      ).pipe(Effect.orDie)
      const runs = Context.get(context, RunsService.RunsService)
      const assistant = emulator.seedAssistant({ instructions: "Be brief." })
      const seeded = Array.from({ length: 20 }, () =>
        emulator.seedRun({ status: "completed", assistant_id: assistant.id }))

      const operation = (index: number): Effect.Effect<unknown, RunsError.RunsError> => {
        const pick = random()
        const run = seeded[index % seeded.length]!
        if (random() < options.faultRate) {
          faultsInjected++
          emulator.enqueueFault(transientFaults[Math.floor(random() * transientFaults.length)]!)
        }
        if (pick < 0.4) {
          return runs.getRun(run.thread_id, run.id)
        }
        if (pick < 0.6) {
          return runs.modifyRun(run.thread_id, run.id, { metadata: { n: String(index) } })
        }
        if (pick < 0.8) {
          return runs.listRuns(run.thread_id, { limit: 5 })
        }
        if (pick < 0.9) {
          return runs.listRunSteps(run.thread_id, run.id)
        }
        return runs.createThreadAndRun({ assistant_id: assistant.id })
      }

      yield* Effect.forEach(
        Array.from({ length: options.operations }, (_, index) =>
          index),
        (index) =>
          Effect.suspend(() => {
            const start = performance.now()
            return Effect.exit(operation(index)).pipe(Effect.map((exit) => {
              latencies.push(performance.now() - start)
              if (Exit.isSuccess(exit)) succeeded++
              else if (Cause.isFailType(exit.cause)) {
                typedFailures[exit.cause.error._tag] = (typedFailures[exit.cause.error._tag] ?? 0) + 1
              } else defects++
            }))
          }),
        { concurrency: options.concurrency, discard: true }
      )
      requestsReceived = emulator.requests().length
      emulator.clearRequests()
    }))

    yield* Effect.sleep("50 millis")
    gc()
    const after = process.memoryUsage()
    const sorted = [...latencies].sort((a, b) => a - b)
    const failed = Object.values(typedFailures).reduce((sum, n) => sum + n, 0)
    return {
      operations: options.operations,
      succeeded,
      typedFailures,
      defects,
      lost: options.operations - succeeded - failed - defects,
      faultsInjected,
      requestsReceived,
      retries: requestsReceived - options.operations,
      latencyMs: {
        p50: Math.round(percentile(sorted, 0.5) * 100) / 100,
        p99: Math.round(percentile(sorted, 0.99) * 100) / 100,
        max: Math.round((sorted.at(-1) ?? 0) * 100) / 100
      },
      heapMb: { before: megabytes(before.heapUsed), after: megabytes(after.heapUsed) },
      rssMb: { before: megabytes(before.rss), after: megabytes(after.rss) },
      socketsAfterClose: openConnections(),
      handlesAfterClose: socketHandles() - handlesBefore,
      seconds: Math.round((performance.now() - started) / 10) / 100
    }
  })
