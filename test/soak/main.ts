/**
 * `pnpm soak [operations] [concurrency] [transport]`: a soak of the client against the emulator with 10 % transient
 * faults, over `FetchHttpClient` or the transport named (`NodeHttpClient.layerUndici`, `UndiciHttpClient`).
 */
import { Effect } from "effect"
import { transportNamed } from "../support/transports.js"
import { soak } from "./soak.js"

const operations = Number(process.argv[2] ?? 5_000)
const concurrency = Number(process.argv[3] ?? 32)
const transport = transportNamed(process.argv[4] ?? "FetchHttpClient")

Effect.runPromise(soak({ operations, concurrency, faultRate: 0.1, http: transport.layer })).then((report) => {
  console.log(
    `soak: ${operations} operations at concurrency ${concurrency} over ${transport.name}, 10 % transient faults`
  )
  console.table({
    succeeded: report.succeeded,
    ...Object.fromEntries(Object.entries(report.typedFailures).map(([tag, n]) => [`failed: ${tag}`, n])),
    defects: report.defects,
    lost: report.lost,
    "faults injected": report.faultsInjected,
    "requests received": report.requestsReceived,
    retries: report.retries,
    "p50 ms": report.latencyMs.p50,
    "p99 ms": report.latencyMs.p99,
    "heap MB before → after": `${report.heapMb.before} → ${report.heapMb.after}`,
    "RSS MB before → after": `${report.rssMb.before} → ${report.rssMb.after}`,
    "sockets open after close": report.socketsAfterClose,
    "socket handles left": report.handlesAfterClose,
    seconds: report.seconds
  })
  if (report.defects > 0 || report.lost > 0 || report.handlesAfterClose > 0) process.exitCode = 1
})
