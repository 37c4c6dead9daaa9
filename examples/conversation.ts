/**
 * A conversation: two turns on one thread. Create the thread, add a question, run the assistant and print its
 * answer; then a follow-up question on the same thread, which the assistant answers knowing the first turn.
 *
 *   npx -y pnpm@10 example examples/conversation.ts
 */
import { Message, MessagesService, RunsService, ThreadsService } from "@effect-openai/runs"
import type { Script } from "@effect-openai/runs-emulator"
import { Console, Effect, Stream } from "effect"
import { exampleLayer, Target } from "./support/target.js"

const program = Effect.gen(function*() {
  const threads = yield* ThreadsService.ThreadsService
  const messages = yield* MessagesService.MessagesService
  const runs = yield* RunsService.RunsService
  const { assistantId } = yield* Target

  const thread = yield* threads.createThread({ metadata: { example: "conversation" } })
  yield* Console.log(`Started ${thread.id}\n`)

  const turn = (question: string) =>
    Effect.gen(function*() {
      yield* Console.log(`You:       ${question}`)
      yield* messages.createMessage(thread.id, { role: "user", content: question })
      const run = yield* runs.createAndPoll(thread.id, { assistant_id: assistantId }, { timeout: "2 minutes" })
      if (run.status !== "completed") {
        return yield* Console.log(
          `Assistant: (the run ended ${run.status}${run.last_error ? `: ${run.last_error.message}` : ""})\n`
        )
      }
      const answer = yield* messages.getRunText(thread.id, run.id)
      yield* Console.log(`Assistant: ${answer}\n`)
    })

  yield* turn("What is the capital of France?")
  yield* turn("And how many people live there?")

  const transcript = yield* Stream.runCollect(messages.listMessagesStream(thread.id, { order: "asc" }))
  yield* Console.log(`The thread now holds ${transcript.length} messages:`)
  for (const message of transcript) yield* Console.log(`  ${message.role.padEnd(9)} ${Message.text(message)}`)

  const deleted = yield* threads.deleteThread(thread.id)
  yield* Console.log(`\nDeleted ${deleted.id}: ${deleted.deleted}`)
})

/** The emulated assistant: it answers the last question, and knows what "there" is from the one before. */
const geographyTutor: Script.Message = {
  type: "message",
  text: ({ messages }) => {
    const questions = messages.filter((message) => message.role === "user").map((message) =>
      message.content.map((part) => part.type === "text" ? part.text.value : "").join("")
    )
    const last = questions[questions.length - 1] ?? ""
    if (/capital of France/i.test(last)) return "The capital of France is Paris."
    if (/how many people/i.test(last) && questions.some((question) => /France/i.test(question))) {
      return "About 2.1 million people live in Paris itself, and over 12 million in its metropolitan area."
    }
    return "I only know a little geography, sorry."
  }
}

program.pipe(
  Effect.provide(exampleLayer({
    assistant: { instructions: "You are a concise geography tutor.", script: [geographyTutor] }
  })),
  Effect.runPromise
).catch((error) => {
  console.error(error)
  process.exit(1)
})
