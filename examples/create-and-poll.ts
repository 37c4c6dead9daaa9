/**
 * Create a run and show its status changes live, as a progress line, until it ends.
 *
 *   pnpm tsx --conditions=source examples/create-and-poll.ts
 */
import { RunsService } from "@effect-openai/runs"
import { Console, Effect, Stream } from "effect"
import { exampleLayer, Target } from "./support/target.js"

const program = Effect.gen(function*() {
  const runs = yield* RunsService.RunsService
  const { assistantId } = yield* Target
  const run = yield* runs.createThreadAndRun({
    assistant_id: assistantId,
    thread: { messages: [{ role: "user", content: "Write a haiku about polling." }] }
  })
  const started = Date.now()
  const seconds = () => ((Date.now() - started) / 1000).toFixed(1).padStart(5)
  const last = yield* runs.watchRun(run.thread_id, run.id, { timeout: "2 minutes" }).pipe(
    Stream.tap((update) => Console.log(`[${seconds()}s] ${update.id}: ${update.status}`)),
    Stream.runLast
  )
  yield* Console.log(`Done; ${last._tag === "Some" ? last.value.usage?.total_tokens ?? 0 : 0} tokens used.`)
})

program.pipe(
  Effect.provide(exampleLayer({ assistant: { instructions: "You write haiku." } })),
  Effect.runPromise
).catch((error) => {
  console.error(error)
  process.exit(1)
})
