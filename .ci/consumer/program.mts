// The consumer smoke test's program, as ESM: what a user writes after the README's install line. Against the server
// in OPENAI_BASE_URL (the installed runs-emulator CLI), else an emulator it starts in process.
import { OpenAiClient, Run, RunsService } from "@effect-openai/runs"
import * as RunsServiceModule from "@effect-openai/runs/RunsService"
import { Emulator } from "@effect-openai/runs-emulator"
import { UndiciHttpClient } from "@effect-openai/http-undici"
import { NodeHttpClient } from "@effect/platform-node"
import { Effect, Layer } from "effect"
import manifest from "@effect-openai/runs/package.json" with { type: "json" }

const server = Effect.gen(function*() {
  const url = process.env.OPENAI_BASE_URL
  if (url !== undefined) {
    return { url, apiKey: process.env.OPENAI_API_KEY!, assistantId: process.env.OPENAI_ASSISTANT_ID! }
  }
  const emulator = yield* Emulator.make({ lifecycle: { mode: "perRequest" } })
  return { url: emulator.url, apiKey: emulator.apiKey, assistantId: emulator.seedAssistant().id }
})

const createAndPoll = (assistantId: string) =>
  Effect.flatMap(RunsService.RunsService, (runs) =>
    runs.createThreadAndRunPoll({
      assistant_id: assistantId,
      thread: { messages: [{ role: "user", content: "Hello from the smoke test" }] }
    }, { timeout: "30 seconds", interval: "100 millis" }))

const program = Effect.gen(function*() {
  if (RunsServiceModule.RunsService !== RunsService.RunsService) throw new Error("the subpath is another module")
  const { apiKey, assistantId, url } = yield* server
  const client = OpenAiClient.layer({ apiKey, apiUrl: url })
  const transports: ReadonlyArray<readonly [string, typeof NodeHttpClient.layerUndici]> = [
    ["NodeHttpClient", NodeHttpClient.layerUndici],
    ["UndiciHttpClient", UndiciHttpClient.layer()]
  ]
  for (const [name, http] of transports) {
    const run = yield* createAndPoll(assistantId).pipe(
      Effect.provide(RunsService.layer.pipe(Layer.provide(client), Layer.provide(http)))
    )
    if (!Run.isSuccess(run.status)) throw new Error(`${name}: run ${run.id} ended ${run.status}`)
  }
  const tested = yield* Effect.flatMap(Emulator.Emulator, (emulator) => {
    const seeded = emulator.seedRun({ status: "completed" })
    return Effect.flatMap(RunsService.RunsService, (runs) => runs.getRun(seeded.thread_id, seeded.id))
  }).pipe(Effect.provide(Emulator.layerTest()))
  const where = process.env.OPENAI_BASE_URL === undefined ? "an emulator in process" : `the runs-emulator CLI at ${url}`
  return `esm ok: ${manifest.name}@${manifest.version} against ${where}; Emulator.layerTest: ${tested.status}`
})

Effect.runPromise(Effect.scoped(program)).then(console.log, (error) => {
  console.error(error)
  process.exit(1)
})
