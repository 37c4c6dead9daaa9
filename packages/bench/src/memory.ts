/**
 * Whether a client keeps memory per call: heap and RSS after a few sequential getRun calls against after many.
 */
import type { Client } from "./clients.js"
import { gc } from "./measure.js"

/** Heap and RSS (MB) after a full collection. */
export interface Usage {
  readonly calls: number
  readonly heapMb: number
  readonly rssMb: number
}

/** The usage after `early` calls and after `total` calls, and the heap growth between them. */
export interface Growth {
  readonly client: string
  readonly early: Usage
  readonly late: Usage
  readonly heapGrowthMb: number
}

const usage = (calls: number): Usage => {
  gc()
  gc()
  const { heapUsed, rss } = process.memoryUsage()
  return { calls, heapMb: heapUsed / 2 ** 20, rssMb: rss / 2 ** 20 }
}

/** Makes `total` sequential getRun calls with a fresh client, reading the usage after `early` and after all. */
export const growth = async (client: Client, early: number, total: number): Promise<Growth> => {
  const getRun = client.calls.getRun!
  for (let i = 0; i < early; i++) await getRun()
  const first = usage(early)
  for (let i = early; i < total; i++) await getRun()
  const last = usage(total)
  return { client: client.name, early: first, late: last, heapGrowthMb: last.heapMb - first.heapMb }
}
