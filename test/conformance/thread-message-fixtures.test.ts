/**
 * The spec's own examples of the Threads and Messages API decode with the library's Schemas (its requests are
 * checked with every other request fixture, in `operation-fixtures.test.ts`).
 */
import { Message, Page, Thread } from "@effect-openai/runs"
import { describe, expect, it } from "@effect/vitest"
import { Either, ParseResult, Schema } from "effect"
import { readJsonFixture } from "../support/fixtures.js"

const decodes = <A, I>(schema: Schema.Schema<A, I>, json: unknown): A => {
  const result = Schema.decodeUnknownEither(schema)(json)
  if (Either.isLeft(result)) throw new Error(ParseResult.TreeFormatter.formatErrorSync(result.left))
  return result.right
}

const threads = [
  "spec-examples/ThreadObject.x-oaiMeta.example.json",
  "spec-examples/createThread.empty.response.json",
  "spec-examples/createThread.messages.response.json",
  "spec-examples/getThread.response.json",
  "spec-examples/modifyThread.response.json"
]

const messages = [
  "spec-examples/MessageObject.x-oaiMeta.example.json",
  "spec-examples/createMessage.response.json",
  "spec-examples/getMessage.response.json",
  "spec-examples/modifyMessage.response.json"
]

describe("Threads API spec examples decode", () => {
  for (const path of threads) {
    it(path, () => {
      const json = readJsonFixture(path) as { id: string }
      const thread = decodes(Thread.Thread, json)
      expect(thread).toBeInstanceOf(Thread.Thread)
      expect(thread.id).toBe(json.id)
    })
  }

  it("a missing tool_resources (the ThreadObject example) decodes as null, a given one keeps its files", () => {
    expect(decodes(Thread.Thread, readJsonFixture("spec-examples/ThreadObject.x-oaiMeta.example.json")).tool_resources)
      .toBeNull()
    const thread = decodes(Thread.Thread, readJsonFixture("spec-examples/getThread.response.json"))
    expect(thread.tool_resources).toEqual({ code_interpreter: { file_ids: [] } })
    expect(decodes(Thread.Thread, readJsonFixture("spec-examples/modifyThread.response.json")).metadata).toEqual({
      modified: "true",
      user: "abc123"
    })
  })

  it("spec-examples/deleteThread.response.json", () => {
    expect(decodes(Thread.ThreadDeleted, readJsonFixture("spec-examples/deleteThread.response.json"))).toEqual(
      new Thread.ThreadDeleted({ id: "thread_abc123", object: "thread.deleted", deleted: true })
    )
  })
})

describe("Messages API spec examples decode", () => {
  for (const path of messages) {
    it(path, () => {
      const json = readJsonFixture(path) as { id: string }
      const message = decodes(Message.Message, json)
      expect(message).toBeInstanceOf(Message.Message)
      expect(message.id).toBe(json.id)
      expect(Message.text(message)).not.toBe("")
    })
  }

  it("the fields the examples leave out (status, completed_at, …) decode as null; v1's file_ids is ignored", () => {
    const message = decodes(Message.Message, readJsonFixture("spec-examples/modifyMessage.response.json"))
    expect([message.status, message.incomplete_details, message.completed_at, message.incomplete_at]).toEqual([
      null,
      null,
      null,
      null
    ])
    expect(message.attachments).toBeNull()
    expect(message.metadata).toEqual({ modified: "true", user: "abc123" })
  })

  it("the MessageObject example is an assistant's reply, with its run", () => {
    const message = decodes(Message.Message, readJsonFixture("spec-examples/MessageObject.x-oaiMeta.example.json"))
    expect(message).toMatchObject({ role: "assistant", assistant_id: "asst_abc123", run_id: "run_abc123" })
    expect(Message.text(message)).toBe("Hi! How can I help you today?")
  })

  it("spec-examples/listMessages.response.json", () => {
    const page = decodes(Page.Page(Message.Message), readJsonFixture("spec-examples/listMessages.response.json"))
    expect(page.data.map(Message.text)).toEqual([
      "How does AI work? Explain it in simple terms.",
      "Hello, what is AI?"
    ])
    expect([page.first_id, page.last_id, page.has_more]).toEqual(["msg_abc123", "msg_abc456", false])
  })

  it("spec-examples/deleteMessage.response.json", () => {
    const deleted = decodes(Message.MessageDeleted, readJsonFixture("spec-examples/deleteMessage.response.json"))
    expect(deleted).toMatchObject({ id: "msg_abc123", object: "thread.message.deleted", deleted: true })
  })

  it("content parts of every kind decode, a kind still to come among them", () => {
    const message = decodes(Message.Message, {
      ...readJsonFixture("spec-examples/MessageObject.x-oaiMeta.example.json") as object,
      content: [
        { type: "image_file", image_file: { file_id: "file_1", detail: "low" } },
        { type: "text", text: { value: "A chart.", annotations: [] } },
        { type: "image_url", image_url: { url: "https://example.com/a.png" } },
        { type: "refusal", refusal: "I can't help with that." },
        { type: "audio", audio: { id: "a_1" } }
      ]
    })
    expect(message.content.map((part) => part.type)).toEqual(["image_file", "text", "image_url", "refusal", "audio"])
    expect(message.content[3]).toEqual({ type: "refusal", refusal: "I can't help with that." })
    expect(message.content[4]).toEqual({ type: "audio", audio: { id: "a_1" } })
    expect(Message.text(message)).toBe("A chart.")
  })
})
