import { Emulator, Fault, type Wire } from "@effect-openai/runs-emulator"
import { describe, expect, it } from "@effect/vitest"
import { Chunk, Effect, Exit, Stream } from "effect"
import { type RunRequest, RunsError, RunsService } from "../src/index.js"
import { type EmulatorLayerOptions, requestsArrived, SentAt, withEmulator } from "./support/emulator.js"
import { runJson } from "./support/runJson.js"
import { runOnTestClock } from "./support/testClock.js"

const service = RunsService.RunsService

/** What the emulator received. */
const requests = Effect.map(Emulator.Emulator, (emulator) => emulator.requests())

/** An emulator holding thread_1 (with run_1, completed) and assistant asst_1, run by hand. */
const seeded = (options: EmulatorLayerOptions = {}) =>
  withEmulator({
    emulator: { lifecycle: { mode: "manual" } },
    runs: [{ id: "run_1", thread_id: "thread_1", assistant_id: "asst_1", status: "completed" }],
    ...options
  })

/** A 200 with this run (its fields over a complete one) instead of the stored one. */
const answer = (fields: Partial<Record<keyof Wire.Run, unknown>>, headers: Record<string, string> = {}) =>
  Fault.status(200, { body: runJson(fields), headers })

const invalidField = <A, R>(effect: Effect.Effect<A, RunsError.RunsError | RunsError.PollTimeoutError, R>) =>
  Effect.map(
    Effect.flip(effect),
    (error) => error._tag === "InvalidRequestError" ? error.field : `not invalid: ${error._tag}`
  )

describe("request encoding", () => {
  it.effect("createRun sends include[] in the query and the rest as the body, never re-sent", () =>
    Effect.gen(function*() {
      const run = yield* Effect.flatMap(service, (runs) =>
        runs.createRun("thread_1", {
          assistant_id: "asst_1",
          include: ["step_details.tool_calls[*].file_search.results[*].content"],
          temperature: 0.5,
          additional_messages: [{ role: "user", content: "hi" }]
        }))
      expect(run).toMatchObject({ thread_id: "thread_1", status: "queued", temperature: 0.5 })
      const [request, ...more] = yield* requests
      expect(more).toEqual([])
      expect(request?.method).toBe("POST")
      expect(request?.path).toBe("/v1/threads/thread_1/runs")
      expect(request?.query).toEqual({
        "include[]": "step_details.tool_calls[*].file_search.results[*].content"
      })
      expect(JSON.parse(request!.body)).toEqual({
        assistant_id: "asst_1",
        temperature: 0.5,
        additional_messages: [{ role: "user", content: "hi" }]
      })
    }).pipe(seeded()))

  it.effect("listRuns sends the paging parameters", () =>
    Effect.gen(function*() {
      // The emulator pages as the API does: nothing comes after the one run of the thread.
      const page = yield* Effect.flatMap(service, (runs) =>
        runs.listRuns("thread_1", { limit: 5, order: "asc", after: "run_1" }))
      expect(page.data).toEqual([])
      const [request] = yield* requests
      expect(request?.path).toBe("/v1/threads/thread_1/runs")
      expect(Object.entries(request?.query ?? {})).toEqual([["limit", "5"], ["order", "asc"], ["after", "run_1"]])
    }).pipe(seeded()))

  it.effect("listRunStepsStream follows after-cursors and stops when has_more is false", () =>
    Effect.gen(function*() {
      const steps = yield* Effect.flatMap(service, (runs) =>
        Stream.runCollect(runs.listRunStepsStream("thread_1", "run_1", { limit: 2 })))
      expect(
        Chunk.toReadonlyArray(steps).map((step) =>
          step.id
        )
      ).toEqual(["s1", "s2", "s3"])
      expect((yield* requests).map((request) => request.query)).toEqual([{ limit: "2" }, { limit: "2", after: "s2" }])
    }).pipe(seeded({
      // Newest first, as the API lists by default: s1 is the newest.
      seed: (emulator) =>
        [["s1", 3], ["s2", 2], ["s3", 1]].forEach(([id, created_at]) =>
          emulator.seedRunStep({
            id: id as string,
            object: "thread.run.step",
            created_at: created_at as number,
            assistant_id: "asst_1",
            thread_id: "thread_1",
            run_id: "run_1",
            type: "message_creation",
            status: "completed",
            cancelled_at: null,
            completed_at: created_at as number,
            expires_at: null,
            failed_at: null,
            last_error: null,
            step_details: { type: "message_creation", message_creation: { message_id: "msg_1" } },
            usage: null
          })
        )
    })))
})

describe("request validation: the spec's limits, checked before sending", () => {
  const create = (params: Partial<RunRequest.CreateRunRequest>) =>
    Effect.flatMap(service, (runs) => runs.createRun("thread_1", { assistant_id: "asst_1", ...params }))

  const cases: ReadonlyArray<readonly [string, Effect.Effect<unknown, any, RunsService.RunsService>, string]> = [
    ["temperature above 2", create({ temperature: 2.1 }), "params.temperature"],
    ["temperature below 0", create({ temperature: -0.1 }), "params.temperature"],
    ["top_p above 1", create({ top_p: 1.5 }), "params.top_p"],
    ["max_prompt_tokens below 256", create({ max_prompt_tokens: 255 }), "params.max_prompt_tokens"],
    ["max_completion_tokens below 256", create({ max_completion_tokens: 16 }), "params.max_completion_tokens"],
    [
      "21 tools",
      create({ tools: Array.from({ length: 21 }, () => ({ type: "code_interpreter" as const })) }),
      "params.tools"
    ],
    [
      "a function name with spaces",
      create({ tools: [{ type: "function", function: { name: "get weather" } }] }),
      "params.tools.0.function.name"
    ],
    [
      "file search max_num_results 51",
      create({ tools: [{ type: "file_search", file_search: { max_num_results: 51 } }] }),
      "params.tools.0.file_search.max_num_results"
    ],
    ["an empty assistant id", create({ assistant_id: "" }), "params.assistant_id"],
    ["stream: true on the non-streaming call", create({ stream: true }), "params.stream"],
    ["an unknown field", create({ assistant: "asst_1" } as never), "params.assistant"],
    [
      "an empty message content",
      create({ additional_messages: [{ role: "user", content: [] }] }),
      "params.additional_messages.0.content"
    ],
    ["limit 0", Effect.flatMap(service, (runs) => runs.listRuns("thread_1", { limit: 0 })), "params.limit"],
    ["limit 101", Effect.flatMap(service, (runs) => runs.listRuns("thread_1", { limit: 101 })), "params.limit"],
    [
      "an order that is not asc or desc",
      Effect.flatMap(service, (runs) => runs.listRuns("thread_1", { order: "up" as never })),
      "params.order"
    ],
    [
      "no tool outputs",
      Effect.flatMap(service, (runs) => runs.submitToolOutputsToRun("thread_1", "run_1", { tool_outputs: [] })),
      "params.tool_outputs"
    ],
    [
      "the same call answered twice",
      Effect.flatMap(service, (runs) =>
        runs.submitToolOutputsToRun("thread_1", "run_1", {
          tool_outputs: [{ tool_call_id: "call_1", output: "a" }, { tool_call_id: "call_1", output: "b" }]
        })),
      "params.tool_outputs"
    ],
    [
      "a step id with a slash",
      Effect.flatMap(service, (runs) => runs.getRunStep("thread_1", "run_1", "step/1")),
      "stepId"
    ],
    [
      "a thread message with 17 metadata pairs",
      Effect.flatMap(service, (runs) =>
        runs.createThreadAndRun({
          assistant_id: "asst_1",
          thread: {
            messages: [{
              role: "user",
              content: "x",
              metadata: Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`k${i}`, "v"]))
            }]
          }
        })),
      "params.thread.messages.0.metadata"
    ]
  ]
  for (const [name, effect, field] of cases) {
    it.effect(name, () =>
      Effect.gen(function*() {
        expect(yield* invalidField(effect as Effect.Effect<unknown, RunsError.RunsError, RunsService.RunsService>))
          .toBe(field)
        expect(yield* requests).toEqual([])
      }).pipe(seeded()))
  }

  it.effect("the limits themselves pass, and the emulator takes them too", () =>
    Effect.gen(function*() {
      const run = yield* create({ temperature: 2, top_p: 0, max_prompt_tokens: 256, max_completion_tokens: 256 })
      expect(run).toMatchObject({ temperature: 2, top_p: 0, max_prompt_tokens: 256, max_completion_tokens: 256 })
      expect(yield* requests).toHaveLength(1)
    }).pipe(seeded()))
})

describe("polling", () => {
  const statuses = (...list: ReadonlyArray<string>) => list.map((status) => answer({ status }))

  /**
   * Runs a poll on the TestClock: its exit, and each request as `METHOD@time` (test-clock ms). The horizon is below
   * the client's 60 s timeout: a request on its way is given real time to answer.
   */
  const polled = <A, E>(effect: Effect.Effect<A, E, RunsService.RunsService>) =>
    Effect.gen(function*() {
      const exit = yield* runOnTestClock(effect, { horizonMillis: 30_000, ready: requestsArrived })
      const times = (yield* SentAt)()
      const sent = (yield* requests).map((request, index) => `${request.method}@${times[index]}`)
      return { exit, sent }
    })

  const pollRun = (options?: Parameters<RunsService.Service["pollRun"]>[2]) =>
    Effect.flatMap(service, (runs) => runs.pollRun("thread_1", "run_1", options))

  it.effect("waits the default 1 s between polls when the server advises nothing", () =>
    Effect.gen(function*() {
      const { exit, sent } = yield* polled(pollRun())
      expect(Exit.isSuccess(exit) && exit.value.status).toBe("completed")
      expect(sent).toEqual(["GET@0", "GET@1000", "GET@2000"])
    }).pipe(seeded({ faults: statuses("queued", "in_progress", "completed") })))

  it.effect("follows openai-poll-after-ms on every response, never below 100 ms", () =>
    Effect.gen(function*() {
      const { exit, sent } = yield* polled(pollRun({ interval: "5 seconds" }))
      expect(Exit.isSuccess(exit) && exit.value.status).toBe("requires_action")
      expect(sent).toEqual(["GET@0", "GET@250", "GET@350"])
    }).pipe(seeded({
      faults: [
        answer({ status: "queued" }, { "openai-poll-after-ms": "250" }),
        answer({ status: "in_progress" }, { "openai-poll-after-ms": "0" }),
        answer({ status: "requires_action" })
      ]
    })))

  for (const status of ["requires_action", "completed", "failed", "cancelled", "expired", "incomplete"]) {
    it.effect(`returns at once on ${status}`, () =>
      Effect.gen(function*() {
        const run = yield* pollRun()
        expect(run.status).toBe(status)
        expect(yield* requests).toHaveLength(1)
      }).pipe(seeded({ faults: statuses(status) })))
  }

  it.effect("a status it does not know fails the poll at once instead of spinning", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(pollRun())
      expect(error._tag).toBe("ResponseDecodeError")
      expect(yield* requests).toHaveLength(1)
    }).pipe(seeded({ faults: statuses("paused") })))

  it.effect("createAndPoll starts from the created run and polls after the advised wait", () =>
    Effect.gen(function*() {
      const { exit, sent } = yield* polled(
        Effect.flatMap(service, (runs) => runs.createAndPoll("thread_1", { assistant_id: "asst_1" }))
      )
      expect(Exit.isSuccess(exit) && exit.value.status).toBe("completed")
      expect(sent).toEqual(["POST@0", "GET@500"])
    }).pipe(seeded({
      faults: [answer({ status: "queued" }, { "openai-poll-after-ms": "500" }), ...statuses("completed")]
    })))
})
