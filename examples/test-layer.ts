/**
 * Swapping layers: a small program that depends on `RunsService`, run against `Emulator.layerTest` (the emulator in
 * process, no socket) instead of a server. The same program runs unchanged against the real layer.
 *
 *   npx -y pnpm@10 example examples/test-layer.ts
 */
import { Run, RunsService } from "@effect-openai/runs"
import { Emulator } from "@effect-openai/runs-emulator"
import { Console, Effect } from "effect"

/** The program under test: a one-line report of a run, or of why there is none. */
const report = (threadId: string, runId: string) =>
  Effect.gen(function*() {
    const runs = yield* RunsService.RunsService
    const run = yield* runs.getRun(threadId, runId)
    const tokens = run.usage?.total_tokens ?? 0
    return `${run.id}: ${run.status}${Run.isTerminal(run.status) ? ` after ${tokens} tokens` : ""}`
  }).pipe(Effect.catchTag("NotFoundError", () => Effect.succeed(`${runId}: no such run`)))

const seed: Run.RunJson = {
  id: "run_abc123",
  object: "thread.run",
  created_at: 1699075072,
  assistant_id: "asst_abc123",
  thread_id: "thread_abc123",
  status: "completed",
  model: "gpt-4o",
  instructions: null,
  tools: [],
  usage: { prompt_tokens: 123, completion_tokens: 456, total_tokens: 579 }
}

const check = (label: string, actual: string, expected: string) =>
  actual === expected
    ? Console.log(`ok   ${label}: ${actual}`)
    : Effect.dieMessage(`FAIL ${label}: expected "${expected}", got "${actual}"`)

const tests = Effect.gen(function*() {
  yield* check(
    "a completed run",
    yield* report("thread_abc123", "run_abc123"),
    "run_abc123: completed after 579 tokens"
  )
  yield* check("a missing run", yield* report("thread_abc123", "run_nope"), "run_nope: no such run")
})

tests.pipe(Effect.provide(Emulator.layerTest([seed])), Effect.runPromise).catch((error) => {
  console.error(error)
  process.exit(1)
})
