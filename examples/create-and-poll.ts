/**
 * Create a run, show its status changes live as progress lines until it ends, then print the assistant's answer; or
 * stop where it waits on tool outputs (`requires_action`, when the assistant calls a function: see tool-calls.ts to
 * answer them).
 *
 *   npx -y pnpm@10 example examples/create-and-poll.ts
 */
import { MessagesService, Run, RunsService } from "@effect-openai/runs"
import { Console, Effect, Stream } from "effect"
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
    // watchRun follows a run to its end; a run in requires_action waits for us, so stop watching there.
    Stream.takeUntil((update) => Run.requiresAction(update.status)),
    Stream.runLast
  )
  if (last._tag === "Some" && last.value.required_action !== null) {
    const calls = last.value.required_action.submit_tool_outputs.tool_calls
    yield* Console.log(`The assistant called ${calls.map((call) => call.function.name).join(", ")}; cancelling.`)
    yield* runs.cancelRun(run.thread_id, run.id)
    return
  }
  yield* Console.log(`Done; ${last._tag === "Some" ? last.value.usage?.total_tokens ?? 0 : 0} tokens used.\n`)
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
