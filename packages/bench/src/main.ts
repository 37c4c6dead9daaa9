/**
 * `pnpm bench [--quick]`: every client on every workload against a local server in a child process, in interleaved
 * rounds; then decoding alone and memory growth. Prints the tables and writes `results/latest.json`
 * (`results/latest-quick.json` with `--quick`). `BENCH_RUNS_MODULE=/path/to/src/index.ts` measures a patched copy of
 * our client instead of `@effect-openai/runs`.
 */
import * as fs from "node:fs"
import * as os from "node:os"
import * as Clients from "./clients.js"
import * as Decode from "./decode.js"
import { batch, gc, merge, type Sample, stats } from "./measure.js"
import * as Memory from "./memory.js"
import * as Report from "./report.js"
import * as ServerProcess from "./serverProcess.js"
import { workloads } from "./workloads.js"

const quick = process.argv.includes("--quick")
const rounds = quick ? 2 : 4
const scale = quick ? 0.1 : 1
const memoryCalls = quick ? { early: 1_000, total: 10_000 } : { early: 1_000, total: 100_000 }
const runsModule = process.env.BENCH_RUNS_MODULE ?? "@effect-openai/runs"

const log = (message: string) => process.stderr.write(`${message}\n`)
const sized = (calls: number) => Math.max(1, Math.round(calls * scale))

/** Each round starts with another client, so that drift does not always hit the same one. */
const rotate = <A>(items: ReadonlyArray<A>, by: number): ReadonlyArray<A> => [
  ...items.slice(by % items.length),
  ...items.slice(0, by % items.length)
]

const measureHttp = async (clients: ReadonlyArray<Clients.Client>): Promise<ReadonlyArray<Report.HttpResult>> => {
  for (const workload of workloads) {
    for (const client of clients) {
      const call = client.calls[workload.name]
      if (call !== undefined) await batch(call, sized(workload.warmup), workload.concurrency)
    }
  }
  const samples = new Map<string, Array<Sample>>()
  for (let round = 0; round < rounds; round++) {
    log(`round ${round + 1}/${rounds}`)
    for (const workload of workloads) {
      for (const client of rotate(clients, round)) {
        const call = client.calls[workload.name]
        if (call === undefined) continue
        gc()
        const key = `${workload.name}/${client.name}`
        samples.set(key, [...(samples.get(key) ?? []), await batch(call, sized(workload.calls), workload.concurrency)])
      }
    }
  }
  return workloads.map((workload) => ({
    workload: workload.name,
    description: workload.description,
    concurrency: workload.concurrency,
    clients: clients.map((client) => {
      const measured = samples.get(`${workload.name}/${client.name}`)
      return { client: client.name, stats: measured === undefined ? null : stats(merge(measured)) }
    })
  }))
}

const measureDecode = async (module: Clients.RunsModule): Promise<ReadonlyArray<Report.DecodeResult>> =>
  (await Decode.workloads(module, runsModule)).map((workload) => {
    log(workload.name)
    return {
      workload: workload.name,
      operations: Decode.measure(workload, rounds, sized(500)).map(([operation, sample]) => ({
        operation,
        stats: stats(sample)
      }))
    }
  })

/** Memory growth of our default layer for Node, `NodeHttpClient.layerUndici`, with a fresh client. */
const measureMemory = async (module: Clients.RunsModule, apiUrl: string): Promise<ReadonlyArray<Memory.Growth>> => {
  const client = await Clients.oursUndici(module, apiUrl)
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
    const memory = await measureMemory(module, server.apiUrl)
    const results: Report.Results = {
      date: new Date().toISOString(),
      node: process.version,
      cpus: os.availableParallelism(),
      quick,
      rounds,
      runsModule,
      http,
      decode,
      memory,
      targets: Report.targets(http, decode, memory)
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
