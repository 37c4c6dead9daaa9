/**
 * The results: ratios, the targets, the printed tables and the JSON written to `results/latest.json`.
 */
import type { Kind, Transport } from "./clients.js"
import type { DecodeName } from "./decode.js"
import type { Stats } from "./measure.js"
import type { Growth } from "./memory.js"
import type { Mode, Operation, WorkloadName } from "./workloads.js"

/** One client on one workload; `stats` is `null` when ours lacks the operation (an older build). */
export interface Row {
  readonly client: string
  readonly kind: Kind
  readonly transport: Transport | null
  readonly stats: Stats | null
  /** Streaming: what the client reads, the events or only the body's bytes. */
  readonly reads?: "events" | "bytes"
}

/** One HTTP workload: a row per client that makes its calls. */
export interface HttpResult {
  readonly workload: WorkloadName
  readonly operation: Operation
  readonly mode: Mode
  readonly description: string
  readonly concurrency: number
  /** The workload whose baseline rows (undici, fetch, SDK) the ratios use: this one, or its promise twin. */
  readonly baselines: WorkloadName
  readonly rows: ReadonlyArray<Row>
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
  /** `"max"`: the measure must be at most the limit; `"min"`: at least. */
  readonly bound: "max" | "min"
  readonly pass: boolean
}

/** Everything one run measured. */
export interface Results {
  readonly date: string
  readonly node: string
  readonly cpus: number
  readonly loadAverage: ReadonlyArray<number>
  readonly quick: boolean
  readonly rounds: number
  readonly runsModule: string
  /** Events a client gives for the streamed run (the final `done` aside). */
  readonly streamEvents: number
  /** The transport whose `alone` row spent the least CPU per sequential getRun: the targets and memory use it. */
  readonly fastestTransport: Transport
  readonly http: ReadonlyArray<HttpResult>
  readonly decode: ReadonlyArray<DecodeResult>
  readonly memory: ReadonlyArray<Growth>
  readonly targets: ReadonlyArray<Target>
}

/** Time per call: the median latency of sequential calls, the wall time per call of concurrent ones. */
const timePerCall = (result: HttpResult, stats: Stats) =>
  result.concurrency === 1 ? stats.medianUs : 1e6 / stats.callsPerSecond

const byName = (http: ReadonlyArray<HttpResult>, workload: WorkloadName) =>
  http.find((result) => result.workload === workload)

const rowOf = (result: HttpResult | undefined, client: string) =>
  result?.rows.find((row) => row.client === client && row.stats !== null)

/**
 * The measured row of that kind over the same transport as `row`: `"alone"`, the transport alone under an Effect row;
 * `"ours"`, the default row of ours under an option row.
 */
const sameTransport = (kind: "alone" | "ours", result: HttpResult, row: Row) =>
  result.rows.find((other) => other.kind === kind && other.transport === row.transport && other.stats !== null)

const divide = (result: HttpResult, row: Row | undefined, base: HttpResult | undefined, baseRow: Row | undefined) =>
  row?.stats == null || base === undefined || baseRow?.stats == null
    ? null
    : timePerCall(result, row.stats) / timePerCall(base, baseRow.stats)

const cpuDivide = (row: Row | undefined, baseRow: Row | undefined) =>
  row?.stats == null || baseRow?.stats == null ? null : row.stats.cpuUsPerCall / baseRow.stats.cpuUsPerCall

/** An Effect row's time per call ÷ its transport alone's, same workload. */
export const aloneRatio = (result: HttpResult, row: Row): number | null =>
  row.kind === "ours" || row.kind === "option" ? divide(result, row, result, sameTransport("alone", result, row)) : null

/** A row's time per call ÷ a baseline's (undici, fetch, SDK), taken from the workload's baselines. */
export const baselineRatio = (
  http: ReadonlyArray<HttpResult>,
  result: HttpResult,
  row: Row,
  baseline: string
): number | null => {
  const base = byName(http, result.baselines)
  return row.kind === "baseline" ? null : divide(result, row, base, rowOf(base, baseline))
}

/**
 * The transport whose `alone` row spent the least CPU per sequential getRun. On loopback a call is CPU-bound, so
 * this is the fastest transport, and CPU time is steadier than wall time on a shared machine.
 */
export const fastestTransport = (http: ReadonlyArray<HttpResult>, fallback: Transport): Transport => {
  const alone = (byName(http, "getRun")?.rows ?? []).filter((row) => row.kind === "alone" && row.stats !== null)
  const fastest = alone.sort((a, b) => a.stats!.cpuUsPerCall - b.stats!.cpuUsPerCall)[0]
  return fastest?.transport ?? fallback
}

const decodeRatio = (result: DecodeResult, operation: DecodeName) => {
  const median = (name: DecodeName) => result.operations.find((entry) => entry.operation === name)?.stats.medianUs
  return (median(operation) ?? Number.NaN) / (median("JSON.parse") ?? Number.NaN)
}

/** A target whose measure must be at most (`"max"`) or at least (`"min"`) its limit. */
const bounded = (bound: Target["bound"]) => (target: string, measured: number | null, limit: number): Target => ({
  target,
  measured: measured ?? Number.NaN,
  limit,
  bound,
  pass: measured !== null && (bound === "max" ? measured <= limit : measured >= limit)
})

const atMost = bounded("max")
const atLeast = bounded("min")

/** The transports of the run, in report order. */
const transportsOf = (http: ReadonlyArray<HttpResult>): ReadonlyArray<Transport> => [
  ...new Set(http.flatMap((result) => result.rows.flatMap((row) => (row.kind === "alone" ? [row.transport!] : []))))
]

/**
 * The targets: our own cost over each transport, then ours over the fastest transport against the SDK and
 * raw undici, decoding, and memory.
 */
export const targets = (
  http: ReadonlyArray<HttpResult>,
  decode: ReadonlyArray<DecodeResult>,
  memory: ReadonlyArray<Growth>,
  fastest: Transport
): ReadonlyArray<Target> => {
  const ownCost = (workload: WorkloadName, transport: Transport) => {
    const result = byName(http, workload)
    const row = rowOf(result, `ours over ${transport}`)
    return result === undefined || row === undefined ? null : aloneRatio(result, row)
  }
  const vs = (workload: WorkloadName, baseline: string) => {
    const result = byName(http, workload)
    const row = rowOf(result, `ours over ${fastest}`)
    return result === undefined || row === undefined ? null : baselineRatio(http, result, row, baseline)
  }
  const throughput = (workload: WorkloadName) => {
    const ratio = vs(workload, "openai SDK")
    return ratio === null ? null : 1 / ratio
  }
  const decodes = decode.filter((result) => !result.workload.startsWith("decode SSE")).map((result) =>
    atMost(`${result.workload}, decode (library) ÷ JSON.parse`, decodeRatio(result, "decode (library)"), 4)
  )
  return [
    ...transportsOf(http).flatMap((transport) => [
      atMost(`getRun, ours over ${transport} ÷ ${transport} alone`, ownCost("getRun", transport), 1.15),
      atMost(
        `getRun c64 program, ours over ${transport} ÷ ${transport} alone`,
        ownCost("getRun c64 program", transport),
        1.3
      )
    ]),
    atMost(`getRun, ours over ${fastest}: time/call ÷ SDK's`, vs("getRun", "openai SDK"), 0.8),
    atMost(`getRun, ours over ${fastest}: time/call ÷ undici.request's`, vs("getRun", "undici"), 2),
    atLeast(`getRun c64 program, ours over ${fastest}: calls/s ÷ SDK's`, throughput("getRun c64 program"), 1.5),
    atLeast(`getRun c64 (runPromise per call), ours over ${fastest}: calls/s ÷ SDK's`, throughput("getRun c64"), 1.5),
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

const isStream = (result: HttpResult) => result.operation === "stream"

const httpTable = (http: ReadonlyArray<HttpResult>) =>
  table(
    ["workload", "client", "median µs", "p99 µs", "calls/s", "CPU µs/call", "÷alone", "÷undici", "÷SDK"],
    http.filter((result) => !isStream(result)).flatMap((result) =>
      result.rows.map((row) =>
        row.stats === null
          ? [result.workload, row.client, "skipped: not in this build", "", "", "", "", "", ""]
          : [
            result.workload,
            row.client,
            us(row.stats.medianUs),
            us(row.stats.p99Us),
            row.stats.callsPerSecond.toFixed(0),
            us(row.stats.cpuUsPerCall),
            times(aloneRatio(result, row)),
            times(baselineRatio(http, result, row, "undici")),
            times(baselineRatio(http, result, row, "openai SDK"))
          ]
      )
    )
  )

const shareTable = (http: ReadonlyArray<HttpResult>) => {
  const transports = transportsOf(http)
  return table(
    ["workload", ...transports.flatMap((transport) => [`${transport} time`, "CPU"])],
    http.map((result) => [
      result.workload,
      ...transports.flatMap((transport) => {
        const row = rowOf(result, `ours over ${transport}`)
        return row === undefined
          ? ["", ""]
          : [times(aloneRatio(result, row)), times(cpuDivide(row, sameTransport("alone", result, row)))]
      })
    ]),
    1
  )
}

const optionsTransportOf = (http: ReadonlyArray<HttpResult>) =>
  http.flatMap((result) => result.rows).find((row) => row.kind === "option")?.transport ?? "(none)"

const optionsTable = (http: ReadonlyArray<HttpResult>) =>
  table(
    ["workload", "client", "µs/call", "÷default", "CPU µs/call", "CPU Δ µs/call"],
    http.flatMap((result) => {
      const options = result.rows.filter((row) => row.kind === "option" && row.stats !== null)
      const base = options[0] && sameTransport("ours", result, options[0])
      if (base === undefined) return []
      return [base, ...options].map((row) => [
        result.workload,
        row.client,
        us(timePerCall(result, row.stats!)),
        row === base ? "" : times(divide(result, row, result, base)),
        us(row.stats!.cpuUsPerCall),
        row === base ? "" : (row.stats!.cpuUsPerCall - base.stats!.cpuUsPerCall).toFixed(1)
      ])
    })
  )

const streamTable = (http: ReadonlyArray<HttpResult>, events: number) =>
  table(
    ["client", "reads", "events/s", "median ms", "p99 ms", "CPU µs/event", "÷alone", "÷undici", "÷SDK"],
    http.filter(isStream).flatMap((result) =>
      result.rows.map((row) =>
        row.stats === null ?
          [row.client, "skipped: not in this build", "", "", "", "", "", "", ""] :
          [
            row.client,
            row.reads ?? "",
            (row.stats.callsPerSecond * events).toFixed(0),
            (row.stats.medianUs / 1000).toFixed(2),
            (row.stats.p99Us / 1000).toFixed(2),
            (row.stats.cpuUsPerCall / events).toFixed(2),
            times(aloneRatio(result, row)),
            times(baselineRatio(http, result, row, "undici")),
            times(baselineRatio(http, result, row, "openai SDK"))
          ]
      )
    ),
    1
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
      `${target.bound === "max" ? "≤" : "≥"} ${target.limit.toFixed(2)}`,
      target.pass ? "PASS" : "FAIL"
    ]),
    1
  )

/** The results as the printed report. */
export const format = (results: Results): string =>
  [
    `Node ${results.node}, ${results.cpus} CPUs, load average ${
      results.loadAverage.map((load) => load.toFixed(1)).join(" ")
    }, ` +
    `${results.rounds} rounds${results.quick ? " (--quick)" : ""}, client module ${results.runsModule}`,
    "",
    "HTTP workloads. Time per call is the median for sequential workloads, wall time ÷ calls for concurrent ones.",
    "÷alone: ours over a transport ÷ that transport alone; ÷undici, ÷SDK: ÷ raw undici.request's, the SDK's (for the",
    "c64 program rows, their getRun c64 rows).",
    "",
    httpTable(results.http),
    "",
    "Our own share: ours over each transport ÷ the transport alone, time per call and CPU per call (for the stream,",
    "the transport alone reads bytes: the share includes parsing and decoding the events)",
    "",
    shareTable(results.http),
    "",
    `Options, over ${optionsTransportOf(results.http)}: the default, propagateTrace: false, and Debug logging to a ` +
    "logger that drops it (CPU Δ: the option's CPU per call − the default's)",
    "",
    optionsTable(results.http),
    "",
    `Streaming: createRun with stream: true, ${results.streamEvents} events read to the end, one stream at a time`,
    "(ratios of time per stream; the SDK's is runs.stream, its AssistantStream)",
    "",
    streamTable(results.http, results.streamEvents),
    "",
    "Decoding alone (per body)",
    "",
    decodeTable(results.decode),
    "",
    `Memory (sequential getRun calls over the fastest transport, ${results.fastestTransport}, after a full GC)`,
    "",
    memoryTable(results.memory),
    "",
    `Targets (the fastest transport: ${results.fastestTransport}, the least CPU per sequential getRun alone)`,
    "",
    targetTable(results.targets)
  ].join("\n")

const round = (_key: string, value: unknown) =>
  typeof value === "number" && !Number.isInteger(value) ? Math.round(value * 100) / 100 : value

/** The results as JSON, numbers rounded to two decimals. */
export const toJson = (results: Results): string => JSON.stringify(results, round, 2) + "\n"
