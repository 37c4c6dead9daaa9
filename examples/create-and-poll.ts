/**
 * Create a run, show its status changes live as progress lines until it ends, then print the assistant's answer.
 *
 *   pnpm tsx --conditions=source examples/create-and-poll.ts
 */
import { MessagesService, RunsService } from "@effect-openai/runs"
import { Console, Effect, Option, Stream } from "effect"
import { exampleLayer, Target } from "./support/target.js"

const program = Effect.gen(function*() {
  const runs = yield* RunsService.RunsService
  const messages = yield* MessagesService.MessagesService
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
  const tokens = Option.match(last, { onNone: () => 0, onSome: (final) => final.usage?.total_tokens ?? 0 })
  yield* Console.log(`Done; ${tokens} tokens used.\n`)
  const answer = yield* messages.getRunText(run.thread_id, run.id)
  yield* Console.log(answer === "" ? "The run wrote no answer." : answer)
})

program.pipe(
  Effect.provide(exampleLayer({
    assistant: {
      instructions: "You write haiku.",
      script: [{
        type: "message",
        text: "Are you done yet? No.\nThe server counts to five, then\nhands me the answer."
      }]
    }
  })),
  Effect.runPromise
).catch((error) => {
  console.error(error)
  process.exit(1)
})
