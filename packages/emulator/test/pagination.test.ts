import { Emulator } from "@effect-openai/runs-emulator"
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { call, fixture, runPath } from "./support.js"

/** Five completed runs on one thread, created one second apart: ids[0] is the oldest. */
const fiveRuns = (emulator: Emulator.Handle) => {
  const thread = emulator.seedThread()
  const ids = [1, 2, 3, 4, 5].map((second) =>
    emulator.seedRun({ thread_id: thread.id, status: "completed", created_at: 1_700_000_000 + second }).id
  )
  return { path: `/threads/${thread.id}/runs`, ids }
}

const ids = (answer: { readonly body: any }) => answer.body.data.map((run: { id: string }) => run.id)

describe("pagination", () => {
  it.scoped("listRuns is newest first by default, 20 a page", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      const runs = fiveRuns(emulator)
      const answer = yield* call(emulator, "GET", runs.path)
      expect(answer.body).toEqual({
        object: "list",
        data: expect.any(Array),
        first_id: runs.ids[4],
        last_id: runs.ids[0],
        has_more: false
      })
      expect(ids(answer)).toEqual([...runs.ids].reverse())
    }))

  it.scoped("limit, order and after page forward", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      const runs = fiveRuns(emulator)
      const first = yield* call(emulator, "GET", `${runs.path}?order=asc&limit=2`)
      expect(ids(first)).toEqual(runs.ids.slice(0, 2))
      expect(first.body).toMatchObject({ first_id: runs.ids[0], last_id: runs.ids[1], has_more: true })
      const second = yield* call(emulator, "GET", `${runs.path}?order=asc&limit=2&after=${first.body.last_id}`)
      expect(ids(second)).toEqual(runs.ids.slice(2, 4))
      expect(second.body.has_more).toBe(true)
      const third = yield* call(emulator, "GET", `${runs.path}?order=asc&limit=2&after=${second.body.last_id}`)
      expect(ids(third)).toEqual([runs.ids[4]])
      expect(third.body.has_more).toBe(false)
      const desc = yield* call(emulator, "GET", `${runs.path}?limit=2&after=${runs.ids[3]}`)
      expect(ids(desc)).toEqual([runs.ids[2], runs.ids[1]])
    }))

  it.scoped("before returns the items just before the cursor", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      const runs = fiveRuns(emulator)
      const answer = yield* call(emulator, "GET", `${runs.path}?order=asc&limit=2&before=${runs.ids[4]}`)
      expect(ids(answer)).toEqual([runs.ids[2], runs.ids[3]])
      expect(answer.body.has_more).toBe(true)
      const start = yield* call(emulator, "GET", `${runs.path}?order=asc&limit=2&before=${runs.ids[2]}`)
      expect(ids(start)).toEqual([runs.ids[0], runs.ids[1]])
      expect(start.body.has_more).toBe(false)
      const between = yield* call(emulator, "GET", `${runs.path}?order=asc&after=${runs.ids[0]}&before=${runs.ids[3]}`)
      expect(ids(between)).toEqual([runs.ids[1], runs.ids[2]])
    }))

  it.scoped("an empty page has null ids, like the recorded one", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      const thread = emulator.seedThread()
      const empty = yield* call(emulator, "GET", `/threads/${thread.id}/runs`)
      expect(empty.body).toEqual(fixture("recorded-openai-dotnet/listRuns.2025-10-30.empty.response.json"))
      const runs = fiveRuns(emulator)
      const past = yield* call(emulator, "GET", `${runs.path}?after=${runs.ids[0]}`)
      expect(past.body).toEqual({ object: "list", data: [], first_id: null, last_id: null, has_more: false })
    }))

  it.scoped("limit and order are validated", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      const { path } = fiveRuns(emulator)
      const zero = yield* call(emulator, "GET", `${path}?limit=0`)
      expect(zero.status).toBe(400)
      expect(zero.body.error).toMatchObject({ param: "limit", code: "integer_below_min_value" })
      const big = yield* call(emulator, "GET", `${path}?limit=101`)
      expect(big.body.error).toMatchObject({ param: "limit", code: "integer_above_max_value" })
      expect((yield* call(emulator, "GET", `${path}?limit=100`)).status).toBe(200)
      const order = yield* call(emulator, "GET", `${path}?order=up`)
      expect(order.body.error).toEqual({
        message: "Invalid value: 'up'. Supported values are: 'asc' and 'desc'.",
        type: "invalid_request_error",
        param: "order",
        code: "invalid_value"
      })
    }))

  it.scoped("listRuns advances the runs it lists (perRequest)", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      const run = emulator.seedRun()
      const answer = yield* call(emulator, "GET", `/threads/${run.thread_id}/runs`)
      expect(answer.body.data[0].status).toBe("in_progress")
    }))
})

describe("run steps", () => {
  it.scoped("listRunSteps and getRunStep serve the steps, paginated, without moving the run", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make({ lifecycle: { mode: "manual" } })
      const assistant = emulator.seedAssistant({
        script: [{ type: "message", text: "One." }, { type: "message", text: "Two." }, {
          type: "message",
          text: "Three."
        }]
      })
      const run = emulator.seedRun({ assistant_id: assistant.id })
      emulator.advance(run.thread_id, run.id, 4)
      const steps = emulator.getRunSteps(run.thread_id, run.id)
      expect(steps).toHaveLength(3)
      const include = "include[]=step_details.tool_calls[*].file_search.results[*].content"
      const page = yield* call(emulator, "GET", `${runPath(run)}/steps?order=asc&limit=2&${include}`)
      expect(page.status).toBe(200)
      expect(page.body).toEqual({
        object: "list",
        data: steps.slice(0, 2),
        first_id: steps[0]!.id,
        last_id: steps[1]!.id,
        has_more: true
      })
      const one = yield* call(emulator, "GET", `${runPath(run)}/steps/${steps[2]!.id}?${include}`)
      expect(one.body).toEqual(steps[2])
      expect(emulator.getRun(run.thread_id, run.id)?.status).toBe("completed")
    }))

  it.scoped("step reads do not advance a run in perRequest mode", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      const run = emulator.seedRun()
      const empty = yield* call(emulator, "GET", `${runPath(run)}/steps`)
      expect(empty.body).toEqual(fixture("recorded-ruby-openai/listRunSteps.2024-04-29.empty.response.json"))
      expect(emulator.getRun(run.thread_id, run.id)?.status).toBe("queued")
    }))

  it.scoped("getRunStep answers 404 like the recorded error", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      const run = emulator.seedRun()
      const answer = yield* call(emulator, "GET", `${runPath(run)}/steps/step_123`)
      expect(answer.status).toBe(404)
      expect(answer.body).toEqual(fixture("recorded-ruby-openai/getRunStep.2025-03-14.error404.response.json"))
      const noRun = yield* call(emulator, "GET", `/threads/${run.thread_id}/runs/run_x/steps`)
      expect(noRun.body.error.message).toBe("No run found with id 'run_x'.")
    }))
})
