import * as Effect from "effect/Effect"
import * as Engine from "./engine.js"
import * as Errors from "./errors.js"
import { activeRun, type ApiRequest, type Env, type Handler, type Response, runReply } from "./handler.js"
import * as Objects from "./objects.js"
import * as Pagination from "./pagination.js"
import * as Reply from "./reply.js"
import * as Requests from "./requests.js"
import * as RunEvents from "./runEvents.js"
import * as Sse from "./sse.js"
import * as Store from "./store.js"
import * as Validate from "./validate.js"

const noActiveRun = (env: Env, thread: Store.ThreadRecord): Effect.Effect<void, Errors.ApiError> => {
  const active = activeRun(env, thread)
  return active === undefined ? Effect.void : Effect.fail(Errors.activeRun(thread.thread.id, active.run.id))
}

/** A run needs a user message in its thread or instructions to follow, as on the real API. */
const hasWork = (
  messages: ReadonlyArray<{ readonly role: string }>,
  request: Requests.CreateRun,
  assistant: Store.AssistantRecord
): Effect.Effect<void, Errors.ApiError> =>
  messages.some((message) => message.role === "user") ||
    request.messages.some((message) => message.role === "user") ||
    (request.overrides.instructions ?? assistant.assistant.instructions ?? request.additionalInstructions)
    ? Effect.void
    : Effect.fail(Errors.invalidThread())

/** A new run: the run as JSON, or with `stream: true` the events of playing it, after `opening`. */
const startRun = (
  env: Env,
  thread: Store.ThreadRecord,
  assistant: Store.AssistantRecord,
  request: Requests.CreateRun,
  opening: ReadonlyArray<RunEvents.RunEvent> = []
): Response => {
  const at = Date.now()
  for (const message of request.messages) Store.addMessage(thread, message, at)
  const run = Objects.run({
    thread_id: thread.thread.id,
    assistant: assistant.assistant,
    overrides: request.overrides,
    additional_instructions: request.additionalInstructions
  }, at)
  const record = Store.addRun(thread, run, assistant.script, at)
  if (request.stream !== true) return runReply(env, record)
  return Sse.stream([...opening, RunEvents.runCreated(run), RunEvents.run(run), ...Engine.play(record)])
}

/** @internal */
export const create: Handler = (env, request) =>
  Effect.gen(function*() {
    yield* Validate.include(request.query)
    const body = yield* Requests.createRun(request.body)
    const thread = yield* Store.thread(env.store, request.params.thread_id!)
    const assistant = yield* Store.assistant(env.store, body.assistantId)
    yield* noActiveRun(env, thread)
    yield* hasWork(thread.messages, body, assistant)
    return startRun(env, thread, assistant, body)
  })

/** @internal */
export const createThreadAndRun: Handler = (env, request) =>
  Effect.gen(function*() {
    const body = yield* Requests.createThreadAndRun(request.body)
    const assistant = yield* Store.assistant(env.store, body.assistantId)
    yield* hasWork([], body, assistant)
    const thread = Store.addThread(
      env.store,
      Objects.thread({ metadata: body.threadMetadata, tool_resources: body.threadToolResources }, Date.now())
    )
    return startRun(env, thread, assistant, body, [RunEvents.threadCreated(thread.thread)])
  })

/** @internal */
export const list: Handler = (env, request) =>
  Effect.gen(function*() {
    const query = yield* Pagination.query(request.query)
    const thread = yield* Store.thread(env.store, request.params.thread_id!)
    thread.runs.forEach(env.engine.observe)
    return Reply.json(200, Pagination.page(thread.runs.map((record) => record.run), query))
  })

const run = (env: Env, request: ApiRequest) => Store.run(env.store, request.params.thread_id!, request.params.run_id!)

/** @internal */
export const retrieve: Handler = (env, request) =>
  Effect.map(run(env, request), (record) => {
    env.engine.observe(record)
    return runReply(env, record)
  })

/** @internal */
export const modify: Handler = (env, request) =>
  Effect.gen(function*() {
    const metadata = yield* Requests.modifyRun(request.body)
    const record = yield* run(env, request)
    env.engine.settle(record)
    if (metadata !== undefined) Engine.update(record, Date.now(), { metadata })
    return runReply(env, record)
  })

const cancellable: ReadonlySet<string> = new Set(["queued", "in_progress", "requires_action"])

/** @internal */
export const cancel: Handler = (env, request) =>
  Effect.gen(function*() {
    const record = yield* run(env, request)
    env.engine.settle(record)
    if (!cancellable.has(record.run.status)) return yield* Errors.cannotCancel(record.run.status)
    Engine.cancel(record, Date.now())
    return runReply(env, record)
  })

const sameIds = (expected: ReadonlyArray<string>, got: ReadonlyArray<string>): boolean =>
  expected.length === got.length && expected.every((id) => got.includes(id))

/** @internal */
export const submitToolOutputs: Handler = (env, request) =>
  Effect.gen(function*() {
    const body = yield* Requests.submitToolOutputs(request.body)
    const record = yield* run(env, request)
    env.engine.settle(record)
    if (record.run.status !== "requires_action") return yield* Errors.noToolOutputs(record.run.status)
    const expected = record.run.required_action?.submit_tool_outputs.tool_calls.map((call) => call.id) ?? []
    const got = body.outputs.map((output) => output.tool_call_id)
    if (!sameIds(expected, got)) return yield* Errors.toolOutputsMismatch(expected, got)
    const outputs = new Map(body.outputs.map((output) => [output.tool_call_id, output.output]))
    if (body.stream === true) return Sse.stream(Engine.play(record, (at) => Engine.submit(record, at, outputs)))
    Engine.submit(record, Date.now(), outputs)
    return runReply(env, record)
  })
