/**
 * A run that calls a function: wait for `requires_action`, answer the tool calls, and poll to completion.
 *
 *   npx -y pnpm@10 example examples/tool-calls.ts
 */
import { Run, RunsService } from "@effect-openai/runs"
import { Console, Effect } from "effect"
import { exampleLayer, Target } from "./support/target.js"
import { weatherTool } from "./support/weather.js"

/** Our "weather service": what the assistant asks for. */
const getWeather = (args: { readonly city?: string }) =>
  Effect.succeed(JSON.stringify({ city: args.city ?? "somewhere", forecast: "sunny", celsius: 22 }))

const answer = (call: Run.RunToolCall) =>
  Effect.gen(function*() {
    yield* Console.log(`  → ${call.function.name}(${call.function.arguments})`)
    const output = call.function.name === "get_weather"
      ? yield* getWeather(JSON.parse(call.function.arguments))
      : JSON.stringify({ error: `unknown function ${call.function.name}` })
    return { tool_call_id: call.id, output }
  })

const program = Effect.gen(function*() {
  const runs = yield* RunsService.RunsService
  const { assistantId } = yield* Target
  let run = yield* runs.createThreadAndRunPoll({
    assistant_id: assistantId,
    thread: { messages: [{ role: "user", content: "What's the weather in Paris?" }] }
  }, { timeout: "2 minutes" })
  while (run.status === "requires_action" && run.required_action !== null) {
    const calls = run.required_action.submit_tool_outputs.tool_calls
    yield* Console.log(`${run.id} requires action: ${calls.length} tool call(s)`)
    const tool_outputs = yield* Effect.forEach(calls, answer)
    run = yield* runs.submitToolOutputsAndPoll(run.thread_id, run.id, { tool_outputs }, { timeout: "2 minutes" })
  }
  yield* Console.log(`${run.id} ended ${run.status}`)
  const steps = yield* runs.listRunSteps(run.thread_id, run.id, { order: "asc" })
  for (const step of steps.data) yield* Console.log(`  step ${step.id}: ${step.type} (${step.status})`)
})

program.pipe(
  Effect.provide(exampleLayer({
    callsTools: true,
    assistant: {
      instructions: "You answer weather questions with the get_weather tool.",
      tools: [weatherTool],
      script: [
        { type: "function_call", name: "get_weather", arguments: { city: "Paris" } },
        { type: "message", text: "It is sunny and 22 °C in Paris." }
      ]
    }
  })),
  Effect.runPromise
).catch((error) => {
  console.error(error)
  process.exit(1)
})
