/**
 * The HTTP workloads: which operation a call is, how the calls are run (awaited promises, or one Effect program per
 * batch), how many are in flight at once and how many a batch makes.
 */

/** What one call does, whichever client makes it. */
export type Operation = "getRun" | "getRunChunked" | "modifyRun" | "listRuns" | "pollRun" | "stream"

/** The HTTP workloads. */
export type WorkloadName =
  | "getRun"
  | "getRun c64"
  | "getRun c64 program"
  | "getRun chunked"
  | "modifyRun"
  | "listRuns 100"
  | "pollRun 50"
  | "stream 2k events"

/**
 * How a batch runs:
 * - `promise`: each call is a promise (an Effect client runs each call with `runtime.runPromise`), `concurrency`
 *   workers awaiting one call after another;
 * - `program`: Effect clients only, the batch is one Effect, `Effect.forEach(calls, call, { concurrency })`, run
 *   once with `runtime.runPromise`.
 */
export type Mode = "promise" | "program"

/** One call of a workload, as a promise. */
export type Call = () => Promise<unknown>

/** A workload and its sizes. */
export interface Workload {
  readonly name: WorkloadName
  readonly operation: Operation
  readonly mode: Mode
  /** Calls in flight at once. */
  readonly concurrency: number
  /** Calls per batch in a full run (`--quick` makes a tenth). */
  readonly calls: number
  /** Calls made once, before the first measured round. */
  readonly warmup: number
  /** What one call does, for the report. */
  readonly description: string
  /** The workload whose baselines (undici, fetch, SDK: promise clients) the ratios use, when not this one. */
  readonly baselines?: WorkloadName
}

/** The HTTP workloads, in the order they run. */
export const workloads: ReadonlyArray<Workload> = [
  {
    name: "getRun",
    operation: "getRun",
    mode: "promise",
    concurrency: 1,
    calls: 1000,
    warmup: 1000,
    description: "GET one run, one call at a time (Effect clients: runtime.runPromise per call)"
  },
  {
    name: "getRun c64",
    operation: "getRun",
    mode: "promise",
    concurrency: 64,
    calls: 2000,
    warmup: 500,
    description: "GET one run, 64 calls in flight, runPromise per call for Effect clients"
  },
  {
    name: "getRun c64 program",
    operation: "getRun",
    mode: "program",
    concurrency: 64,
    calls: 2000,
    warmup: 500,
    description: "GET one run, 64 calls in flight as one Effect program per batch (Effect clients only)",
    baselines: "getRun c64"
  },
  {
    name: "getRun chunked",
    operation: "getRunChunked",
    mode: "promise",
    concurrency: 1,
    calls: 1000,
    warmup: 1000,
    description: "GET one run the server sends chunked, without content-length, one call at a time"
  },
  {
    name: "modifyRun",
    operation: "modifyRun",
    mode: "promise",
    concurrency: 1,
    calls: 600,
    warmup: 300,
    description: "POST new metadata to a run"
  },
  {
    name: "listRuns 100",
    operation: "listRuns",
    mode: "promise",
    concurrency: 1,
    calls: 80,
    warmup: 30,
    description: "GET a page of 100 runs"
  },
  {
    name: "pollRun 50",
    operation: "pollRun",
    mode: "promise",
    concurrency: 1,
    calls: 10,
    warmup: 3,
    description: "poll a run until it completes, on the 50th GET, without waiting between GETs"
  },
  {
    name: "stream 2k events",
    operation: "stream",
    mode: "promise",
    concurrency: 1,
    calls: 6,
    warmup: 2,
    description: "createRun with stream: true, a stream of ~2,000 events (~360 KB) read to its end"
  }
]
