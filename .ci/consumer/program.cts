// The consumer smoke test's program, as CommonJS: the same packages through `require`.
import { Run, RunsService } from "@effect-openai/runs"
import { Emulator } from "@effect-openai/runs-emulator"
import { UndiciHttpClient } from "@effect-openai/http-undici"
import { Effect } from "effect"

const program = Effect.gen(function*() {
  const emulator = yield* Emulator.Emulator
  const assistant = emulator.seedAssistant()
  const runs = yield* RunsService.RunsService
  const run = yield* runs.createThreadAndRunPoll({
    assistant_id: assistant.id,
    thread: { messages: [{ role: "user", content: "Hello from CommonJS" }] }
  }, { timeout: "30 seconds", interval: "100 millis" })
  if (!Run.isSuccess(run.status)) throw new Error(`run ${run.id} ended ${run.status}`)
  if (typeof UndiciHttpClient.layer !== "function") throw new Error("no UndiciHttpClient.layer")
  return `cjs ok: ${run.status} (required from ${require.resolve("@effect-openai/runs")})`
})

Effect.runPromise(program.pipe(Effect.provide(Emulator.layerTest([], { lifecycle: { mode: "perRequest" } }))))
  .then(console.log, (error) => {
    console.error(error)
    process.exit(1)
  })
