/**
 * Timing of batches of calls: per-call latency, wall time and the CPU this process spent.
 */
import * as Effect from "effect/Effect"
import { performance } from "node:perf_hooks"
import * as v8 from "node:v8"
import * as vm from "node:vm"
import type { Client } from "./clients.js"
import type { Workload } from "./workloads.js"

/** What one or more batches measured. */
export interface Sample {
  readonly calls: number
  /** Latency of each call (µs), or of each block of calls for synchronous work. */
  readonly latenciesUs: Array<number>
  readonly wallUs: number
  /** User + system CPU time of this process (µs). */
  readonly cpuUs: number
}

/** The summary of a sample. */
export interface Stats {
  readonly calls: number
  readonly medianUs: number
  readonly p99Us: number
  readonly callsPerSecond: number
  readonly cpuUsPerCall: number
}

const cpuNow = () => {
  const { system, user } = process.cpuUsage()
  return user + system
}

/** The sample of `calls` calls whose timing started at `start` (wall, ms) and `cpuStart` (CPU, µs), ending now. */
const sampleSince = (calls: number, latenciesUs: Array<number>, start: number, cpuStart: number): Sample => ({
  calls,
  latenciesUs,
  wallUs: (performance.now() - start) * 1000,
  cpuUs: cpuNow() - cpuStart
})

/** Runs `calls` calls, `concurrency` at a time, timing each. */
export const batch = async (call: () => Promise<unknown>, calls: number, concurrency: number): Promise<Sample> => {
  const latenciesUs: Array<number> = []
  let started = 0
  const worker = async () => {
    while (started < calls) {
      started++
      const start = performance.now()
      await call()
      latenciesUs.push((performance.now() - start) * 1000)
    }
  }
  const cpuStart = cpuNow()
  const start = performance.now()
  await Promise.all(Array.from({ length: Math.min(concurrency, calls) }, worker))
  return sampleSince(calls, latenciesUs, start, cpuStart)
}

/**
 * Runs `calls` calls of an Effect as one Effect program, `Effect.forEach(…, { concurrency, discard: true })`, run once
 * with `run` (the client's `runtime.runPromise`), timing each call.
 */
export const batchProgram = async (
  run: <A, E>(effect: Effect.Effect<A, E>) => Promise<A>,
  call: Effect.Effect<unknown, unknown>,
  calls: number,
  concurrency: number
): Promise<Sample> => {
  const latenciesUs: Array<number> = []
  const timed = Effect.suspend(() => {
    const start = performance.now()
    return Effect.map(call, () => void latenciesUs.push((performance.now() - start) * 1000))
  })
  const program = Effect.forEach(Array.from({ length: calls }), () => timed, { concurrency, discard: true })
  const cpuStart = cpuNow()
  const start = performance.now()
  await run(program)
  return sampleSince(calls, latenciesUs, start, cpuStart)
}

/** How a client runs a batch of a workload's calls, if it makes them. */
export const runnerOf = (client: Client, workload: Workload): ((calls: number) => Promise<Sample>) | undefined => {
  if (workload.mode === "program") {
    const program = client.program
    const effect = program?.effects[workload.operation]
    return program === null || effect === undefined
      ? undefined
      : (calls) => batchProgram(program.run, effect, calls, workload.concurrency)
  }
  const call = client.calls[workload.operation]
  return call === undefined ? undefined : (calls) => batch(call, calls, workload.concurrency)
}

/** Runs a synchronous operation `blocks` × `perBlock` times, timing each block; latencies are per operation. */
export const batchSync = (operation: () => unknown, blocks: number, perBlock: number): Sample => {
  const latenciesUs: Array<number> = []
  const cpuStart = cpuNow()
  const start = performance.now()
  for (let block = 0; block < blocks; block++) {
    const blockStart = performance.now()
    for (let i = 0; i < perBlock; i++) operation()
    latenciesUs.push((performance.now() - blockStart) * 1000 / perBlock)
  }
  return sampleSince(blocks * perBlock, latenciesUs, start, cpuStart)
}

/** Several samples of the same thing as one. */
export const merge = (samples: ReadonlyArray<Sample>): Sample => ({
  calls: samples.reduce((sum, sample) => sum + sample.calls, 0),
  latenciesUs: samples.flatMap((sample) => sample.latenciesUs),
  wallUs: samples.reduce((sum, sample) => sum + sample.wallUs, 0),
  cpuUs: samples.reduce((sum, sample) => sum + sample.cpuUs, 0)
})

const quantile = (sorted: ReadonlyArray<number>, q: number): number =>
  sorted.length === 0 ? Number.NaN : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!

/** Median and p99 latency, throughput and CPU per call. */
export const stats = (sample: Sample): Stats => {
  const sorted = [...sample.latenciesUs].sort((a, b) => a - b)
  return {
    calls: sample.calls,
    medianUs: quantile(sorted, 0.5),
    p99Us: quantile(sorted, 0.99),
    callsPerSecond: sample.calls / (sample.wallUs / 1e6),
    cpuUsPerCall: sample.cpuUs / sample.calls
  }
}

v8.setFlagsFromString("--expose-gc")

/** A full garbage collection, so that one batch's garbage is not collected during the next. */
export const gc: () => void = vm.runInNewContext("gc")
