/**
 * `pnpm bench [--quick]`: every client on every workload against a local server in a child process, in interleaved
 * rounds; then decoding alone and memory growth. Prints the tables and writes `results/latest.json`
 * (`results/latest-quick.json` with `--quick`). `BENCH_RUNS_MODULE=/path/to/index.js` measures a patched copy of our
 * client instead of `@effect-openai/runs`.
 */
import * as fs from "node:fs"
import * as os from "node:os"
import * as Clients from "./clients.js"
import * as Decode from "./decode.js"
import * as Fixtures from "./fixtures.js"
import { gc, merge, runnerOf, type Sample, stats } from "./measure.js"
import * as Memory from "./memory.js"
import * as Report from "./report.js"
import * as ServerProcess from "./serverProcess.js"
import { workloads } from "./workloads.js"

const quick = process.argv.includes("--quick")
const rounds = quick ? 2 : 3
const scale = quick ? 0.1 : 1
const memoryCalls = quick ? { early: 1_000, total: 10_000 } : { early: 1_000, total: 100_000 }
const runsModule = process.env.BENCH_RUNS_MODULE ?? "@effect-openai/runs"

const started = performance.now()

/** A progress line, with the seconds elapsed and the CPU seconds this process spent so far. */
const log = (message: string) => {
  const { system, user } = process.cpuUsage()
  const elapsed = (performance.now() - started) / 1000
  process.stderr.write(`[${elapsed.toFixed(0)} s, CPU ${((user + system) / 1e6).toFixed(0)} s] ${message}\n`)
}
const sized = (calls: number) => Math.max(1, Math.round(calls * scale))

/** Each round starts with another client, so that drift does not always hit the same one. */
const rotate = <A>(items: ReadonlyArray<A>, by: number): ReadonlyArray<A> => [
  ...items.slice(by % items.length),
  ...items.slice(0, by % items.length)
]

/**
 * Checks that every client gets the run, and reads the whole stream: its every byte, or every event but `done`.
 * Gives what each client's stream read counts.
 */
const verify = async (clients: ReadonlyArray<Clients.Client>): Promise<Map<string, "events" | "bytes">> => {
  const reads = new Map<string, "events" | "bytes">()
  for (const client of clients) {
    if (client.calls.getRun !== undefined) {
      const run = (await client.calls.getRun()) as { readonly id?: unknown }
      if (run.id !== "run_abc123") throw new Error(`${client.name}: getRun answered ${JSON.stringify(run)}`)
    }
    if (client.calls.stream !== undefined) {
      const read = (await client.calls.stream()) as Clients.StreamRead
      const whole = read.unit === "bytes"
        ? read.count === Fixtures.longStream.length
        : read.count === Fixtures.longStreamEvents
      if (!whole) throw new Error(`${client.name}: the stream read ${read.count} ${read.unit}, not all of it`)
      reads.set(client.name, read.unit)
    }
  }
  return reads
}

const measureHttp = async (clients: ReadonlyArray<Clients.Client>): Promise<ReadonlyArray<Report.HttpResult>> => {
  const reads = await verify(clients)
  for (const workload of workloads) {
    log(`warm-up: ${workload.name}`)
    for (const client of clients) await runnerOf(client, workload)?.(sized(workload.warmup))
  }
  const samples = new Map<string, Array<Sample>>()
  for (let round = 0; round < rounds; round++) {
    for (const workload of workloads) {
      log(`round ${round + 1}/${rounds}: ${workload.name}`)
      for (const client of rotate(clients, round)) {
        const run = runnerOf(client, workload)
        if (run === undefined) continue
        gc()
        const key = `${workload.name}/${client.name}`
        samples.set(key, [...(samples.get(key) ?? []), await run(sized(workload.calls))])
      }
    }
  }
  return workloads.map((workload) => ({
    workload: workload.name,
    operation: workload.operation,
    mode: workload.mode,
    description: workload.description,
    concurrency: workload.concurrency,
    baselines: workload.baselines ?? workload.name,
    rows: clients.filter((client) => runnerOf(client, workload) !== undefined || client.kind === "ours").map(
      (client): Report.Row => {
        const measured = samples.get(`${workload.name}/${client.name}`)
        const unit = workload.operation === "stream" ? reads.get(client.name) : undefined
        return {
          client: client.name,
          kind: client.kind,
          transport: client.transport,
          stats: measured === undefined ? null : stats(merge(measured)),
          ...(unit === undefined ? {} : { reads: unit })
        }
      }
    )
  }))
}

const measureDecode = async (module: Clients.RunsModule): Promise<ReadonlyArray<Report.DecodeResult>> =>
  (await Decode.workloads(module, runsModule)).map((workload) => {
    log(workload.name)
    return {
      workload: workload.name,
      operations: Decode.measure(workload, rounds, sized(workload.blocks)).map(([operation, sample]) => ({
        operation,
        stats: stats(sample)
      }))
    }
  })

/** Memory growth of ours over a transport, with a fresh client. */
const measureMemory = async (
  module: Clients.RunsModule,
  transport: Clients.Transport,
  apiUrl: string
): Promise<ReadonlyArray<Memory.Growth>> => {
  const client = await Clients.oursOver(module, transport, apiUrl)
  log(`memory: ${client.name}, ${memoryCalls.total} calls`)
  const growth = await Memory.growth(client, memoryCalls.early, memoryCalls.total)
  await client.close()
  return [growth]
}

const main = async () => {
  const module: Clients.RunsModule = await import(runsModule)
  const server = await ServerProcess.start()
  try {
    const clients = await Clients.makeAll(module, server.apiUrl)
    const http = await measureHttp(clients)
    await Promise.all(clients.map((client) => client.close()))
    const decode = await measureDecode(module)
    const fastestTransport = Report.fastestTransport(http, Clients.optionsTransport)
    const memory = await measureMemory(module, fastestTransport, server.apiUrl)
    const results: Report.Results = {
      date: new Date().toISOString(),
      node: process.version,
      cpus: os.availableParallelism(),
      loadAverage: os.loadavg(),
      quick,
      rounds,
      runsModule,
      streamEvents: Fixtures.longStreamEvents,
      fastestTransport,
      http,
      decode,
      memory,
      targets: Report.targets(http, decode, memory, fastestTransport)
    }
    const output = new URL(quick ? "../results/latest-quick.json" : "../results/latest.json", import.meta.url)
    fs.mkdirSync(new URL(".", output), { recursive: true })
    fs.writeFileSync(output, Report.toJson(results))
    process.stdout.write(`${Report.format(results)}\n`)
    log(`wrote ${output.pathname}`)
  } finally {
    server.stop()
  }
}

await main()
