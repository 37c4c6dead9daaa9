/**
 * The official `openai` SDK (6.49, `client.beta.threads`) against the emulator over a socket: its standard flow
 * and every thread and message call work unchanged, so the emulator answers as the real API does for the reference
 * client too.
 */
import { Emulator } from "@effect-openai/runs-emulator"
import { expect, layer } from "@effect/vitest"
import { Effect } from "effect"
import OpenAI from "openai"

/** The texts of the text parts of SDK messages. */
const texts = (messages: ReadonlyArray<OpenAI.Beta.Threads.Message>): Array<string> =>
  messages.flatMap((message) => message.content.flatMap((part) => part.type === "text" ? [part.text.value] : []))

/** What an SDK call rejected with. */
const rejection = (promise: () => Promise<unknown>) =>
  Effect.promise(() => promise().then(() => undefined, (error: unknown) => error))

const setup = Effect.map(Emulator.Emulator, (emulator) => ({
  emulator,
  client: new OpenAI({ apiKey: emulator.apiKey, baseURL: emulator.url, maxRetries: 0 })
}))

layer(Emulator.layer({ pollAfterMs: 10 }))("the openai SDK against the emulator", (it) => {
  it.effect("threads.create, messages.create, runs.createAndPoll, then messages.list({ run_id }) reads the answer", () =>
    Effect.gen(function*() {
      const { client, emulator } = yield* setup
      const assistant = emulator.seedAssistant({
        script: [{ type: "message", text: "AI is software that learns patterns from data." }]
      })
      const { answer, run, thread } = yield* Effect.promise(async () => {
        const thread = await client.beta.threads.create()
        await client.beta.threads.messages.create(thread.id, { role: "user", content: "What is AI?" })
        const run = await client.beta.threads.runs.createAndPoll(thread.id, { assistant_id: assistant.id })
        const answer = await client.beta.threads.messages.list(thread.id, { run_id: run.id })
        return { answer, run, thread }
      })
      expect(run.status).toBe("completed")
      expect(run.usage?.total_tokens).toBeGreaterThan(0)
      expect(texts(answer.data)).toEqual(["AI is software that learns patterns from data."])
      expect(answer.data[0]).toMatchObject({
        role: "assistant",
        thread_id: thread.id,
        run_id: run.id,
        assistant_id: assistant.id,
        status: "completed"
      })
      const headers = emulator.requests().map((request) => request.headers["openai-beta"])
      expect(new Set(headers)).toEqual(new Set(["assistants=v2"]))
    }))

  it.effect("threads.retrieve, update and delete; a deleted thread is the SDK's NotFoundError", () =>
    Effect.gen(function*() {
      const { client } = yield* setup
      const created = yield* Effect.promise(() =>
        client.beta.threads.create({
          messages: [{ role: "user", content: "Hello, what is AI?" }],
          metadata: { user: "u_1" },
          tool_resources: { code_interpreter: { file_ids: ["file_1"] } }
        })
      )
      expect(created).toMatchObject({ object: "thread", metadata: { user: "u_1" } })
      const retrieved = yield* Effect.promise(() => client.beta.threads.retrieve(created.id))
      expect(retrieved).toEqual(created)
      const updated = yield* Effect.promise(() =>
        client.beta.threads.update(created.id, { metadata: { modified: "true", user: "abc123" } })
      )
      expect(updated.metadata).toEqual({ modified: "true", user: "abc123" })
      const deleted = yield* Effect.promise(() => client.beta.threads.delete(created.id))
      expect(deleted).toEqual({ id: created.id, object: "thread.deleted", deleted: true })
      const error = yield* rejection(() => client.beta.threads.retrieve(created.id))
      expect(error).toBeInstanceOf(OpenAI.NotFoundError)
      expect((error as InstanceType<typeof OpenAI.NotFoundError>).status).toBe(404)
      expect((error as Error).message).toContain(`No thread found with id '${created.id}'.`)
    }))

  it.effect("messages.retrieve, update, delete and list with auto-pagination", () =>
    Effect.gen(function*() {
      const { client } = yield* setup
      const thread = yield* Effect.promise(() =>
        client.beta.threads.create({
          messages: ["one", "two", "three", "four", "five"].map((content) => ({ role: "user" as const, content }))
        })
      )
      const all: Array<OpenAI.Beta.Threads.Message> = []
      yield* Effect.promise(async () => {
        for await (const message of client.beta.threads.messages.list(thread.id, { order: "asc", limit: 2 })) {
          all.push(message)
        }
      })
      expect(texts(all)).toEqual(["one", "two", "three", "four", "five"])
      const first = all[0]!
      const retrieved = yield* Effect.promise(() =>
        client.beta.threads.messages.retrieve(first.id, { thread_id: thread.id })
      )
      expect(retrieved).toEqual(first)
      const updated = yield* Effect.promise(() =>
        client.beta.threads.messages.update(first.id, { thread_id: thread.id, metadata: { flagged: "true" } })
      )
      expect(updated.metadata).toEqual({ flagged: "true" })
      const deleted = yield* Effect.promise(() =>
        client.beta.threads.messages.delete(first.id, { thread_id: thread.id })
      )
      expect(deleted).toEqual({ id: first.id, object: "thread.message.deleted", deleted: true })
      const page = yield* Effect.promise(() => client.beta.threads.messages.list(thread.id, { order: "asc" }))
      expect(texts(page.data)).toEqual(["two", "three", "four", "five"])
      const error = yield* rejection(() => client.beta.threads.messages.retrieve(first.id, { thread_id: thread.id }))
      expect(error).toBeInstanceOf(OpenAI.NotFoundError)
      expect((error as Error).message).toContain(`No message found with id '${first.id}'.`)
    }))

  it.effect("a message while a run is active is the SDK's BadRequestError, worded as the real API", () =>
    Effect.gen(function*() {
      const { client, emulator } = yield* setup
      const run = emulator.seedRun({ status: "in_progress" })
      const error = yield* rejection(() =>
        client.beta.threads.messages.create(run.thread_id, { role: "user", content: "Are you done?" })
      )
      expect(error).toBeInstanceOf(OpenAI.BadRequestError)
      expect((error as Error).message).toContain(
        `Can't add messages to ${run.thread_id} while a run ${run.id} is active.`
      )
    }))

  it.effect("createAndRunPoll, and a streamed run's finalMessages, agree with messages.list", () =>
    Effect.gen(function*() {
      const { client, emulator } = yield* setup
      const assistant = emulator.seedAssistant({ script: [{ type: "message", text: "Streamed and stored." }] })
      const polled = yield* Effect.promise(() =>
        client.beta.threads.createAndRunPoll({
          assistant_id: assistant.id,
          thread: { messages: [{ role: "user", content: "Hi" }] }
        })
      )
      expect(polled.status).toBe("completed")
      const { listed, streamed } = yield* Effect.promise(async () => {
        await client.beta.threads.messages.create(polled.thread_id, { role: "user", content: "Again" })
        const stream = client.beta.threads.runs.stream(polled.thread_id, { assistant_id: assistant.id })
        const streamed = await stream.finalMessages()
        const run = await stream.finalRun()
        const listed = await client.beta.threads.messages.list(polled.thread_id, { run_id: run.id })
        return { listed, streamed }
      })
      expect(texts(streamed)).toEqual(["Streamed and stored."])
      expect(listed.data.map((message) => message.id)).toEqual(streamed.map((message) => message.id))
      expect(texts(listed.data)).toEqual(texts(streamed))
    }))
})
