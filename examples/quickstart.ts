/**
 * Quickstart: create a run, retrieve it, tag it with metadata, wait for it, read the assistant's answer, and handle
 * typed errors.
 *
 *   npx -y pnpm@10 start      # against an emulator of its own
 *   OPENAI_API_KEY=sk-… OPENAI_ASSISTANT_ID=asst_… npx -y pnpm@10 start   # against a server (OPENAI_BASE_URL optional)
 */
import { MessagesService, Run, RunsService } from "@effect-openai/runs"
import { Console, Effect } from "effect"
import { exampleLayer, Target } from "./support/target.js"

const indent = (text: string) => text.split("\n").map((line) => `  ${line}`).join("\n")

const describeRun = (run: Run.Run) =>
  [
    `  id        ${run.id}`,
    `  thread    ${run.thread_id}`,
    `  status    ${run.status}${Run.isTerminal(run.status) ? " (terminal)" : ""}`,
    `  model     ${run.model}`,
    `  metadata  ${JSON.stringify(run.metadata)}`
  ].join("\n")

const program = Effect.gen(function*() {
  const runs = yield* RunsService.RunsService
  const messages = yield* MessagesService.MessagesService
  const { assistantId } = yield* Target

  const created = yield* runs.createThreadAndRun({
    assistant_id: assistantId,
    thread: { messages: [{ role: "user", content: "Say hello in three languages." }] }
  })
  const run = yield* runs.getRun(created.thread_id, created.id)
  yield* Console.log(`Retrieved the run:\n${describeRun(run)}\n`)

  const tagged = yield* runs.modifyRun(run.thread_id, run.id, { metadata: { user_id: "u_1", source: "quickstart" } })
  yield* Console.log(`Tagged it with metadata:\n${describeRun(tagged)}\n`)

  const finished = yield* runs.pollRun(run.thread_id, run.id, { timeout: "2 minutes" })
  yield* Console.log(`Polled until it settled: ${finished.status}, ${finished.usage?.total_tokens ?? 0} tokens\n`)

  const answer = yield* messages.getRunText(finished.thread_id, finished.id)
  yield* Console.log(`The assistant answered:\n${indent(answer || "(no text)")}\n`)

  const missing = yield* runs.getRun(run.thread_id, "run_does_not_exist").pipe(
    Effect.map((run) => `unexpectedly found ${run.id}`),
    Effect.catchTag(
      "NotFoundError",
      (error) => Effect.succeed(`NotFoundError (HTTP ${error.status}, request ${error.requestId}): ${error.message}`)
    )
  )
  yield* Console.log(`Asking for a run that does not exist gives a typed error:\n  ${missing}\n`)

  const invalid = yield* runs.getRun(run.thread_id, "../../files").pipe(
    Effect.map(() => "unexpectedly sent"),
    Effect.catchTag("InvalidRequestError", (error) => Effect.succeed(`InvalidRequestError: ${error.message}`))
  )
  yield* Console.log(`And bad input is refused before anything is sent:\n  ${invalid}`)
})

const emulatedAssistant = {
  instructions: "You are a helpful assistant.",
  script: [{ type: "message" as const, text: "Hello! (English)\nBonjour ! (French)\n¡Hola! (Spanish)" }]
}

program.pipe(Effect.provide(exampleLayer({ assistant: emulatedAssistant })), Effect.runPromise).catch((error) => {
  console.error(error)
  process.exit(1)
})
