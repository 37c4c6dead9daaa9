/**
 * The results: ratios, the targets, the printed tables and the JSON written to `results/latest.json`.
 */
import type { ClientName } from "./clients.js"
import type { DecodeName } from "./decode.js"
import type { Stats } from "./measure.js"
import type { Growth } from "./memory.js"

/** One HTTP workload: the stats of each client, `null` where the client lacks the workload. */
export interface HttpResult {
  readonly workload: string
  readonly description: string
  readonly concurrency: number
  readonly clients: ReadonlyArray<{ readonly client: ClientName; readonly stats: Stats | null }>
}

/** One decoding workload: the stats of each operation, per decoded body. */
export interface DecodeResult {
  readonly workload: string
  readonly operations: ReadonlyArray<{ readonly operation: DecodeName; readonly stats: Stats }>
}

/** A target of the issue, judged on this run. */
export interface Target {
  readonly target: string
  readonly measured: number
  readonly limit: number
  readonly pass: boolean
}

/** Everything one run measured. */
export interface Results {
  readonly date: string
  readonly node: string
  readonly cpus: number
  readonly quick: boolean
  readonly rounds: number
  readonly runsModule: string
  readonly http: ReadonlyArray<HttpResult>
  readonly decode: ReadonlyArray<DecodeResult>
  readonly memory: ReadonlyArray<Growth>
  readonly targets: ReadonlyArray<Target>
}

const baselines: ReadonlyArray<ClientName> = ["undici", "fetch", "openai SDK"]
const ours: ReadonlyArray<ClientName> = ["ours (fetch)", "ours (undici)"]

/** Time per call: the median latency of sequential calls, the wall time per call of concurrent ones. */
const timePerCall = (result: HttpResult, stats: Stats) =>
  result.concurrency === 1 ? stats.medianUs : 1e6 / stats.callsPerSecond

const statsOf = (result: HttpResult | undefined, client: ClientName) =>
  result?.clients.find((entry) => entry.client === client)?.stats ?? null

/** Our time per call over a baseline's, `null` when either is missing. */
export const ratio = (result: HttpResult, client: ClientName, baseline: ClientName): number | null => {
  const mine = statsOf(result, client)
  const theirs = statsOf(result, baseline)
  return mine === null || theirs === null ? null : timePerCall(result, mine) / timePerCall(result, theirs)
}

const decodeRatio = (result: DecodeResult, operation: DecodeName) => {
  const median = (name: DecodeName) => result.operations.find((entry) => entry.operation === name)?.stats.medianUs
  return (median(operation) ?? Number.NaN) / (median("JSON.parse") ?? Number.NaN)
}

const atMost = (target: string, measured: number, limit: number): Target => ({
  target,
  measured,
  limit,
  pass: measured <= limit
})

/** The targets, judged on our client over undici (and over fetch where it is cheap to show). */
export const targets = (
  http: ReadonlyArray<HttpResult>,
  decode: ReadonlyArray<DecodeResult>,
  memory: ReadonlyArray<Growth>
): ReadonlyArray<Target> => {
  const sequential = http.find((result) => result.workload === "getRun")
  const concurrent = http.find((result) => result.workload === "getRun c64")
  const sequentialRatio = (baseline: ClientName) =>
    (sequential && ratio(sequential, "ours (undici)", baseline)) ?? Number.NaN
  const throughput = (client: ClientName): Target => {
    const measured = (statsOf(concurrent, client)?.callsPerSecond ?? Number.NaN) /
      (statsOf(concurrent, "openai SDK")?.callsPerSecond ?? Number.NaN)
    return { target: `getRun c64, ${client}: calls/s ÷ SDK's (at least)`, measured, limit: 1.5, pass: measured >= 1.5 }
  }
  const decodes = decode.filter((result) => !result.workload.startsWith("decode SSE")).flatMap((result) =>
    (["decode (library)"] as const).map((operation) =>
      atMost(`${result.workload}, ${operation} ÷ JSON.parse`, decodeRatio(result, operation), 4)
    )
  )
  return [
    atMost("getRun, ours (undici): time/call ÷ SDK's", sequentialRatio("openai SDK"), 0.6),
    atMost("getRun, ours (undici): time/call ÷ undici.request's", sequentialRatio("undici"), 2),
    throughput("ours (undici)"),
    throughput("ours (fetch)"),
    ...decodes,
    ...memory.map((growth) =>
      atMost(
        `heap growth ${growth.early.calls} → ${growth.late.calls} calls, ${growth.client} (MB)`,
        growth.heapGrowthMb,
        10
      )
    )
  ]
}

const us = (value: number) => (value < 100 ? value.toFixed(1) : value.toFixed(0))
const times = (value: number | null) => (value === null || Number.isNaN(value) ? "" : `${value.toFixed(2)}×`)

/** A plain-text table; the first `left` columns are left-aligned, the others (numbers) right-aligned. */
const table = (header: ReadonlyArray<string>, rows: ReadonlyArray<ReadonlyArray<string>>, left = 2): string => {
  const widths = header.map((cell, i) => Math.max(cell.length, ...rows.map((row) => row[i]!.length)))
  const line = (row: ReadonlyArray<string>) =>
    row.map((cell, i) => (i < left ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join("  ")
  return [line(header), widths.map((width) => "-".repeat(width)).join("  "), ...rows.map(line)].join("\n")
}

const httpTable = (http: ReadonlyArray<HttpResult>) =>
  table(
    ["workload", "client", "median µs", "p99 µs", "calls/s", "CPU µs/call", "÷undici", "÷fetch", "÷SDK"],
    http.flatMap((result) =>
      result.clients.map(({ client, stats }) =>
        stats === null ? [result.workload, client, "skipped: not in this client", "", "", "", "", "", ""] : [
          result.workload,
          client,
          us(stats.medianUs),
          us(stats.p99Us),
          stats.callsPerSecond.toFixed(0),
          us(stats.cpuUsPerCall),
          ...baselines.map((baseline) => (ours.includes(client) ? times(ratio(result, client, baseline)) : ""))
        ]
      )
    )
  )

const decodeTable = (decode: ReadonlyArray<DecodeResult>) =>
  table(
    ["workload", "operation", "median µs", "p99 µs", "ops/s", "CPU µs/op", "÷JSON.parse"],
    decode.flatMap((result) =>
      result.operations.map(({ operation, stats }) => [
        result.workload,
        operation,
        us(stats.medianUs),
        us(stats.p99Us),
        stats.callsPerSecond.toFixed(0),
        us(stats.cpuUsPerCall),
        operation === "JSON.parse" ? "" : times(decodeRatio(result, operation))
      ])
    )
  )

const memoryTable = (memory: ReadonlyArray<Growth>) =>
  table(
    ["client", "calls", "heap MB", "RSS MB", "heap growth MB"],
    memory.flatMap((growth) => [
      [growth.client, String(growth.early.calls), growth.early.heapMb.toFixed(1), growth.early.rssMb.toFixed(1), ""],
      [
        growth.client,
        String(growth.late.calls),
        growth.late.heapMb.toFixed(1),
        growth.late.rssMb.toFixed(1),
        growth.heapGrowthMb.toFixed(2)
      ]
    ])
  )

const targetTable = (list: ReadonlyArray<Target>) =>
  table(
    ["target", "measured", "limit", "result"],
    list.map((target) => [
      target.target,
      target.measured.toFixed(2),
      target.limit.toFixed(2),
      target.pass ? "PASS" : "FAIL"
    ]),
    1
  )

/** The results as the printed report. */
export const format = (results: Results): string =>
  [
    `Node ${results.node}, ${results.cpus} CPUs, ${results.rounds} rounds${results.quick ? " (--quick)" : ""}, ` +
    `client module ${results.runsModule}`,
    "",
    "HTTP workloads (ratios: our time per call ÷ the baseline's; time per call is the median for sequential",
    "workloads, wall time ÷ calls for concurrent ones)",
    "",
    httpTable(results.http),
    "",
    "Decoding alone (per body)",
    "",
    decodeTable(results.decode),
    "",
    "Memory (sequential getRun calls, after a full GC)",
    "",
    memoryTable(results.memory),
    "",
    "Targets",
    "",
    targetTable(results.targets)
  ].join("\n")

const round = (_key: string, value: unknown) =>
  typeof value === "number" && !Number.isInteger(value) ? Math.round(value * 100) / 100 : value

/** The results as JSON, numbers rounded to two decimals. */
export const toJson = (results: Results): string => JSON.stringify(results, round, 2) + "\n"
