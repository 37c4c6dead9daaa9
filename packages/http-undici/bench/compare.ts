/**
 * `npx tsx packages/http-undici/bench/compare.ts [--quick] [--only=TEXT]`
 *
 * µs per call of a GET whose ~2 KB JSON body is decoded, from a loopback server in a child process (`server.ts`),
 * one call at a time and 64 in flight, for:
 *
 * - raw `undici.request` + `JSON.parse` (the floor);
 * - `@effect/platform`'s `HttpClient` over `NodeHttpClient.layerUndici`, `get` + `json`;
 * - the same over `FetchHttpClient.layer`;
 * - the same over `UndiciHttpClient.layer()`.
 *
 * The Effect clients have their tracer disabled (`HttpClient.withTracerDisabledWhen(() => true)`), and run each batch
 * as one Effect program (`Effect.forEach`, with `{ concurrency: 64 }` for the batch in flight). Rounds are interleaved
 * and each starts with another client; the median round is reported, with its ratio to raw undici, and the CPU this
 * process spent per call. `--only=TEXT` measures raw undici and the clients whose name contains TEXT (e.g. under
 * `node --cpu-prof --import tsx`: the server's child process is not profiled).
 */
import { FetchHttpClient, HttpClient } from "@effect/platform"
import { NodeHttpClient } from "@effect/platform-node"
import { Effect, type Layer, ManagedRuntime } from "effect"
import * as ChildProcess from "node:child_process"
import { performance } from "node:perf_hooks"
import * as v8 from "node:v8"
import * as vm from "node:vm"
import * as Undici from "undici"
import { UndiciHttpClient } from "../src/index.js"

const quick = process.argv.includes("--quick")
const rounds = quick ? 3 : 7
const sequentialCalls = quick ? 500 : 2_000
const concurrentCalls = quick ? 2_000 : 10_000
const inFlight = 64
const only = process.argv.find((arg) => arg.startsWith("--only="))?.slice("--only=".length)

/** A client under measurement: it runs a batch of calls one at a time, or `inFlight` at a time. */
interface Contender {
  readonly name: string
  readonly sequential: (calls: number) => Promise<void>
  readonly concurrent: (calls: number) => Promise<void>
  readonly close: () => Promise<void>
}

const rawUndici = (url: string): Contender => {
  const agent = new Undici.Agent()
  const call = async () => {
    const { body } = await Undici.request(url, { dispatcher: agent })
    JSON.parse(await body.text())
  }
  return {
    name: "undici.request + JSON.parse",
    sequential: async (calls) => {
      for (let i = 0; i < calls; i++) await call()
    },
    concurrent: async (calls) => {
      let started = 0
      const worker = async () => {
        while (started < calls) {
          started++
          await call()
        }
      }
      await Promise.all(Array.from({ length: inFlight }, worker))
    },
    close: () => agent.close()
  }
}

const effectClient = async (
  name: string,
  layer: Layer.Layer<HttpClient.HttpClient>,
  url: string
): Promise<Contender> => {
  const runtime = ManagedRuntime.make(layer)
  const client = HttpClient.withTracerDisabledWhen(await runtime.runPromise(HttpClient.HttpClient), () => true)
  const call = Effect.flatMap(Effect.suspend(() => client.get(url)), (response) => response.json)
  const batch = (calls: number, concurrency: number) =>
    runtime.runPromise(Effect.forEach(Array.from({ length: calls }), () => call, { concurrency, discard: true }))
  return {
    name,
    sequential: (calls) => batch(calls, 1),
    concurrent: (calls) => batch(calls, inFlight),
    close: () => runtime.dispose()
  }
}

/** Profiling flags stay with this process: the server's work is not what is measured. */
const serverFlags = (flags: ReadonlyArray<string>): Array<string> =>
  flags.filter((flag, i) =>
    !/^--(cpu|heap)-prof/.test(flag) && !/^--(cpu|heap)-prof-(dir|name)$/.test(flags[i - 1] ?? "")
  )

const startServer = (): Promise<{ readonly url: string; readonly bytes: number; readonly stop: () => void }> =>
  new Promise((resolve, reject) => {
    const child = ChildProcess.fork(new URL("./server.ts", import.meta.url), {
      execArgv: serverFlags(process.execArgv),
      stdio: ["ignore", "inherit", "inherit", "ipc"]
    })
    child.once("error", reject)
    child.once("message", (message: { readonly port: number; readonly bytes: number }) =>
      resolve({
        url: `http://127.0.0.1:${message.port}/v1/threads/thread_abc123/runs/run_abc123`,
        bytes: message.bytes,
        stop: () => child.disconnect()
      }))
  })

v8.setFlagsFromString("--expose-gc")
const gc: () => void = vm.runInNewContext("gc")

interface Sample {
  readonly wallUs: number
  readonly cpuUs: number
}

const measure = async (calls: number, run: (calls: number) => Promise<void>): Promise<Sample> => {
  gc()
  const cpu = process.cpuUsage()
  const start = performance.now()
  await run(calls)
  const wallUs = (performance.now() - start) * 1000 / calls
  const { system, user } = process.cpuUsage(cpu)
  return { wallUs, cpuUs: (system + user) / calls }
}

const median = (values: ReadonlyArray<number>): number => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]!
}

const main = async () => {
  const server = await startServer()
  const clients: ReadonlyArray<readonly [string, Layer.Layer<HttpClient.HttpClient>]> = [
    ["HttpClient over NodeHttpClient.layerUndici", NodeHttpClient.layerUndici],
    ["HttpClient over FetchHttpClient.layer", FetchHttpClient.layer],
    ["HttpClient over UndiciHttpClient.layer()", UndiciHttpClient.layer()]
  ]
  const contenders = [rawUndici(server.url)]
  for (const [name, layer] of clients) {
    if (only === undefined || name.includes(only)) contenders.push(await effectClient(name, layer, server.url))
  }
  for (const contender of contenders) {
    await contender.sequential(sequentialCalls / 4)
    await contender.concurrent(concurrentCalls / 4)
  }
  const samples = new Map(
    contenders.map((contender) => [contender, { sequential: [] as Array<Sample>, concurrent: [] as Array<Sample> }])
  )
  for (let round = 0; round < rounds; round++) {
    process.stderr.write(`round ${round + 1}/${rounds}\n`)
    for (let i = 0; i < contenders.length; i++) {
      const contender = contenders[(i + round) % contenders.length]!
      const sample = samples.get(contender)!
      sample.sequential.push(await measure(sequentialCalls, contender.sequential))
      sample.concurrent.push(await measure(concurrentCalls, contender.concurrent))
    }
  }
  for (const contender of contenders) await contender.close()
  server.stop()

  const summary = contenders.map((contender) => {
    const { concurrent, sequential } = samples.get(contender)!
    return {
      name: contender.name,
      sequential: median(sequential.map((sample) => sample.wallUs)),
      concurrent: median(concurrent.map((sample) => sample.wallUs)),
      cpu: median(concurrent.map((sample) => sample.cpuUs))
    }
  })
  const floor = summary[0]!
  const us = (value: number) => value.toFixed(0).padStart(5)
  const ratio = (value: number, base: number) => `${(value / base).toFixed(2)}×`.padStart(6)
  console.log(
    `GET + JSON decode of a ${server.bytes}-byte body, µs per call (median of ${rounds} interleaved rounds; ` +
      `${sequentialCalls} sequential calls, ${concurrentCalls} calls ${inFlight} in flight per round), node ${process.version}\n`
  )
  console.log("| client | sequential | vs raw | 64 in flight | vs raw | CPU µs/call (64 in flight) |")
  console.log("|---|---:|---:|---:|---:|---:|")
  for (const row of summary) {
    console.log(
      `| ${row.name} | ${us(row.sequential)} | ${ratio(row.sequential, floor.sequential)} | ${us(row.concurrent)} | ` +
        `${ratio(row.concurrent, floor.concurrent)} | ${us(row.cpu)} |`
    )
  }
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})
