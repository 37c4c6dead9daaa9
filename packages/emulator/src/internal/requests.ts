import * as Effect from "effect/Effect"
import type * as Wire from "../Wire.js"
import * as Errors from "./errors.js"
import type * as Objects from "./objects.js"
import * as Validate from "./validate.js"

/**
 * A validated createRun or createThreadAndRun body.
 *
 * @internal
 */
export interface CreateRun {
  readonly assistantId: string
  readonly stream: boolean | undefined
  readonly overrides: Objects.RunOverrides
  readonly additionalInstructions: string | undefined
  /** `additional_messages`, or the new thread's `thread.messages`. */
  readonly messages: ReadonlyArray<Validate.NewMessage>
}

/** @internal */
export interface CreateThreadAndRun extends CreateRun {
  readonly threadMetadata: Wire.Metadata | undefined
}

const commonKeys = [
  "assistant_id",
  "model",
  "reasoning_effort",
  "instructions",
  "tools",
  "metadata",
  "temperature",
  "top_p",
  "stream",
  "max_prompt_tokens",
  "max_completion_tokens",
  "truncation_strategy",
  "tool_choice",
  "parallel_tool_calls",
  "response_format"
]

const overrides = (body: Validate.Body): Validate.Validation<Objects.RunOverrides> =>
  Effect.all({
    model: Validate.optionalString(body, "model"),
    instructions: Validate.optionalString(body, "instructions"),
    tools: Validate.tools(body),
    metadata: Validate.metadata(body),
    temperature: Validate.optionalNumber(body, "temperature", { kind: "decimal", min: 0, max: 2 }),
    top_p: Validate.optionalNumber(body, "top_p", { kind: "decimal", min: 0, max: 1 }),
    reasoning_effort: Validate.reasoningEffort(body),
    max_prompt_tokens: Validate.optionalNumber(body, "max_prompt_tokens", { kind: "integer", min: 256 }),
    max_completion_tokens: Validate.optionalNumber(body, "max_completion_tokens", { kind: "integer", min: 256 }),
    truncation_strategy: Effect.map(
      Validate.truncationStrategy(body),
      (value) => value as Wire.Run["truncation_strategy"] | undefined
    ),
    tool_choice: Validate.toolChoice(body),
    parallel_tool_calls: Validate.optionalBoolean(body, "parallel_tool_calls"),
    response_format: Validate.responseFormat(body)
  })

const runFields = (body: Validate.Body) =>
  Effect.all({
    assistantId: Validate.requiredString(body, "assistant_id"),
    stream: Validate.optionalBoolean(body, "stream"),
    overrides: overrides(body)
  })

/** @internal */
export const createRun = (value: unknown): Validate.Validation<CreateRun> =>
  Effect.gen(function*() {
    const body = yield* Validate.object(value)
    yield* Validate.onlyKeys(body, [...commonKeys, "additional_instructions", "additional_messages"])
    return {
      ...yield* runFields(body),
      additionalInstructions: yield* Validate.optionalString(body, "additional_instructions"),
      messages: yield* Validate.messages(body, "additional_messages")
    }
  })

/** @internal */
export const createThreadAndRun = (value: unknown): Validate.Validation<CreateThreadAndRun> =>
  Effect.gen(function*() {
    const body = yield* Validate.object(value)
    yield* Validate.onlyKeys(body, [...commonKeys, "thread", "tool_resources"])
    yield* Validate.optionalObject(body, "tool_resources")
    const thread = (yield* Validate.optionalObject(body, "thread")) ?? {}
    yield* Validate.onlyKeys(thread, ["messages", "metadata", "tool_resources"], "thread.")
    return {
      ...yield* runFields(body),
      additionalInstructions: undefined,
      messages: yield* Validate.messages(thread, "messages", "thread."),
      threadMetadata: yield* Validate.metadata(thread, "metadata", "thread.metadata")
    }
  })

/** @internal */
export const modifyRun = (value: unknown): Validate.Validation<Wire.Metadata | undefined> =>
  Effect.gen(function*() {
    const body = yield* Validate.object(value)
    yield* Validate.onlyKeys(body, ["metadata"])
    return yield* Validate.metadata(body)
  })

/** @internal */
export interface SubmitToolOutputs {
  readonly outputs: ReadonlyArray<{ readonly tool_call_id: string; readonly output: string }>
  readonly stream: boolean | undefined
}

const toolOutput = (value: unknown, param: string) =>
  Effect.gen(function*() {
    const item = yield* Validate.object(value, param)
    return {
      tool_call_id: yield* Validate.requiredString(item, "tool_call_id"),
      output: (yield* Validate.optionalString(item, "output", `${param}.output`)) ?? ""
    }
  })

/** @internal */
export const submitToolOutputs = (value: unknown): Validate.Validation<SubmitToolOutputs> =>
  Effect.gen(function*() {
    const body = yield* Validate.object(value)
    yield* Validate.onlyKeys(body, ["tool_outputs", "stream"])
    const items = yield* Validate.optionalArray(body, "tool_outputs")
    if (items === undefined) return yield* Errors.missingParameter("tool_outputs")
    return {
      outputs: yield* Effect.forEach(items, (item, index) => toolOutput(item, `tool_outputs[${index}]`)),
      stream: yield* Validate.optionalBoolean(body, "stream")
    }
  })
