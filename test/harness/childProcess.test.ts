import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { crashed, moduleUrl, runCodeEffect } from "../support/childProcess.js"

describe("the child-process harness sees how a script ended", () => {
  it.live(
    "a clean exit: code 0 and its output; a workspace package and internals by path resolve to their sources",
    () =>
      Effect.gen(function*() {
        // A real finding, observed from outside: a 100,000-deep error event is a typed failure, not a stack overflow.
        const result = yield* runCodeEffect(
          `
          import { Effect, Stream } from "effect"
          import { RunsError } from "@effect-openai/runs"
          import { decode } from ${JSON.stringify(moduleUrl("packages/runs/src/internal/eventStream.ts"))}
          const text = "event: error\\ndata: " + "{\\"a\\":".repeat(100_000) + "0" + "}".repeat(100_000) + "\\n\\n"
          const context = { status: 200, requestId: null, attempts: 1, scrub: (text: string) => text }
          const failure = decode(Stream.make(new TextEncoder().encode(text)), context)
          const error = await Effect.runPromise(Effect.flip(Stream.runDrain(failure)))
          console.log(error._tag, error instanceof RunsError.ResponseDecodeError)
        `,
          { nodeFlags: ["--stack-size=400"] }
        )
        expect(result).toMatchObject({ code: 0, signal: null, timedOut: false })
        expect(result.stdout).toBe("ResponseDecodeError true\n")
        expect(crashed(result)).toBe(false)
      }),
    60_000
  )

  it.live(
    "a heap overflow under a small --max-old-space-size: a crash, observed, not suffered",
    () =>
      Effect.gen(function*() {
        const result = yield* runCodeEffect(
          `
          const hoard: Array<Array<number>> = []
          for (;;) hoard.push(Array.from({ length: 100_000 }, (_, i) => i))
        `,
          { maxOldSpaceMb: 32 }
        )
        expect(crashed(result)).toBe(true)
        expect(result.timedOut).toBe(false)
        expect(result.stderr).toMatch(/heap out of memory|Reached heap limit/)
      }),
    60_000
  )

  it.live(
    "an uncaught exception is exit code 1, its message on stderr; a hang is killed at the timeout",
    () =>
      Effect.gen(function*() {
        const thrown = yield* runCodeEffect(`throw new RangeError("Maximum call stack size exceeded (simulated)")`)
        expect(thrown).toMatchObject({ code: 1, signal: null, timedOut: false })
        expect(thrown.stderr).toContain("Maximum call stack size exceeded (simulated)")
        const hung = yield* runCodeEffect(`setInterval(() => {}, 1000)`, { timeoutMs: 1500 })
        expect(hung).toMatchObject({ timedOut: true, signal: "SIGKILL" })
        expect(crashed(hung)).toBe(true)
      }),
    60_000
  )
})
