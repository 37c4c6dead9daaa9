/**
 * The HTTP workloads every client runs: what one call is, how many calls run at once and how many a batch makes.
 */

/** The HTTP workloads. */
export type WorkloadName = "getRun" | "getRun c64" | "modifyRun" | "listRuns 100" | "pollRun 50"

/** One call of a workload. */
export type Call = () => Promise<unknown>

/** A workload and its sizes. */
export interface Workload {
  readonly name: WorkloadName
  /** Calls in flight at once. */
  readonly concurrency: number
  /** Calls per batch in a full run (`--quick` makes a tenth). */
  readonly calls: number
  /** Calls made once, before the first measured round. */
  readonly warmup: number
  /** What one call does, for the report. */
  readonly description: string
}

/** The HTTP workloads, in the order they run. */
export const workloads: ReadonlyArray<Workload> = [
  { name: "getRun", concurrency: 1, calls: 1500, warmup: 2000, description: "GET one run, one call at a time" },
  { name: "getRun c64", concurrency: 64, calls: 3000, warmup: 2000, description: "GET one run, 64 calls in flight" },
  { name: "modifyRun", concurrency: 1, calls: 1000, warmup: 1000, description: "POST new metadata to a run" },
  { name: "listRuns 100", concurrency: 1, calls: 120, warmup: 100, description: "GET a page of 100 runs" },
  {
    name: "pollRun 50",
    concurrency: 1,
    calls: 20,
    warmup: 20,
    description: "poll a run until it completes, on the 50th GET, without waiting between GETs"
  }
]
