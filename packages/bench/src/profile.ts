/**
 * A CPU profile of sequential getRun calls of our client over undici, taken after a warm-up so that neither start-up
 * nor compilation shows in it:
 *
 *   pnpm exec tsx --conditions=source packages/bench/src/profile.ts [calls] [file]
 *   pnpm exec tsx packages/bench/src/cpuprofile.ts [file]
 *
 * The profile goes to `/tmp/bench-getRun.cpuprofile` unless `file` says otherwise. `BENCH_RUNS_MODULE` selects
 * another build of the client, as for `main.ts`.
 */
import * as fs from "node:fs"
import { Session } from "node:inspector/promises"
import * as Clients from "./clients.js"
import * as ServerProcess from "./serverProcess.js"

const calls = Number(process.argv[2] ?? 20_000)
const output = process.argv[3] ?? "/tmp/bench-getRun.cpuprofile"

const profiled = async (body: () => Promise<void>) => {
  const session = new Session()
  session.connect()
  await session.post("Profiler.enable")
  await session.post("Profiler.setSamplingInterval", { interval: 200 })
  await session.post("Profiler.start")
  await body()
  const { profile } = await session.post("Profiler.stop")
  session.disconnect()
  return profile
}

const main = async () => {
  const module: Clients.RunsModule = await import(process.env.BENCH_RUNS_MODULE ?? "@effect-openai/runs")
  const server = await ServerProcess.start()
  try {
    const client = await Clients.oursOver(module, "UndiciHttpClient", server.apiUrl)
    const getRun = client.calls.getRun!
    for (let i = 0; i < 2_000; i++) await getRun()
    const start = performance.now()
    const profile = await profiled(async () => {
      for (let i = 0; i < calls; i++) await getRun()
    })
    const perCall = (performance.now() - start) * 1000 / calls
    fs.writeFileSync(output, JSON.stringify(profile))
    process.stderr.write(`${calls} calls, ${perCall.toFixed(1)} µs per call (profiled); wrote ${output}\n`)
    await client.close()
  } finally {
    server.stop()
  }
}

await main()
