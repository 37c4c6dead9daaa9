import { Emulator } from "@effect-openai/runs-emulator"
import { beforeAll, describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import * as esbuild from "esbuild"
import * as ChildProcess from "node:child_process"
import * as Net from "node:net"
import { fileURLToPath } from "node:url"
import * as Cli from "../src/internal/cli.js"

const bin = fileURLToPath(new URL("../src/bin.ts", import.meta.url))
// Inside the package, so that node resolves `effect` and `@effect/platform` from its node_modules.
const bundle = fileURLToPath(new URL("../build/cli-test/bin.mjs", import.meta.url))

/**
 * The CLI from source, bundled (our packages from their `source`, the rest from node_modules) and run by plain
 * node: a module loader hook such as tsx's makes many processes started at once slow, and can hang them.
 */
beforeAll(async () => {
  await esbuild.build({
    entryPoints: [bin],
    outfile: bundle,
    bundle: true,
    format: "esm",
    platform: "node",
    target: "node20",
    conditions: ["source"],
    external: ["effect", "@effect/platform", "@effect/platform/*"],
    logLevel: "warning"
  })
}, 30_000)

const spawnCli = (args: ReadonlyArray<string>) =>
  ChildProcess.spawn(process.execPath, [bundle, ...args], { stdio: ["ignore", "pipe", "pipe"] })

interface Finished {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

const runCli = (args: ReadonlyArray<string>): Promise<Finished> =>
  new Promise((resolve, reject) => {
    const child = spawnCli(args)
    let stdout = ""
    let stderr = ""
    child.stdout.on("data", (chunk) => stdout += chunk)
    child.stderr.on("data", (chunk) => stderr += chunk)
    const timer = setTimeout(() => {
      child.kill("SIGKILL")
      reject(new Error(`runs-emulator ${args.join(" ")} did not exit; stdout: ${stdout}; stderr: ${stderr}`))
    }, 15_000)
    child.once("exit", (code) => {
      clearTimeout(timer)
      resolve({ code, stdout, stderr })
    })
  })

const lines = (text: string) => text.split("\n").filter((line) => line !== "")

/** A port another server holds on 127.0.0.1 while `use` runs. */
const withPortInUse = async <A>(use: (port: number) => Promise<A>): Promise<A> => {
  const holder = Net.createServer()
  await new Promise<void>((resolve) => holder.listen(0, "127.0.0.1", resolve))
  try {
    return await use((holder.address() as Net.AddressInfo).port)
  } finally {
    await new Promise((resolve) => holder.close(resolve))
  }
}

describe.concurrent("the runs-emulator CLI", () => {
  it("--help prints the usage and exits 0", async () => {
    const { code, stderr, stdout } = await runCli(["--help"])
    expect(code).toBe(0)
    expect(stderr).toBe("")
    expect(stdout).toMatch(/^Usage: runs-emulator \[options\]/)
    for (const option of ["--port", "--host", "--api-key", "--lifecycle", "--event-delay-ms", "--help"]) {
      expect(stdout).toContain(option)
    }
  }, 20_000)

  it.each([
    [["--bogus"], "runs-emulator: Unknown option '--bogus' (see --help)"],
    [["--port", "abc"], "runs-emulator: --port must be a whole number from 0 to 65535, got 'abc' (see --help)"]
  ])("%j is one line on stderr and exit code 2", async (args, message) => {
    const { code, stderr, stdout } = await runCli(args)
    expect(code).toBe(2)
    expect(stdout).toBe("")
    expect(stderr).toBe(`${message}\n`)
  }, 20_000)

  it("a port in use is one line on stderr and exit code 2", async () => {
    const { code, stderr, stdout } = await withPortInUse((port) => runCli(["--port", String(port)]))
    expect(code).toBe(2)
    expect(stdout).toBe("")
    expect(lines(stderr)).toHaveLength(1)
    expect(stderr).toMatch(/^runs-emulator: Cannot listen on 127\.0\.0\.1:\d+: the port is in use \(EADDRINUSE\)/)
  }, 20_000)

  it("prints the variables to export, answers requests with them, and exits 0 on SIGTERM", async () => {
    const child = spawnCli(["--port", "0", "--lifecycle", "perRequest"])
    const exited = new Promise<number | null>((resolve) => child.once("exit", resolve))
    try {
      let stdout = ""
      await new Promise<void>((resolve, reject) => {
        child.stdout.on("data", (chunk) => {
          stdout += chunk
          if (stdout.includes("Ctrl-C stops it.")) resolve()
        })
        child.once("exit", (code) => reject(new Error(`exited ${code} before it listened: ${stdout}`)))
      })
      const env = Object.fromEntries(
        Array.from(stdout.matchAll(/^ {2}export (\w+)=(\S+)$/gm), ([, name, value]) => [name, value])
      )
      expect(Object.keys(env)).toEqual([
        "OPENAI_API_KEY",
        "OPENAI_BASE_URL",
        "OPENAI_ASSISTANT_ID",
        "OPENAI_TOOLS_ASSISTANT_ID",
        "OPENAI_THREAD_ID"
      ])
      expect(env.OPENAI_BASE_URL).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/)
      const headers = {
        authorization: `Bearer ${env.OPENAI_API_KEY}`,
        "openai-beta": "assistants=v2",
        "content-type": "application/json"
      }
      // the thread is free to run on, and the plain assistant answers with a message
      const created = await fetch(`${env.OPENAI_BASE_URL}/threads/${env.OPENAI_THREAD_ID}/runs`, {
        method: "POST",
        headers,
        body: JSON.stringify({ assistant_id: env.OPENAI_ASSISTANT_ID })
      })
      expect(created.status).toBe(200)
      const run = await created.json() as { id: string; status: string }
      let status = run.status
      for (let i = 0; i < 10 && status !== "completed"; i++) {
        const polled = await fetch(`${env.OPENAI_BASE_URL}/threads/${env.OPENAI_THREAD_ID}/runs/${run.id}`, { headers })
        status = (await polled.json() as { status: string }).status
      }
      expect(status).toBe("completed")
      // the tool-calling assistant stops in requires_action
      const toolRun = await fetch(`${env.OPENAI_BASE_URL}/threads/runs`, {
        method: "POST",
        headers,
        body: JSON.stringify({ assistant_id: env.OPENAI_TOOLS_ASSISTANT_ID })
      }).then((response) => response.json() as Promise<{ id: string; thread_id: string; status: string }>)
      let toolStatus = toolRun.status
      for (let i = 0; i < 10 && toolStatus !== "requires_action"; i++) {
        const polled = await fetch(`${env.OPENAI_BASE_URL}/threads/${toolRun.thread_id}/runs/${toolRun.id}`, {
          headers
        })
        toolStatus = (await polled.json() as { status: string }).status
      }
      expect(toolStatus).toBe("requires_action")
    } finally {
      child.kill("SIGTERM")
    }
    expect(await exited).toBe(0)
  }, 30_000)
})

describe("the CLI's options", () => {
  const invalid = (args: ReadonlyArray<string>) => {
    const parsed = Cli.parse(args)
    return parsed._tag === "Invalid" ? parsed.message : parsed._tag
  }

  it("has defaults for every option", () => {
    expect(Cli.parse([])).toEqual({
      _tag: "Run",
      options: { port: 4010, host: "127.0.0.1", apiKey: "sk-emulator", lifecycle: { mode: "time" }, eventDelayMs: 0 }
    })
  })

  it("drops the -- that pnpm passes through, and reads -h", () => {
    expect(Cli.parse(["--", "--port", "4011"])).toMatchObject({ _tag: "Run", options: { port: 4011 } })
    expect(Cli.parse(["-h"])).toEqual({ _tag: "Help" })
  })

  it.each([
    [["--port", "70000"], "--port must be a whole number from 0 to 65535, got '70000'"],
    [["--port", "1.5"], "--port must be a whole number from 0 to 65535, got '1.5'"],
    [["--port"], "Option '--port <value>' argument missing"],
    [["--lifecycle", "sometimes"], "--lifecycle must be time, perRequest or manual, got 'sometimes'"],
    [["--event-delay-ms", "soon"], "--event-delay-ms must be a whole number of milliseconds up to 60000, got 'soon'"],
    [["--api-key", ""], "--api-key must not be empty"],
    [["extra"], "Unexpected argument 'extra'"]
  ])("refuses %j in one line", (args, message) => {
    expect(invalid(args)).toBe(message)
  })
})

describe("Emulator.make", () => {
  it.effect("fails with a ListenError, not a defect, when the port is in use", () =>
    Effect.gen(function*() {
      const error = yield* Effect.promise(() =>
        withPortInUse((port) => Effect.runPromise(Effect.flip(Effect.scoped(Emulator.make({ port })))))
      )
      expect(error._tag).toBe("ListenError")
      expect(error).toMatchObject({ host: "127.0.0.1", code: "EADDRINUSE" })
    }))

  it.effect("fails with a ListenError for a port out of range", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(Effect.scoped(Emulator.make({ port: 70_000 })))
      expect(error).toMatchObject({ _tag: "ListenError", port: 70_000, code: "ERR_SOCKET_BAD_PORT" })
    }))

  it("Emulator.start rejects with the ListenError", async () => {
    await withPortInUse(async (port) => {
      await expect(Emulator.start({ port })).rejects.toMatchObject({ _tag: "ListenError", code: "EADDRINUSE" })
    })
  })
})
