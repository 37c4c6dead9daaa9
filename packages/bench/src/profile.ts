/**
 * One client on one workload, for a CPU profile of that alone: the client is built and warmed up first, then the V8
 * profiler (through `node:inspector`, in this process) samples only the measured calls. Neither start-up, module
 * loading, compilation nor the server (a child process) shows in the profile.
 *
 *   pnpm exec tsx --conditions=source packages/bench/src/profile.ts [options]
 *
 *   --client=NAME     a client of the benchmark (default "ours over UndiciHttpClient"; --list for all)
 *   --workload=NAME   a workload of the benchmark (default "getRun"; "getRun c64 program", "stream 2k events", …)
 *   --calls=N         calls to profile (default ten batches of the workload)
 *   --out=FILE        where to write the profile (default /tmp/bench-<client>-<workload>.cpuprofile)
 *   --rows=N          rows per section of the summary printed at the end (default 25; 0: none)
 *   --no-profile      time the calls without profiling (µs and CPU µs per call), e.g. to compare two builds
 *   --list            print the clients and workloads
 *
 * `BENCH_RUNS_MODULE` selects another build of our client, as for `main.ts`.
 */
import * as fs from "node:fs"
import { Session } from "node:inspector/promises"
import * as Clients from "./clients.js"
import * as CpuProfile from "./cpuprofile.js"
import { runnerOf, stats } from "./measure.js"
import * as ServerProcess from "./serverProcess.js"
import { workloads } from "./workloads.js"

const option = (name: string): string | undefined =>
  process.argv.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3)

const clientName = option("client") ?? "ours over UndiciHttpClient"
const workloadName = option("workload") ?? "getRun"
const rows = Number(option("rows") ?? 25)
const profiling = !process.argv.includes("--no-profile")
const slug = (text: string) => text.replace(/\W+/g, "-").replace(/^-|-$/g, "")
const output = option("out") ?? `/tmp/bench-${slug(clientName)}-${slug(workloadName)}.cpuprofile`

const profiled = async <A>(body: () => Promise<A>): Promise<readonly [A, CpuProfile.Profile]> => {
  const session = new Session()
  session.connect()
  await session.post("Profiler.enable")
  await session.post("Profiler.setSamplingInterval", { interval: 200 })
  await session.post("Profiler.start")
  const result = await body()
  const { profile } = await session.post("Profiler.stop")
  session.disconnect()
  return [result, profile as CpuProfile.Profile]
}

const main = async () => {
  if (process.argv.includes("--list")) {
    process.stdout.write(
      `clients:\n  ${Clients.names.join("\n  ")}\nworkloads:\n  ${
        workloads.map((workload) => `${workload.name}: ${workload.description}`).join("\n  ")
      }\n`
    )
    return
  }
  const workload = workloads.find((candidate) => candidate.name === workloadName)
  if (workload === undefined) throw new Error(`No workload "${workloadName}" (--list shows them)`)
  const calls = Number(option("calls") ?? workload.calls * 10)
  const module: Clients.RunsModule = await import(process.env.BENCH_RUNS_MODULE ?? "@effect-openai/runs")
  const server = await ServerProcess.start()
  try {
    const client = await Clients.make(module, clientName, server.apiUrl)
    const run = runnerOf(client, workload)
    if (run === undefined) throw new Error(`${clientName} does not make the calls of ${workloadName}`)
    await run(workload.warmup)
    const measured = () => run(calls)
    const [sample, profile] = profiling ? await profiled(measured) : [await measured(), null]
    const { cpuUsPerCall, medianUs } = stats(sample)
    process.stdout.write(
      `${clientName}, ${workloadName}: ${calls} calls, ${(sample.wallUs / calls).toFixed(1)} µs/call wall, ` +
        `median ${medianUs.toFixed(1)} µs, ${cpuUsPerCall.toFixed(1)} CPU µs/call${profiling ? " (profiled)" : ""}\n`
    )
    if (profile !== null) {
      fs.writeFileSync(output, JSON.stringify(profile))
      process.stdout.write(`wrote ${output}\n`)
      if (rows > 0) process.stdout.write(`${CpuProfile.summarise(profile, rows)}\n`)
    }
    await client.close()
  } finally {
    server.stop()
  }
}

await main()
