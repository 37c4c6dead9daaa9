import { Emulator } from "@effect-openai/runs-emulator"
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { call, type Event, fixtureText, outline, parseEvents, runPath } from "./support.js"

const recorded = {
  threadAndRun: "recorded-openai-dotnet/createThreadAndRun.stream.2025-10-30.requires_action.response.sse.txt",
  submit: "recorded-openai-dotnet/submitToolOutputs.stream.2025-10-30.completed.response.sse.txt",
  incomplete: "recorded-ruby-openai/createRun.stream.2024-04-29.incomplete.response.sse.txt"
}

const weatherScript = [
  { type: "function_call", name: "get_weather", arguments: { city: "Paris" } },
  { type: "message", text: "It is sunny in Paris, isn't it?" }
] as const

/** A streamed request: the answer, and its events. */
const stream = (emulator: Emulator.Handle, path: string, body: Record<string, unknown>) =>
  Effect.map(call(emulator, "POST", path, { body: { ...body, stream: true } }), (answer) => ({
    ...answer,
    events: parseEvents(answer.text)
  }))

const named = (events: ReadonlyArray<Event>, name: string): Array<any> =>
  events.filter((event) => event.event === name).map((event) => event.data)

const last = (events: ReadonlyArray<Event>, name: string): any => named(events, name).at(-1)

describe("streaming (stream: true)", () => {
  it.scoped("createRun streams a message reply, event by event, and ends with done", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      const text = "Hello! How can I help you today?"
      const assistant = emulator.seedAssistant({ script: [{ type: "message", text }] })
      const thread = emulator.seedThread()
      const answer = yield* stream(emulator, `/threads/${thread.id}/runs`, { assistant_id: assistant.id })
      expect(answer.status).toBe(200)
      expect(answer.headers.get("content-type")).toBe("text/event-stream; charset=utf-8")
      expect(answer.headers.get("content-length")).toBeNull()
      expect(outline(answer.events)).toEqual([
        "thread.run.created",
        "thread.run.queued",
        "thread.run.in_progress",
        "thread.run.step.created",
        "thread.run.step.in_progress",
        "thread.message.created",
        "thread.message.in_progress",
        "thread.message.delta",
        "thread.message.completed",
        "thread.run.step.completed",
        "thread.run.completed",
        "done"
      ])
      expect(answer.text.endsWith("event: done\ndata: [DONE]\n\n")).toBe(true)
      const deltas = named(answer.events, "thread.message.delta")
      expect(deltas.length).toBeGreaterThan(3)
      expect(deltas.map((delta) => delta.delta.content[0].text.value).join("")).toBe(text)
      expect(deltas[0].delta.content[0]).toEqual({ index: 0, type: "text", text: { value: "Hello", annotations: [] } })
      expect(deltas[1].delta.content[0].text).toEqual({ value: "!" })
      const [created] = named(answer.events, "thread.message.created")
      expect(created).toMatchObject({ status: "in_progress", content: [], completed_at: null })
      const completed = last(answer.events, "thread.message.completed")
      expect(completed).toMatchObject({ id: created.id, status: "completed", role: "assistant" })
      expect(completed.content).toEqual([{ type: "text", text: { value: text, annotations: [] } }])
      const run = last(answer.events, "thread.run.completed")
      expect(run).toMatchObject({ status: "completed", thread_id: thread.id, assistant_id: assistant.id })
      expect(run.usage.total_tokens).toBeGreaterThan(0)
    }))

  it.scoped("the events carry the objects of the recorded streams, field for field", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      const assistant = emulator.seedAssistant({ script: weatherScript })
      const first = yield* stream(emulator, "/threads/runs", { assistant_id: assistant.id })
      const waiting = last(first.events, "thread.run.requires_action")
      const callId = waiting.required_action.submit_tool_outputs.tool_calls[0].id
      const second = yield* stream(emulator, `${runPath(waiting)}/submit_tool_outputs`, {
        tool_outputs: [{ tool_call_id: callId, output: "sunny" }]
      })
      const ours = [...first.events, ...second.events]
      const theirs = [...parseEvents(fixtureText(recorded.threadAndRun)), ...parseEvents(fixtureText(recorded.submit))]
      for (const { data, event } of theirs) {
        if (event === "done") continue
        const mine = named(ours, event)[0]
        expect(mine, event).toBeDefined()
        expect(Object.keys(mine), event).toEqual(Object.keys(data))
        expect(Object.keys(mine.delta ?? {}), event).toEqual(Object.keys(data.delta ?? {}))
      }
      const [firstDelta, argumentsDelta] = named(ours, "thread.run.step.delta")
      const [theirFirst, theirArguments] = named(theirs, "thread.run.step.delta")
      expect(Object.keys(firstDelta.delta.step_details.tool_calls[0])).toEqual(
        Object.keys(theirFirst.delta.step_details.tool_calls[0])
      )
      expect(Object.keys(argumentsDelta.delta.step_details.tool_calls[0])).toEqual(
        Object.keys(theirArguments.delta.step_details.tool_calls[0])
      )
      expect(named(ours, "thread.run.step.created")[0].step_details).toEqual({ type: "tool_calls", tool_calls: [] })
    }))

  it.scoped("a function call streams its arguments in pieces and waits in requires_action", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      const assistant = emulator.seedAssistant({ script: weatherScript })
      const thread = emulator.seedThread()
      const answer = yield* stream(emulator, `/threads/${thread.id}/runs`, { assistant_id: assistant.id })
      expect(outline(answer.events)).toEqual([
        "thread.run.created",
        "thread.run.queued",
        "thread.run.in_progress",
        "thread.run.step.created",
        "thread.run.step.in_progress",
        "thread.run.step.delta",
        "thread.run.requires_action",
        "done"
      ])
      const deltas = named(answer.events, "thread.run.step.delta").map((delta) =>
        delta.delta.step_details.tool_calls[0]
      )
      expect(deltas.length).toBeGreaterThan(2)
      const run = last(answer.events, "thread.run.requires_action")
      const [toolCall] = run.required_action.submit_tool_outputs.tool_calls
      expect(deltas[0]).toEqual({
        index: 0,
        id: toolCall.id,
        type: "function",
        function: { name: "get_weather", arguments: "", output: null }
      })
      expect(deltas.slice(1).map((delta) => delta.function.arguments).join("")).toBe("{\"city\":\"Paris\"}")
      expect(toolCall.function).toEqual({ name: "get_weather", arguments: "{\"city\":\"Paris\"}" })
      expect((yield* call(emulator, "GET", runPath(run))).body.status).toBe("requires_action")
    }))

  it.scoped("parallel calls stream their deltas by index, each opened by its id and name", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      const assistant = emulator.seedAssistant({
        script: [{ type: "function_calls", calls: [{ name: "a", arguments: "{}" }, { name: "b", arguments: "[1]" }] }]
      })
      const thread = emulator.seedThread()
      const answer = yield* stream(emulator, `/threads/${thread.id}/runs`, { assistant_id: assistant.id })
      const deltas = named(answer.events, "thread.run.step.delta").map((delta) =>
        delta.delta.step_details.tool_calls[0]
      )
      const calls = last(answer.events, "thread.run.requires_action").required_action.submit_tool_outputs.tool_calls
      expect(deltas.map((delta) => [delta.index, delta.id, delta.function.name, delta.function.arguments])).toEqual([
        [0, calls[0].id, "a", ""],
        [0, undefined, undefined, "{}"],
        [1, calls[1].id, "b", ""],
        [1, undefined, undefined, "[1]"]
      ])
    }))

  it.scoped("submit_tool_outputs streams the rest of the run, as recorded", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      const assistant = emulator.seedAssistant({ script: weatherScript })
      const thread = emulator.seedThread()
      const first = yield* stream(emulator, `/threads/${thread.id}/runs`, { assistant_id: assistant.id })
      const run = last(first.events, "thread.run.requires_action")
      const callId = run.required_action.submit_tool_outputs.tool_calls[0].id
      const answer = yield* stream(emulator, `${runPath(run)}/submit_tool_outputs`, {
        tool_outputs: [{ tool_call_id: callId, output: "sunny" }]
      })
      expect(answer.headers.get("content-type")).toBe("text/event-stream; charset=utf-8")
      expect(outline(answer.events)).toEqual(outline(parseEvents(fixtureText(recorded.submit))))
      const toolStep = answer.events[0]!.data
      expect(toolStep.step_details.tool_calls[0].function).toEqual({
        name: "get_weather",
        arguments: "{\"city\":\"Paris\"}",
        output: "sunny"
      })
      expect(last(answer.events, "thread.run.completed")).toMatchObject({ id: run.id, status: "completed" })
    }))

  it.scoped("createThreadAndRun streams thread.created first, as recorded", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      const assistant = emulator.seedAssistant({ script: weatherScript })
      const answer = yield* stream(emulator, "/threads/runs", {
        assistant_id: assistant.id,
        thread: { messages: [{ role: "user", content: "What should I wear?" }] }
      })
      expect(outline(answer.events)).toEqual(outline(parseEvents(fixtureText(recorded.threadAndRun))))
      const [thread] = named(answer.events, "thread.created")
      expect(thread).toMatchObject({ object: "thread", metadata: {} })
      expect(last(answer.events, "thread.run.created").thread_id).toBe(thread.id)
      expect((yield* call(emulator, "GET", `/threads/${thread.id}/runs`)).body.data).toHaveLength(1)
    }))

  it.scoped("the store ends where the stream says: runs, steps and messages", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make({ lifecycle: { mode: "manual" } })
      const assistant = emulator.seedAssistant({
        script: [{ type: "message", text: "One." }, { type: "message", text: "Two." }]
      })
      const thread = emulator.seedThread()
      const answer = yield* stream(emulator, `/threads/${thread.id}/runs`, { assistant_id: assistant.id })
      const run = last(answer.events, "thread.run.completed")
      expect(named(answer.events, "thread.message.completed").map((message) => message.content[0].text.value))
        .toEqual(["One.", "Two."])
      expect((yield* call(emulator, "GET", runPath(run))).body).toEqual(run)
      const steps = (yield* call(emulator, "GET", `${runPath(run)}/steps?order=asc`)).body.data
      const streamed = named(answer.events, "thread.run.step.completed")
      expect(steps.map((step: any) => step.id)).toEqual(streamed.map((step) => step.id))
      expect(steps).toEqual(streamed.map((step) => ({ ...step, expires_at: null })))
      expect(emulator.getMessages(thread.id)).toEqual(named(answer.events, "thread.message.completed"))
      expect(steps.map((step: any) => step.step_details.message_creation.message_id)).toEqual(
        named(answer.events, "thread.message.completed").map((message) => message.id)
      )
    }))

  it.scoped("an incomplete item streams thread.message.incomplete, then thread.run.incomplete", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      const assistant = emulator.seedAssistant({ script: [{ type: "incomplete", text: "Sure, I can help with" }] })
      const thread = emulator.seedThread()
      const answer = yield* stream(emulator, `/threads/${thread.id}/runs`, { assistant_id: assistant.id })
      const names = outline(answer.events)
      expect(names.slice(0, -2)).toEqual(outline(parseEvents(fixtureText(recorded.incomplete))).slice(0, -2))
      expect(names.slice(-2)).toEqual(["thread.run.incomplete", "done"])
      expect(last(answer.events, "thread.message.incomplete")).toMatchObject({
        status: "incomplete",
        incomplete_details: { reason: "max_tokens" },
        completed_at: null
      })
      const run = last(answer.events, "thread.run.incomplete")
      expect(run).toMatchObject({ status: "incomplete", incomplete_details: { reason: "max_completion_tokens" } })
      expect(emulator.getRun(thread.id, run.id)?.status).toBe("incomplete")
    }))

  it.scoped("a fail item streams thread.run.failed with last_error", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      const assistant = emulator.seedAssistant({
        script: [{ type: "fail", code: "rate_limit_exceeded", message: "Too many." }]
      })
      const thread = emulator.seedThread()
      const answer = yield* stream(emulator, `/threads/${thread.id}/runs`, { assistant_id: assistant.id })
      expect(outline(answer.events)).toEqual([
        "thread.run.created",
        "thread.run.queued",
        "thread.run.in_progress",
        "thread.run.failed",
        "done"
      ])
      expect(last(answer.events, "thread.run.failed").last_error).toEqual({
        code: "rate_limit_exceeded",
        message: "Too many."
      })
    }))

  it.scoped("a streaming request that is refused gets the JSON error, and no run starts", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      const thread = emulator.seedThread()
      const answer = yield* call(emulator, "POST", `/threads/${thread.id}/runs`, {
        body: { assistant_id: "asst_missing", stream: true }
      })
      expect(answer.status).toBe(404)
      expect(answer.headers.get("content-type")).toBe("application/json")
      expect(answer.body.error.message).toBe("No assistant found with id 'asst_missing'.")
      expect((yield* call(emulator, "GET", `/threads/${thread.id}/runs`)).body.data).toEqual([])
    }))
})
