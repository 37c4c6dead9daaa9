/**
 * Starts the benchmark server (`server.ts`) in a child process and gives its base URL.
 */
import * as ChildProcess from "node:child_process"

/** A running benchmark server. */
export interface Server {
  /** The base URL, e.g. `http://127.0.0.1:40123/v1`. */
  readonly apiUrl: string
  readonly stop: () => void
}

/** Node flags the child must not inherit: profiling is meant for the benchmark process only. */
const ownFlag = /^--(cpu-prof|heap-prof|inspect)/

/** Profiling flags whose value may follow as the next argument. */
const takesValue = /^--(cpu|heap)-prof-(dir|name|interval)$/

const childFlags = (flags: ReadonlyArray<string>): Array<string> =>
  flags.filter((flag, i) => !ownFlag.test(flag) && !(i > 0 && takesValue.test(flags[i - 1]!)))

/** Forks the server with this process's loader flags (tsx) and waits for it to report its port. */
export const start = (): Promise<Server> =>
  new Promise((resolve, reject) => {
    const child = ChildProcess.fork(new URL("./server.ts", import.meta.url), {
      execArgv: childFlags(process.execArgv),
      stdio: ["ignore", "inherit", "inherit", "ipc"]
    })
    child.once("error", reject)
    child.once("exit", (code) => reject(new Error(`The benchmark server exited with code ${code}`)))
    child.once("message", (message: { readonly port: number }) =>
      resolve({
        apiUrl: `http://127.0.0.1:${message.port}/v1`,
        stop: () => {
          child.removeAllListeners("exit")
          child.disconnect()
        }
      }))
  })
