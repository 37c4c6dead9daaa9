/**
 * Stream a run and print the assistant's text as it arrives.
 *
 *   npx -y pnpm@10 example examples/stream-run.ts
 */
import { RunsService, RunStream } from "@effect-openai/runs"
import { Console, Effect, Stream } from "effect"
import { exampleLayer, Target } from "./support/target.js"

const program = Effect.gen(function*() {
  const runs = yield* RunsService.RunsService
  const { assistantId } = yield* Target
  const events = runs.createThreadAndRunStream({
    assistant_id: assistantId,
    thread: { messages: [{ role: "user", content: "Tell me a very short story about a streaming API." }] }
  }).pipe(Stream.share({ capacity: "unbounded" }))

  yield* Effect.scoped(Effect.gen(function*() {
    const shared = yield* events
    const printing = yield* RunStream.textDeltas(shared).pipe(
      Stream.runForEach((text) => Effect.sync(() => process.stdout.write(text))),
      Effect.fork
    )
    const run = yield* RunStream.finalRun(shared)
    yield* printing.await
    yield* Console.log(`\n\n${run.id} ${run.status}, ${run.usage?.total_tokens ?? 0} tokens`)
  }))
})

program.pipe(
  Effect.provide(exampleLayer({
    streaming: { eventDelayMs: 60 },
    assistant: {
      instructions: "You tell short stories.",
      script: [{
        type: "message",
        text: "Once upon a time, an API learned to stream. Every word arrived the moment it was ready, " +
          "and the people waiting on the other end never stared at a spinner again."
      }]
    }
  })),
  Effect.runPromise
).catch((error) => {
  console.error(error)
  process.exit(1)
})
