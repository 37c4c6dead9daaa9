/**
 * An in-memory Runs API behind the client interface, for `RunsService.layerTest`: the service's own validation,
 * decoding and tracing run unchanged on top of it.
 *
 * @internal
 */
import * as Headers from "@effect/platform/Headers"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import * as SynchronizedRef from "effect/SynchronizedRef"
import type * as OpenAiClient from "../OpenAiClient.js"
import { isTerminal, Run } from "../Run.js"
import * as RunsError from "../RunsError.js"
import { RunStep } from "../RunStep.js"
import * as WireErrors from "./wireErrors.js"

type RunJson = typeof Run.Encoded
type StepJson = typeof RunStep.Encoded

interface Store {
  readonly threads: ReadonlySet<string>
  readonly runs: ReadonlyArray<RunJson>
  readonly steps: ReadonlyArray<StepJson>
}

interface Reply {
  readonly status: number
  readonly body: unknown
}

const ok = (body: unknown): Reply => ({ status: 200, body })

const invalid = (status: number, message: string, param: string | null = null, code: string | null = null): Reply => ({
  status,
  body: { error: { message, type: "invalid_request_error", param, code } }
})

const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

const newId = (prefix: string) =>
  `${prefix}_${Array.from({ length: 24 }, () => alphabet[Math.floor(Math.random() * alphabet.length)]).join("")}`

/** One page of `items` (sorted by creation, oldest first) as the API pages: `order`, `limit`, `after`, `before`. */
const page = <A extends { readonly id: string }>(items: ReadonlyArray<A>, query: URLSearchParams) => {
  const ordered = query.get("order") === "asc" ? items : [...items].reverse()
  const limit = Number(query.get("limit") ?? 20)
  const after = query.get("after")
  const before = query.get("before")
  const afterIndex = after === null ? -1 : ordered.findIndex((item) => item.id === after)
  const beforeIndex = before === null ? ordered.length : ordered.findIndex((item) => item.id === before)
  const window = ordered.slice(afterIndex + 1, beforeIndex === -1 ? ordered.length : beforeIndex)
  const data = after === null && before !== null ? window.slice(-limit) : window.slice(0, limit)
  return {
    object: "list",
    data,
    first_id: data[0]?.id ?? null,
    last_id: data.at(-1)?.id ?? null,
    has_more: window.length > data.length
  }
}

const body = (request: OpenAiClient.ApiRequest): Record<string, any> => (request.body ?? {}) as Record<string, any>

const newRun = (threadId: string, params: Record<string, any>, now: number): RunJson => ({
  id: newId("run"),
  object: "thread.run",
  created_at: now,
  thread_id: threadId,
  assistant_id: params.assistant_id,
  status: "queued",
  required_action: null,
  last_error: null,
  expires_at: now + 600,
  started_at: null,
  cancelled_at: null,
  failed_at: null,
  completed_at: null,
  incomplete_details: null,
  model: params.model ?? "gpt-4o",
  instructions: params.instructions ?? null,
  tools: params.tools ?? [],
  metadata: params.metadata ?? {},
  usage: null,
  temperature: params.temperature ?? 1,
  top_p: params.top_p ?? 1,
  max_prompt_tokens: params.max_prompt_tokens ?? null,
  max_completion_tokens: params.max_completion_tokens ?? null,
  truncation_strategy: params.truncation_strategy ?? { type: "auto", last_messages: null },
  tool_choice: params.tool_choice ?? "auto",
  parallel_tool_calls: params.parallel_tool_calls ?? true,
  response_format: params.response_format ?? "auto"
})

/** Answers one request against the store; gives the reply and the store after it. */
const route = (store: Store, request: OpenAiClient.ApiRequest, now: number): readonly [Reply, Store] => {
  const [root, threadId, runs, runId, action, stepId] = request.path
  const query = new URLSearchParams((request.query ?? []).map(([key, value]) => [key, value]))
  if (root !== "threads") return [invalid(404, "Unknown request URL."), store]
  if (threadId === "runs" && request.method === "POST") {
    const thread = newId("thread")
    const run = newRun(thread, body(request), now)
    return [ok(run), { ...store, threads: new Set([...store.threads, thread]), runs: [...store.runs, run] }]
  }
  if (threadId === undefined || runs !== "runs") return [invalid(404, "Unknown request URL."), store]
  if (!store.threads.has(threadId)) return [invalid(404, `No thread found with id '${threadId}'.`), store]
  if (runId === undefined) {
    if (request.method === "GET") {
      return [ok(page(store.runs.filter((run) => run.thread_id === threadId), query)), store]
    }
    const run = newRun(threadId, body(request), now)
    return [ok(run), { ...store, runs: [...store.runs, run] }]
  }
  const run = store.runs.find((candidate) => candidate.thread_id === threadId && candidate.id === runId)
  if (run === undefined) return [invalid(404, `No run found with id '${runId}'.`), store]
  const replace = (next: RunJson): readonly [Reply, Store] => [
    ok(next),
    { ...store, runs: store.runs.map((candidate) => candidate === run ? next : candidate) }
  ]
  switch (action) {
    case undefined:
      return request.method === "GET" ? [ok(run), store] : replace({ ...run, metadata: body(request).metadata })
    case "cancel":
      return isTerminal(run.status)
        ? [invalid(400, `Cannot cancel run with status '${run.status}'.`), store]
        : replace({ ...run, status: "cancelled", cancelled_at: now, required_action: null })
    case "submit_tool_outputs":
      return run.status === "requires_action"
        ? replace({ ...run, status: "queued", required_action: null })
        : [invalid(400, `Runs in status "${run.status}" do not accept tool outputs.`), store]
    case "steps": {
      const steps = store.steps.filter((step) => step.thread_id === threadId && step.run_id === runId)
      if (stepId === undefined) return [ok(page(steps, query)), store]
      const step = steps.find((candidate) => candidate.id === stepId)
      return [step === undefined ? invalid(404, `No run step found with id '${stepId}'.`) : ok(step), store]
    }
    default:
      return [invalid(404, "Unknown request URL."), store]
  }
}

const encodeRun = Schema.encodeSync(Run)
const encodeStep = Schema.encodeSync(RunStep)

const jsonHeaders = Headers.fromInput({ "content-type": "application/json", "x-request-id": "req_memory" })

/**
 * An in-memory API seeded with runs and steps.
 *
 * @internal
 */
export const make = (
  runs: ReadonlyArray<Run>,
  steps: ReadonlyArray<RunStep>
): Effect.Effect<OpenAiClient.Service> =>
  Effect.gen(function*() {
    const seededRuns = runs.map((run) => encodeRun(run))
    const state = yield* SynchronizedRef.make<Store>({
      threads: new Set(seededRuns.map((run) => run.thread_id)),
      runs: [...seededRuns].sort((a, b) => a.created_at - b.created_at),
      steps: steps.map((step) => encodeStep(step)).sort((a, b) => a.created_at - b.created_at)
    })
    const scrub = (text: string) => text
    const execute = (request: OpenAiClient.ApiRequest): Effect.Effect<OpenAiClient.ApiResponse, RunsError.RunsError> =>
      Effect.gen(function*() {
        const now = Math.floor((yield* Clock.currentTimeMillis) / 1000)
        const reply = yield* SynchronizedRef.modify(state, (store) => route(store, request, now))
        if (reply.status !== 200) {
          const context = { attempts: 1, nowMs: now * 1000, scrub }
          return yield* WireErrors.fromResponse(reply.status, jsonHeaders, JSON.stringify(reply.body), context)
        }
        return { status: 200, headers: jsonHeaders, body: reply.body, requestId: "req_memory", attempts: 1 }
      })
    const stream = () =>
      Stream.fail(
        new RunsError.InvalidRequestError({
          field: "stream",
          message:
            "RunsService.layerTest does not stream runs; use the emulator (@effect-openai/runs-emulator) for that"
        })
      )
    return { apiUrl: "memory:", execute, stream, scrub }
  })
