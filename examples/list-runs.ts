/**
 * Page through every run of a thread with a Stream that fetches pages lazily.
 *
 *   npx -y pnpm@10 example examples/list-runs.ts
 */
import { RunsService } from "@effect-openai/runs"
import { Console, Effect, Stream } from "effect"
import { exampleLayer, Target } from "./support/target.js"

const program = Effect.gen(function*() {
  const runs = yield* RunsService.RunsService
  const { assistantId } = yield* Target
  const first = yield* runs.createThreadAndRunPoll({
    assistant_id: assistantId,
    thread: { messages: [{ role: "user", content: "Count to three." }] }
  })
  const threadId = first.thread_id
  for (let i = 0; i < 4; i++) yield* runs.createAndPoll(threadId, { assistant_id: assistantId })

  yield* Console.log(`Every run of ${threadId}, oldest first, two per request:`)
  yield* runs.listRunsStream(threadId, { order: "asc", limit: 2 }).pipe(
    Stream.zipWithIndex,
    Stream.runForEach(([run, index]) => Console.log(`  ${index + 1}. ${run.id} ${run.status}`))
  )
  const newest = yield* runs.listRuns(threadId, { limit: 1 })
  yield* Console.log(`The newest alone: ${newest.first_id} (has_more: ${newest.has_more})`)
})

program.pipe(
  Effect.provide(exampleLayer({ lifecycle: { mode: "perRequest" } })),
  Effect.runPromise
).catch((error) => {
  console.error(error)
  process.exit(1)
})
