/**
 * Wire JSON of runs for unit tests.
 */
import type { Run } from "../../src/index.js"

/** A complete, valid run in wire form; `overrides` replace fields. */
export const runJson = (overrides: Partial<Record<keyof Run.RunJson, unknown>> = {}): Record<string, unknown> => ({
  id: "run_abc123",
  object: "thread.run",
  created_at: 1699075072,
  assistant_id: "asst_abc123",
  thread_id: "thread_abc123",
  status: "completed",
  started_at: 1699075072,
  expires_at: null,
  cancelled_at: null,
  failed_at: null,
  completed_at: 1699075073,
  required_action: null,
  last_error: null,
  model: "gpt-4o",
  instructions: null,
  tools: [{ type: "code_interpreter" }],
  metadata: {},
  incomplete_details: null,
  usage: { prompt_tokens: 123, completion_tokens: 456, total_tokens: 579 },
  temperature: 1,
  top_p: 1,
  max_prompt_tokens: 1000,
  max_completion_tokens: 1000,
  truncation_strategy: { type: "auto", last_messages: null },
  response_format: "auto",
  tool_choice: "auto",
  parallel_tool_calls: true,
  ...overrides
})
