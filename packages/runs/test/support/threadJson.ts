/**
 * Wire JSON of threads and messages for unit tests.
 */

/** A complete thread in wire form; `overrides` replace fields. */
export const threadJson = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  id: "thread_abc123",
  object: "thread",
  created_at: 1699012949,
  metadata: {},
  tool_resources: {},
  ...overrides
})

/** A complete message in wire form, by default a user's with `text`; `overrides` replace fields. */
export const messageJson = (text: string, overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  id: "msg_abc123",
  object: "thread.message",
  created_at: 1699016383,
  assistant_id: null,
  thread_id: "thread_abc123",
  run_id: null,
  status: "completed",
  incomplete_details: null,
  completed_at: 1699016383,
  incomplete_at: null,
  role: "user",
  content: [{ type: "text", text: { value: text, annotations: [] } }],
  attachments: [],
  metadata: {},
  ...overrides
})

/** An assistant's reply written by a run. */
export const replyJson = (id: string, text: string, runId = "run_abc123"): Record<string, unknown> =>
  messageJson(text, { id, role: "assistant", assistant_id: "asst_abc123", run_id: runId })

/** A page of a list. */
export const pageJson = (data: ReadonlyArray<Record<string, unknown>>, hasMore = false): Record<string, unknown> => ({
  object: "list",
  data,
  first_id: data[0]?.id ?? null,
  last_id: data[data.length - 1]?.id ?? null,
  has_more: hasMore
})
