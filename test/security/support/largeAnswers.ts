/**
 * A child-process script: the whole client, over each transport of `test/support/transports.ts` in turn (or those
 * named, comma-separated, in `argv[2]`), against an emulator on loopback in the same process, answering with bodies
 * and streams far too large to hold. Each scenario prints one JSON line (`Outcome`): how the call ended, how many
 * requests reached the emulator, how long it took, and how far memory grew above what it was before (sampled every
 * few milliseconds while it ran, after a GC). A last line per transport says whether the client still works. Run it
 * with a small heap (`--max-old-space-size`) and `--expose-gc`: a crash is then the parent's to see.
 *
 * `argv[3]`, when given, is a comma-separated list of scenario names to run (default: all but `lifted`).
 */
import { OpenAiClient, RunsService } from "@effect-openai/runs"
import { Emulator, Fault, type Wire } from "@effect-openai/runs-emulator"
import { Cause, Effect, Exit, Layer, ManagedRuntime, Stream } from "effect"
import { emulatorLayer } from "../../../packages/runs/test/support/emulator.js"
import { transportNamed, transports } from "../../support/transports.js"

/** What one scenario printed. */
export interface Outcome {
  readonly transport: string
  readonly scenario: string
  /** `Success`, the error's tag, or `defect: …`. */
  readonly outcome: string
  readonly limitBytes?: number | undefined
  readonly message?: string | undefined
  readonly path?: ReadonlyArray<string | number> | undefined
  readonly requests: number
  readonly ms: number
  /** The most the resident set, the V8 heap, and memory outside it (ArrayBuffers, Buffers) grew, in bytes. */
  readonly rssGrowth: number
  readonly heapGrowth: number
  readonly externalGrowth: number
}

type Runs = RunsService.Service

interface Scenario {
  readonly name: string
  readonly fault: (run: Wire.Run) => Fault.Fault
  readonly call: (runs: Runs, run: Wire.Run) => Effect.Effect<unknown, { readonly _tag: string }>
}

const getRun = (runs: Runs, run: Wire.Run) => runs.getRun(run.thread_id, run.id)
const listRuns = (runs: Runs, run: Wire.Run) => runs.listRuns(run.thread_id)
const streamRun = (runs: Runs, run: Wire.Run) =>
  Stream.runDrain(runs.createRunStream(run.thread_id, { assistant_id: run.assistant_id }))

const gib2 = 2 * 1024 ** 3

/** Every scenario the script knows, by name: a hostile answer and the call that meets it. */
const scenarios: ReadonlyArray<Scenario> = [
  { name: "2GiB", fault: () => Fault.largeBody(gib2), call: getRun },
  { name: "2GiB-chunked", fault: () => Fault.largeBody(gib2, { contentLength: false }), call: getRun },
  { name: "450MB-arrays", fault: () => Fault.largeBody(450e6, { shape: "arrays" }), call: getRun },
  {
    name: "450MB-arrays-chunked",
    fault: () => Fault.largeBody(450e6, { shape: "arrays", contentLength: false }),
    call: getRun
  },
  { name: "page-1M", fault: (run) => Fault.largePage(1_000_000, run), call: listRuns },
  {
    name: "page-1M-chunked",
    fault: (run) => Fault.largePage(1_000_000, run, { contentLength: false }),
    call: listRuns
  },
  { name: "endless-data-line", fault: () => Fault.endlessDataLine(), call: streamRun },
  { name: "endless-data-lines", fault: () => Fault.endlessDataLines(), call: streamRun },
  {
    // maxResponseBytes lifted past the body, per call: the client reads all of it. Not run unless asked for.
    name: "lifted",
    fault: () => Fault.largeBody(450e6, { shape: "arrays", contentLength: false }),
    call: (runs, run) => getRun(runs, run).pipe(OpenAiClient.withRequestOptions({ maxResponseBytes: 500e6 }))
  }
]

const failureOf = (exit: Exit.Exit<unknown, { readonly _tag: string }>) => {
  if (Exit.isSuccess(exit)) return { outcome: "Success" }
  const failure = Cause.failureOption(exit.cause)
  if (failure._tag === "None") return { outcome: `defect: ${Cause.pretty(exit.cause).slice(0, 500)}` }
  const error = failure.value as {
    readonly _tag: string
    readonly limitBytes?: number
    readonly message?: string
    readonly path?: ReadonlyArray<string | number>
  }
  return { outcome: error._tag, limitBytes: error.limitBytes, message: error.message, path: error.path }
}

const gc = (globalThis as { readonly gc?: () => void }).gc

const [transportNames, only] = process.argv.slice(2)
const selected = only === undefined
  ? scenarios.filter((scenario) => scenario.name !== "lifted")
  : scenarios.filter((scenario) => only.split(",").includes(scenario.name))

const runAll = (transport: string) =>
  Effect.gen(function*() {
    const emulator = yield* Emulator.Emulator
    const runs = yield* RunsService.RunsService
    const run = emulator.seedRun({ status: "completed" })
    // Warm up: modules loaded, a connection open, the decoders built.
    yield* getRun(runs, run)
    for (const scenario of selected) {
      emulator.clearRequests()
      emulator.enqueueFault(scenario.fault(run))
      gc?.()
      const before = process.memoryUsage()
      const peak = { rss: before.rss, heapUsed: before.heapUsed, external: before.external }
      const sample = () => {
        const now = process.memoryUsage()
        peak.rss = Math.max(peak.rss, now.rss)
        peak.heapUsed = Math.max(peak.heapUsed, now.heapUsed)
        peak.external = Math.max(peak.external, now.external)
      }
      const sampler = setInterval(sample, 5)
      const started = performance.now()
      const exit = yield* Effect.exit(scenario.call(runs, run))
      const ms = Math.round(performance.now() - started)
      sample()
      clearInterval(sampler)
      emulator.clearFaults()
      const outcome: Outcome = {
        transport,
        scenario: scenario.name,
        ...failureOf(exit),
        requests: emulator.requests().length,
        ms,
        rssGrowth: peak.rss - before.rss,
        heapGrowth: peak.heapUsed - before.heapUsed,
        externalGrowth: peak.external - before.external
      }
      console.log(JSON.stringify(outcome))
    }
    // The client still works.
    const after = yield* Effect.exit(getRun(runs, run))
    console.log(JSON.stringify({ transport, scenario: "after", ...failureOf(after) }))
  })

for (const name of transportNames?.split(",") ?? transports.map((transport) => transport.name)) {
  const runtime = ManagedRuntime.make(
    emulatorLayer({
      transport: "socket",
      http: transportNamed(name).layer,
      emulator: { lifecycle: { mode: "manual" } }
    }).pipe(Layer.orDie)
  )
  await runtime.runPromise(runAll(name)).finally(() => runtime.dispose())
}
