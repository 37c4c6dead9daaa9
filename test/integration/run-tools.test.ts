import { type AssistantStreamEvent, RunsService, RunTools } from "@effect-openai/runs"
import { Emulator, type Script } from "@effect-openai/runs-emulator"
import { expect, layer } from "@effect/vitest"
import { Context, Effect, Exit, Schema } from "effect"
import { emulatorLayer } from "../../packages/runs/test/support/emulator.js"
import { runOnTestClock } from "../../packages/runs/test/support/testClock.js"

const onTestClock = <A, E>(effect: Effect.Effect<A, E>) => runOnTestClock(effect, { horizonMillis: 10 * 60_000 })

/** A service the tool handlers need: its requirement flows into RunTools.run's result. */
class Forecasts extends Context.Tag("test/Forecasts")<Forecasts, { readonly of: (city: string) => string }>() {}

const WeatherArgs = Schema.Struct({ city: Schema.String })

const tools = {
  get_weather: RunTools.make(
    WeatherArgs,
    ({ city }) => Effect.map(Forecasts, (forecasts) => ({ city, forecast: forecasts.of(city) }))
  ),
  explode: RunTools.make(Schema.Struct({}), () => Effect.fail(new Error("the weather station is down")))
}

const withForecasts = Effect.provideService(Forecasts, { of: (city) => `sunny in ${city}` })

/** The tool loop needs `RunsService`; `onTestClock` runs a closed effect, so the service is provided first. */
const provideRuns = (runs: RunsService.Service) => Effect.provideService(RunsService.RunsService, runs)

const setup = (script: Script.Script) =>
  Effect.gen(function*() {
    const emulator = yield* Emulator.Emulator
    const assistant = emulator.seedAssistant({
      instructions: "Use the tools.",
      tools: [
        { type: "function", function: { name: "get_weather" } },
        { type: "function", function: { name: "explode" } }
      ],
      script
    })
    const thread = emulator.seedThread()
    const runs = yield* RunsService.RunsService
    /** The outputs the server received, by call id. */
    const outputs = (threadId: string, runId: string) =>
      Object.fromEntries(
        emulator.getRunSteps(threadId, runId).flatMap((step) =>
          step.step_details.type === "tool_calls"
            ? step.step_details.tool_calls.flatMap((call) =>
              call.type === "function" ? [[call.function.name, call.function.output] as const] : []
            )
            : []
        )
      )
    return { emulator, assistant, thread, runs, outputs }
  })

const failure = <A, E>(exit: Exit.Exit<A, E>) =>
  Exit.isFailure(exit) && exit.cause._tag === "Fail" ? exit.cause.error : undefined

for (const mode of ["poll", "stream"] as const) {
  layer(emulatorLayer({ transport: "socket", emulator: { pollAfterMs: 200 }, client: { timeout: "1 hour" } }))(
    `RunTools.run (${mode})`,
    (it) => {
      it.effect("decodes the arguments, runs the handler with the program's services, submits, and completes", () =>
        Effect.gen(function*() {
          const { assistant, outputs, runs, thread } = yield* setup([
            { type: "function_call", name: "get_weather", arguments: { city: "Paris" } },
            { type: "message", text: "Sunny." }
          ])
          const events: Array<string> = []
          const statuses: Array<string> = []
          const exit = yield* onTestClock(
            RunTools.run(thread.id, { assistant_id: assistant.id }, tools, {
              mode,
              onRun: (run) => Effect.sync(() => statuses.push(run.status)),
              onEvent: (event: AssistantStreamEvent.AssistantStreamEvent) => Effect.sync(() => events.push(event.event))
            }).pipe(withForecasts, provideRuns(runs))
          )
          expect(Exit.isSuccess(exit) && exit.value.status).toBe("completed")
          const run = Exit.isSuccess(exit) ? exit.value : undefined
          expect(outputs(thread.id, run!.id)).toEqual({
            get_weather: JSON.stringify({ city: "Paris", forecast: "sunny in Paris" })
          })
          expect(statuses).toContain("requires_action")
          expect(statuses.at(-1)).toBe("completed")
          expect(statuses.filter((status, index) => status === statuses[index - 1])).toEqual([])
          if (mode === "stream") {
            expect(events).toContain("thread.run.requires_action")
            expect(events.at(-1)).toBe("thread.run.completed")
          } else {
            expect(events).toEqual([])
          }
        }))

      it.effect("arguments that do not decode are answered with the error, and the run goes on", () =>
        Effect.gen(function*() {
          const { assistant, outputs, runs, thread } = yield* setup([
            { type: "function_call", name: "get_weather", arguments: { town: "Paris" } },
            { type: "message", text: "Sorry." }
          ])
          const exit = yield* onTestClock(
            RunTools.run(thread.id, { assistant_id: assistant.id }, tools, { mode }).pipe(
              withForecasts,
              provideRuns(runs)
            )
          )
          const run = Exit.isSuccess(exit) ? exit.value : undefined
          expect(run?.status).toBe("completed")
          const output = JSON.parse(outputs(thread.id, run!.id).get_weather ?? "{}")
          expect(output.error).toContain("get_weather")
          expect(output.error).toContain("city")
        }))

      it.effect("a failing handler and an unknown function are answered with their errors", () =>
        Effect.gen(function*() {
          const { assistant, outputs, runs, thread } = yield* setup([
            {
              type: "function_calls",
              calls: [{ name: "explode", arguments: {} }, { name: "teleport", arguments: {} }]
            },
            { type: "message", text: "Sorry." }
          ])
          const exit = yield* onTestClock(
            RunTools.run(thread.id, { assistant_id: assistant.id }, tools, { mode }).pipe(
              withForecasts,
              provideRuns(runs)
            )
          )
          const run = Exit.isSuccess(exit) ? exit.value : undefined
          const answered = outputs(thread.id, run!.id)
          expect(JSON.parse(answered.explode ?? "{}").error).toContain("the weather station is down")
          expect(JSON.parse(answered.teleport ?? "{}").error).toContain("no tool is named \"teleport\"")
        }))

      it.effect("onToolError: \"fail\" stops with a typed ToolCallError instead", () =>
        Effect.gen(function*() {
          const { assistant, runs, thread } = yield* setup([
            { type: "function_call", name: "explode", arguments: {} },
            { type: "message", text: "Sorry." }
          ])
          const exit = yield* onTestClock(
            RunTools.run(thread.id, { assistant_id: assistant.id }, tools, { mode, onToolError: "fail" }).pipe(
              withForecasts,
              provideRuns(runs)
            )
          )
          expect(failure(exit)).toMatchObject({ _tag: "ToolCallError", toolName: "explode", reason: "HandlerFailed" })
        }))

      it.effect("handlers run concurrently, up to the configured limit", () =>
        Effect.gen(function*() {
          const calls = Array.from({ length: 4 }, (_, i) => ({ name: "slow", arguments: { n: i } }))
          const { assistant, runs, thread } = yield* setup([{ type: "function_calls", calls }, {
            type: "message",
            text: "ok"
          }])
          let inFlight = 0
          let most = 0
          const slow = RunTools.make(Schema.Struct({ n: Schema.Number }), ({ n }) =>
            Effect.gen(function*() {
              most = Math.max(most, ++inFlight)
              yield* Effect.sleep("100 millis")
              inFlight--
              return `done ${n}`
            }))
          const first = yield* onTestClock(
            RunTools.run(thread.id, { assistant_id: assistant.id }, { slow }, { mode, concurrency: 2 }).pipe(
              provideRuns(runs)
            )
          )
          expect(Exit.isSuccess(first)).toBe(true)
          expect(most).toBe(2)
        }))
    }
  )
}
