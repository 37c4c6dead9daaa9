/**
 * A tool-calling loop with typed handlers: the run calls `get_weather`, whose arguments are decoded with a Schema
 * and answered by an Effect that uses the program's own service. Against a real server, set `OPENAI_THREAD_ID` too.
 *
 *   npx -y pnpm@10 example examples/run-tools.ts
 */
import { type Run, RunsService, RunTools } from "@effect-openai/runs"
import { Console, Context, Effect, Layer, Schema } from "effect"
import { exampleLayer, Target } from "./support/target.js"
import { weatherTool } from "./support/weather.js"

/** The program's own weather service: the tool handler needs it, so RunTools.run does too. */
class Weather extends Context.Tag("examples/Weather")<Weather, {
  readonly forecast: (city: string, unit: "celsius" | "fahrenheit") => Effect.Effect<{ readonly temperature: number }>
}>() {}

const WeatherLive = Layer.succeed(Weather, {
  forecast: (city, unit) => Effect.succeed({ temperature: unit === "celsius" ? 21 + city.length % 5 : 70 })
})

const tools = {
  get_weather: RunTools.make(
    Schema.Struct({
      city: Schema.String,
      unit: Schema.optionalWith(Schema.Literal("celsius", "fahrenheit"), { default: () => "celsius" })
    }),
    ({ city, unit }) =>
      Effect.gen(function*() {
        const weather = yield* Weather
        const { temperature } = yield* weather.forecast(city, unit)
        yield* Console.log(`  get_weather(${city}, ${unit}) → ${temperature}`)
        return { city, temperature, unit }
      })
  )
}

const show = (run: Run.Run) => Console.log(`run ${run.status}`)

const program = Effect.gen(function*() {
  const runs = yield* RunsService.RunsService
  const target = yield* Target
  const threadId = yield* target.threadId
  const run = yield* RunTools.run(
    threadId,
    {
      assistant_id: target.assistantId,
      additional_messages: [{ role: "user", content: "Should I take a jacket in Paris and in Oslo?" }]
    },
    tools,
    {
      mode: "stream",
      onRun: show
    }
  )
  const steps = yield* runs.listRunSteps(run.thread_id, run.id, { order: "asc" })
  yield* Console.log(`${run.id} ${run.status} after ${steps.data.length} steps`)
})

program.pipe(
  Effect.provide(Layer.merge(
    WeatherLive,
    exampleLayer({
      callsTools: true,
      lifecycle: { mode: "perRequest" },
      assistant: {
        instructions: "You answer weather questions with the get_weather tool.",
        tools: [weatherTool],
        script: [
          {
            type: "function_calls",
            calls: [{ name: "get_weather", arguments: { city: "Paris" } }, {
              name: "get_weather",
              arguments: { city: "Oslo" }
            }]
          },
          { type: "message", text: "Paris is mild; Oslo is cooler: take the jacket there." }
        ]
      }
    })
  )),
  Effect.runPromise
).catch((error) => {
  console.error(error)
  process.exit(1)
})
