import { describe, expect, it } from "@effect/vitest"
import { Chunk, Effect, Exit, Layer, Stream } from "effect"
import { type RunRequest, RunsError, RunsService } from "../src/index.js"
import { fakeClientLayer, type FakeReply } from "./support/fakeHttp.js"
import { runJson } from "./support/runJson.js"
import { runOnTestClock } from "./support/testClock.js"

const service = RunsService.RunsService

const withFake = (replies: ReadonlyArray<FakeReply>) => {
  const fake = fakeClientLayer(replies)
  return { sent: fake.sent, provide: Effect.provide(RunsService.layer.pipe(Layer.provide(fake.layer))) }
}

const invalidField = <A>(effect: Effect.Effect<A, RunsError.RunsError | RunsError.PollTimeoutError>) =>
  Effect.map(
    Effect.flip(effect),
    (error) => error._tag === "InvalidRequestError" ? error.field : `not invalid: ${error._tag}`
  )

describe("request encoding", () => {
  it.effect("createRun sends include[] in the query and the rest as the body, never re-sent", () =>
    Effect.gen(function*() {
      const fake = withFake([{ status: 200, body: runJson({ status: "queued" }) }])
      yield* Effect.flatMap(service, (runs) =>
        runs.createRun("thread_1", {
          assistant_id: "asst_1",
          include: ["step_details.tool_calls[*].file_search.results[*].content"],
          temperature: 0.5,
          additional_messages: [{ role: "user", content: "hi" }]
        })).pipe(fake.provide)
      const [request] = fake.sent
      expect(request?.url).toBe(
        "http://api.test/v1/threads/thread_1/runs?include%5B%5D=step_details.tool_calls%5B*%5D.file_search.results%5B*%5D.content"
      )
      expect(JSON.parse(request!.body!)).toEqual({
        assistant_id: "asst_1",
        temperature: 0.5,
        additional_messages: [{ role: "user", content: "hi" }]
      })
    }))

  it.effect("listRuns sends the paging parameters", () =>
    Effect.gen(function*() {
      const fake = withFake([{
        status: 200,
        body: { object: "list", data: [], first_id: null, last_id: null, has_more: false }
      }])
      const page = yield* Effect.flatMap(service, (runs) =>
        runs.listRuns("thread_1", { limit: 5, order: "asc", after: "run_a" })).pipe(fake.provide)
      expect(page.data).toEqual([])
      expect(fake.sent[0]?.url).toBe("http://api.test/v1/threads/thread_1/runs?limit=5&order=asc&after=run_a")
    }))

  it.effect("listRunStepsStream follows after-cursors and stops when has_more is false", () =>
    Effect.gen(function*() {
      const step = (id: string) => ({
        id,
        object: "thread.run.step",
        created_at: 1,
        assistant_id: "asst_1",
        thread_id: "thread_1",
        run_id: "run_1",
        type: "message_creation",
        status: "completed",
        step_details: { type: "message_creation", message_creation: { message_id: "msg_1" } }
      })
      const fake = withFake([
        {
          status: 200,
          body: { object: "list", data: [step("s1"), step("s2")], first_id: "s1", last_id: "s2", has_more: true }
        },
        { status: 200, body: { object: "list", data: [step("s3")], first_id: "s3", last_id: "s3", has_more: false } }
      ])
      const steps = yield* Effect.flatMap(service, (runs) =>
        Stream.runCollect(runs.listRunStepsStream("thread_1", "run_1", { limit: 2 }))).pipe(fake.provide)
      expect(
        Chunk.toReadonlyArray(steps).map((s) =>
          s.id
        )
      ).toEqual(["s1", "s2", "s3"])
      expect(fake.sent.map((r) => r.url.split("?")[1])).toEqual(["limit=2", "limit=2&after=s2"])
    }))
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
        const fake = withFake([{ status: 200, body: runJson() }])
        expect(yield* invalidField(effect.pipe(fake.provide) as Effect.Effect<unknown, RunsError.RunsError>)).toBe(
          field
        )
        expect(fake.sent).toHaveLength(0)
      }))
  }

  it.effect("the limits themselves pass", () =>
    Effect.gen(function*() {
      const fake = withFake([{ status: 200, body: runJson() }])
      yield* create({ temperature: 2, top_p: 0, max_prompt_tokens: 256, max_completion_tokens: 256 }).pipe(fake.provide)
      expect(fake.sent).toHaveLength(1)
    }))
})

describe("polling", () => {
  const statuses = (...list: ReadonlyArray<string>): Array<FakeReply> =>
    list.map((status) => ({ status: 200, body: runJson({ status }) }))

  it.effect("waits the default 1 s between polls when the server advises nothing", () =>
    Effect.gen(function*() {
      const fake = withFake(statuses("queued", "in_progress", "completed"))
      const exit = yield* runOnTestClock(
        Effect.flatMap(service, (runs) => runs.pollRun("thread_1", "run_1")).pipe(fake.provide)
      )
      expect(Exit.isSuccess(exit) && exit.value.status).toBe("completed")
      expect(fake.sent.map((r) => r.at)).toEqual([0, 1000, 2000])
    }))

  it.effect("follows openai-poll-after-ms on every response, never below 100 ms", () =>
    Effect.gen(function*() {
      const fake = withFake([
        { status: 200, body: runJson({ status: "queued" }), headers: { "openai-poll-after-ms": "250" } },
        { status: 200, body: runJson({ status: "in_progress" }), headers: { "openai-poll-after-ms": "0" } },
        { status: 200, body: runJson({ status: "requires_action" }) }
      ])
      const exit = yield* runOnTestClock(
        Effect.flatMap(service, (runs) => runs.pollRun("thread_1", "run_1", { interval: "5 seconds" })).pipe(
          fake.provide
        )
      )
      expect(Exit.isSuccess(exit) && exit.value.status).toBe("requires_action")
      expect(fake.sent.map((r) => r.at)).toEqual([0, 250, 350])
    }))

  for (const status of ["requires_action", "completed", "failed", "cancelled", "expired", "incomplete"]) {
    it.effect(`returns at once on ${status}`, () =>
      Effect.gen(function*() {
        const fake = withFake(statuses(status))
        const run = yield* Effect.flatMap(service, (runs) => runs.pollRun("thread_1", "run_1")).pipe(fake.provide)
        expect(run.status).toBe(status)
        expect(fake.sent).toHaveLength(1)
      }))
  }

  it.effect("a status it does not know fails the poll at once instead of spinning", () =>
    Effect.gen(function*() {
      const fake = withFake(statuses("paused"))
      const error = yield* Effect.flip(
        Effect.flatMap(service, (runs) => runs.pollRun("thread_1", "run_1")).pipe(fake.provide)
      )
      expect(error._tag).toBe("ResponseDecodeError")
      expect(fake.sent).toHaveLength(1)
    }))

  it.effect("createAndPoll starts from the created run and polls after the advised wait", () =>
    Effect.gen(function*() {
      const fake = withFake([
        { status: 200, body: runJson({ status: "queued" }), headers: { "openai-poll-after-ms": "500" } },
        ...statuses("completed")
      ])
      const exit = yield* runOnTestClock(
        Effect.flatMap(service, (runs) => runs.createAndPoll("thread_1", { assistant_id: "asst_1" })).pipe(fake.provide)
      )
      expect(Exit.isSuccess(exit) && exit.value.status).toBe("completed")
      expect(fake.sent.map((r) => `${r.method}@${r.at}`)).toEqual(["POST@0", "GET@500"])
    }))
})
