/**
 * Running a small script in a child process, so that a test can observe a crash (a heap overflow, a V8 `Check
 * failed`, an uncaught exception, a hang) instead of suffering it.
 *
 * The child is `node --max-old-space-size=<N> --conditions=source --import tsx <script>` from the repository root: it
 * runs TypeScript, and `@effect-openai/runs` and `@effect-openai/runs-emulator` resolve to their sources, as in the
 * tests. Its heap is small by default (128 MB), so that a runaway allocation fails fast.
 */
import { Effect } from "effect"
import { spawn } from "node:child_process"
import { mkdirSync, rmSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { fileURLToPath } from "node:url"

/** The repository root, where `node_modules` resolves `tsx` and the workspace packages. */
const repositoryRoot = fileURLToPath(new URL("../../", import.meta.url))

/** Where inline scripts are written: inside the repository (so imports resolve), in an ignored directory. */
const scriptsDir = join(repositoryRoot, "node_modules", ".cache", "child-scripts")

/**
 * How a child ended: its exit code (or `null` when a signal ended it), the signal, what it wrote, whether the harness
 * killed it for taking longer than `timeoutMs`, and how long it ran.
 */
export interface ChildResult {
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
  readonly stdout: string
  readonly stderr: string
  readonly timedOut: boolean
  readonly durationMs: number
}

/** How to run a child. */
export interface ChildOptions {
  /** `--max-old-space-size`, in MB (default 128). */
  readonly maxOldSpaceMb?: number
  /** Killed (SIGKILL) after this long (default 60 s); `timedOut` then says so. */
  readonly timeoutMs?: number
  /** Arguments after the script. */
  readonly args?: ReadonlyArray<string>
  /** More node flags, e.g. `--stack-size=500`. */
  readonly nodeFlags?: ReadonlyArray<string>
  /** Extra environment variables. */
  readonly env?: Readonly<Record<string, string>>
}

/** The most output kept of each stream: a crashing child can print a lot. */
const maxOutput = 1024 * 1024

/**
 * Runs a TypeScript (or JavaScript) file in a child process and gives how it ended. Never rejects: a child that
 * cannot start ends with a non-zero code and the reason in `stderr`.
 */
export const runScript = (file: string, options: ChildOptions = {}): Promise<ChildResult> =>
  new Promise((resolve) => {
    const started = Date.now()
    const child = spawn(
      process.execPath,
      [
        `--max-old-space-size=${options.maxOldSpaceMb ?? 128}`,
        "--conditions=source",
        "--import",
        "tsx",
        ...(options.nodeFlags ?? []),
        file,
        ...(options.args ?? [])
      ],
      {
        cwd: repositoryRoot,
        env: { ...process.env, NODE_OPTIONS: "", ...options.env },
        stdio: ["ignore", "pipe", "pipe"]
      }
    )
    let stdout = ""
    let stderr = ""
    let timedOut = false
    child.stdout.setEncoding("utf8").on("data", (text: string) => {
      if (stdout.length < maxOutput) stdout += text
    })
    child.stderr.setEncoding("utf8").on("data", (text: string) => {
      if (stderr.length < maxOutput) stderr += text
    })
    const timer = setTimeout(() => {
      timedOut = true
      child.kill("SIGKILL")
    }, options.timeoutMs ?? 60_000)
    child.once("error", (error) => {
      stderr += String(error)
    })
    child.once("close", (code, signal) => {
      clearTimeout(timer)
      resolve({ code, signal, stdout, stderr, timedOut, durationMs: Date.now() - started })
    })
  })

let written = 0

/**
 * Runs `code` (TypeScript, an ES module: a `.mts` file) in a child process: it is written to a file in the repository (so that
 * `effect` and the workspace packages resolve), run, and removed.
 */
const runCode = async (code: string, options: ChildOptions = {}): Promise<ChildResult> => {
  mkdirSync(scriptsDir, { recursive: true })
  const file = join(scriptsDir, `script-${process.pid}-${written++}.mts`)
  writeFileSync(file, code)
  try {
    return await runScript(file, options)
  } finally {
    rmSync(file, { force: true })
  }
}

/** `runCode` as an Effect. */
export const runCodeEffect = (code: string, options?: ChildOptions): Effect.Effect<ChildResult> =>
  Effect.promise(() => runCode(code, options))

/** Whether the child crashed: it ended by a signal or with a non-zero code (a timeout counts). */
export const crashed = (result: ChildResult): boolean => result.signal !== null || result.code !== 0

/** A file URL for a module of the repository, for a script to import it by absolute path. */
export const moduleUrl = (path: string): string => new URL(path, new URL(`file://${repositoryRoot}`)).href
