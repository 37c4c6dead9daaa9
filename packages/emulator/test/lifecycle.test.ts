import { Emulator } from "@effect-openai/runs-emulator"
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { call, fixture, runPath } from "./support.js"

const weatherScript = [
  { type: "function_call", name: "get_weather", arguments: { city: "Paris" } },
  { type: "message", text: "It is sunny." }
] as const

const status = (emulator: Emulator.Handle, run: { thread_id: string; id: string }) =>
  Effect.map(call(emulator, "GET", runPath(run)), (answer) => answer.body.status as string)

describe("lifecycle", () => {
  it.scoped("perRequest: each read moves a run one status on, to completed", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      const run = emulator.seedRun()
      const first = yield* call(emulator, "GET", runPath(run))
      expect(first.body).toMatchObject({ status: "in_progress", completed_at: null, usage: null })
      expect(first.body.started_at).toEqual(expect.any(Number))
      const second = yield* call(emulator, "GET", runPath(run))
      expect(second.body).toMatchObject({ status: "completed", expires_at: null, required_action: null })
      expect(second.body.completed_at).toBeGreaterThanOrEqual(second.body.started_at)
      expect(second.body.usage).toEqual({
        prompt_tokens: 120,
        completion_tokens: 8,
        total_tokens: 128,
        prompt_token_details: { cached_tokens: 0 },
        completion_tokens_details: { reasoning_tokens: 0 }
      })
      expect(yield* status(emulator, run)).toBe("completed")
      const steps = emulator.getRunSteps(run.thread_id, run.id)
      expect(steps).toHaveLength(1)
      expect(steps[0]).toMatchObject({
        object: "thread.run.step",
        type: "message_creation",
        status: "completed",
        run_id: run.id,
        usage: second.body.usage
      })
      expect(steps[0]!.id).toMatch(/^step_[A-Za-z0-9]{24}$/)
      expect(steps[0]).toHaveProperty("expires_at")
      expect(steps[0]).not.toHaveProperty("expired_at")
      expect(steps[0]).not.toHaveProperty("metadata")
    }))

  it.scoped("perRequest: stepsPerPoll moves several statuses per read", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make({ lifecycle: { mode: "perRequest", stepsPerPoll: 2 } })
      expect(yield* status(emulator, emulator.seedRun())).toBe("completed")
    }))

  it.scoped("a function call waits in requires_action; submitted outputs move the run to completed", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      const assistant = emulator.seedAssistant({ script: weatherScript })
      const run = emulator.seedRun({ assistant_id: assistant.id })
      expect(yield* status(emulator, run)).toBe("in_progress")
      const waiting = yield* call(emulator, "GET", runPath(run))
      expect(waiting.body.status).toBe("requires_action")
      const toolCalls = waiting.body.required_action.submit_tool_outputs.tool_calls
      expect(waiting.body.required_action.type).toBe("submit_tool_outputs")
      expect(toolCalls).toEqual([
        {
          id: expect.stringMatching(/^call_[A-Za-z0-9]{24}$/),
          type: "function",
          function: { name: "get_weather", arguments: "{\"city\":\"Paris\"}" }
        }
      ])
      expect(yield* status(emulator, run)).toBe("requires_action")

      const submitted = yield* call(emulator, "POST", `${runPath(run)}/submit_tool_outputs`, {
        body: { tool_outputs: [{ tool_call_id: toolCalls[0].id, output: "sunny" }] }
      })
      expect(submitted.status).toBe(200)
      expect(submitted.headers.get("openai-poll-after-ms")).toBe("500")
      expect(submitted.body).toMatchObject({ status: "queued", required_action: null })
      expect(yield* status(emulator, run)).toBe("in_progress")
      expect(yield* status(emulator, run)).toBe("completed")

      const steps = emulator.getRunSteps(run.thread_id, run.id)
      expect(steps.map((step) => [step.type, step.status])).toEqual([
        ["tool_calls", "completed"],
        ["message_creation", "completed"]
      ])
      expect(steps[0]!.step_details).toEqual({
        type: "tool_calls",
        tool_calls: [{
          id: toolCalls[0].id,
          type: "function",
          function: { name: "get_weather", arguments: "{\"city\":\"Paris\"}", output: "sunny" }
        }]
      })
    }))

  it.scoped("submit_tool_outputs outside requires_action is refused like the recorded wrong_status error", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      const run = emulator.seedRun({ status: "in_progress" })
      const answer = yield* call(emulator, "POST", `${runPath(run)}/submit_tool_outputs`, {
        body: fixture("recorded-ruby-openai/submitToolOutputs.2024-04-29.error400.wrong_status.request.json")
      })
      expect(answer.status).toBe(400)
      expect(answer.body).toEqual(
        fixture("recorded-ruby-openai/submitToolOutputs.2024-04-29.error400.wrong_status.response.json")
      )
    }))

  it.scoped("every pending tool call must be answered", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      const assistant = emulator.seedAssistant({
        script: [{ type: "function_calls", calls: [{ name: "a" }, { name: "b", arguments: "{\"x\":1}" }] }]
      })
      const run = emulator.seedRun({ assistant_id: assistant.id, status: "requires_action" })
      const calls = run.required_action!.submit_tool_outputs.tool_calls
      expect(calls.map((c) => c.function)).toEqual([{ name: "a", arguments: "{}" }, {
        name: "b",
        arguments: "{\"x\":1}"
      }])
      const path = `${runPath(run)}/submit_tool_outputs`
      const partial = yield* call(emulator, "POST", path, {
        body: { tool_outputs: [{ tool_call_id: calls[0]!.id, output: "1" }] }
      })
      expect(partial.status).toBe(400)
      expect(partial.body.error.message).toBe(
        `Expected tool outputs for call_ids ['${calls[0]!.id}', '${calls[1]!.id}'], got ['${calls[0]!.id}']`
      )
      const missing = yield* call(emulator, "POST", path, { body: {} })
      expect(missing.body.error).toMatchObject({ param: "tool_outputs", code: "missing_required_parameter" })
      const all = yield* call(emulator, "POST", path, {
        body: { tool_outputs: calls.map((c) => ({ tool_call_id: c.id, output: c.function.name })) }
      })
      expect(all.body.status).toBe("queued")
    }))

  it.scoped("cancel goes cancelling, then cancelled; a terminal run cannot be cancelled", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      const assistant = emulator.seedAssistant({ script: weatherScript })
      const run = emulator.seedRun({ assistant_id: assistant.id, status: "requires_action" })
      const cancelling = yield* call(emulator, "POST", `${runPath(run)}/cancel`)
      expect(cancelling.status).toBe(200)
      expect(cancelling.headers.get("openai-poll-after-ms")).toBe("500")
      expect(cancelling.body).toMatchObject({ status: "cancelling", cancelled_at: null, required_action: null })
      const cancelled = yield* call(emulator, "GET", runPath(run))
      expect(cancelled.body).toMatchObject({ status: "cancelled", expires_at: null })
      expect(cancelled.body.cancelled_at).toEqual(expect.any(Number))
      expect(emulator.getRunSteps(run.thread_id, run.id).map((step) => step.status)).toEqual(["cancelled"])
      const again = yield* call(emulator, "POST", `${runPath(run)}/cancel`)
      expect(again.status).toBe(400)
      expect(again.body.error.message).toBe("Cannot cancel run with status 'cancelled'.")
      const completed = emulator.seedRun({ status: "completed" })
      const refused = yield* call(emulator, "POST", `${runPath(completed)}/cancel`)
      expect(refused.body).toEqual({
        error: {
          message: "Cannot cancel run with status 'completed'.",
          type: "invalid_request_error",
          param: null,
          code: null
        }
      })
    }))

  it.scoped("a run past expires_at is expired", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      const assistant = emulator.seedAssistant({ script: weatherScript })
      const run = emulator.seedRun({ assistant_id: assistant.id, status: "requires_action" })
      emulator.updateRun(run.thread_id, run.id, { expires_at: Math.floor(Date.now() / 1000) - 1 })
      const answer = yield* call(emulator, "GET", runPath(run))
      expect(answer.body).toMatchObject({ status: "expired", required_action: null })
      expect(emulator.getRunSteps(run.thread_id, run.id).map((step) => step.status)).toEqual(["expired"])
      const submit = yield* call(emulator, "POST", `${runPath(run)}/submit_tool_outputs`, {
        body: { tool_outputs: [] }
      })
      expect(submit.body.error.message).toBe("Runs in status \"expired\" do not accept tool outputs.")
    }))

  it.scoped("script items can fail a run or leave it incomplete", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make({ lifecycle: { mode: "manual" } })
      const failing = emulator.seedAssistant({
        script: [{ type: "fail", code: "rate_limit_exceeded", message: "Slow down." }]
      })
      const failed = emulator.seedRun({ assistant_id: failing.id })
      expect(emulator.advance(failed.thread_id, failed.id, 2)).toMatchObject({
        status: "failed",
        last_error: { code: "rate_limit_exceeded", message: "Slow down." },
        failed_at: expect.any(Number),
        expires_at: null
      })
      const cut = emulator.seedAssistant({
        script: [{ type: "incomplete", reason: "max_prompt_tokens", text: "Sure, I" }]
      })
      const run = emulator.seedRun({ assistant_id: cut.id })
      expect(emulator.advance(run.thread_id, run.id, 2)).toMatchObject({
        status: "incomplete",
        incomplete_details: { reason: "max_prompt_tokens" },
        completed_at: expect.any(Number)
      })
      expect(emulator.getRunSteps(run.thread_id, run.id).map((step) => [step.type, step.status])).toEqual([
        ["message_creation", "completed"]
      ])
    }))

  it.scoped("manual: reads do not move runs; advance and advanceAll do", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make({ lifecycle: { mode: "manual" } })
      const run = emulator.seedRun()
      const other = emulator.seedRun()
      expect(yield* status(emulator, run)).toBe("queued")
      expect(yield* status(emulator, run)).toBe("queued")
      expect(emulator.advance(run.thread_id, run.id).status).toBe("in_progress")
      expect(yield* status(emulator, run)).toBe("in_progress")
      emulator.advanceAll()
      expect(yield* status(emulator, run)).toBe("completed")
      expect(yield* status(emulator, other)).toBe("in_progress")
      expect(() => emulator.advance(run.thread_id, "run_missing")).toThrow(/run_missing/)
    }))

  it.scoped("updateRun puts a run in a given state", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make({ lifecycle: { mode: "manual" } })
      const assistant = emulator.seedAssistant({ script: weatherScript })
      const run = emulator.seedRun({ assistant_id: assistant.id })
      const waiting = emulator.updateRun(run.thread_id, run.id, { status: "requires_action" })
      expect(waiting.required_action?.submit_tool_outputs.tool_calls[0]?.function.name).toBe("get_weather")
      expect((yield* call(emulator, "GET", runPath(run))).body.status).toBe("requires_action")
      expect(() => emulator.updateRun(run.thread_id, "run_missing", {})).toThrow()
    }))

  it.live("time: runs move on the wall clock", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make({
        lifecycle: { mode: "time", durations: { queuedMs: 200, inProgressMs: 200, cancellingMs: 200 } }
      })
      const order = ["queued", "in_progress", "completed"]
      const due = (elapsedMs: number) => order[elapsedMs < 200 ? 0 : elapsedMs < 400 ? 1 : 2]!
      const seeding = Date.now()
      const run = emulator.seedRun()
      const seeded = Date.now()
      // What a read may see is bounded by when it was sent and answered, whatever the machine's load.
      const read = Effect.gen(function*() {
        const sent = Date.now()
        const seen = yield* status(emulator, run)
        const answered = Date.now()
        const earliest = order.indexOf(due(sent - seeded))
        const latest = order.indexOf(due(answered - seeding))
        expect(order.indexOf(seen), `${seen} between ${sent - seeded} and ${answered - seeding} ms`).toSatisfy(
          (index: number) => index >= earliest && index <= latest
        )
        return seen
      })
      const seen = [yield* read]
      yield* Effect.sleep("300 millis")
      seen.push(yield* read)
      yield* Effect.sleep("300 millis")
      seen.push(yield* read)
      expect(seen[2]).toBe("completed")
      expect([...seen].sort((a, b) => order.indexOf(a) - order.indexOf(b))).toEqual(seen)
    }).pipe(Effect.scoped))
})
