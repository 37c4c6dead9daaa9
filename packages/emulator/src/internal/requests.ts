import * as Effect from "effect/Effect"
import type * as Wire from "../Wire.js"
import * as Errors from "./errors.js"
import * as Ids from "./ids.js"
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
  readonly threadToolResources: Wire.ThreadToolResources | undefined
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
      threadMetadata: yield* Validate.metadata(thread, "metadata", "thread.metadata"),
      threadToolResources: yield* toolResources(thread, "thread.tool_resources", true)
    }
  })

/**
 * A thread's `tool_resources`: up to 20 code interpreter files, one vector store. With `vectorStores` (thread
 * creation), `file_search.vector_stores` asks for a new store, which gets an id.
 */
const toolResources = (
  body: Validate.Body,
  param: string,
  vectorStores: boolean
): Validate.Validation<Wire.ThreadToolResources | undefined> =>
  Effect.gen(function*() {
    const resources = yield* Validate.optionalObject(body, "tool_resources", param)
    if (resources === undefined) return undefined
    yield* Validate.onlyKeys(resources, ["code_interpreter", "file_search"], `${param}.`)
    const codeInterpreter = yield* Validate.optionalObject(resources, "code_interpreter", `${param}.code_interpreter`)
    const fileSearch = yield* Validate.optionalObject(resources, "file_search", `${param}.file_search`)
    const result: { -readonly [K in keyof Wire.ThreadToolResources]: Wire.ThreadToolResources[K] } = {}
    if (codeInterpreter !== undefined) {
      const path = `${param}.code_interpreter`
      yield* Validate.onlyKeys(codeInterpreter, ["file_ids"], `${path}.`)
      result.code_interpreter = {
        file_ids: yield* Validate.optionalStringArray(codeInterpreter, "file_ids", `${path}.file_ids`, 20)
      }
    }
    if (fileSearch !== undefined) {
      const path = `${param}.file_search`
      yield* Validate.onlyKeys(
        fileSearch,
        vectorStores ? ["vector_store_ids", "vector_stores"] : ["vector_store_ids"],
        `${path}.`
      )
      const existing = yield* Validate.optionalStringArray(
        fileSearch,
        "vector_store_ids",
        `${path}.vector_store_ids`,
        1
      )
      const created = yield* Validate.optionalArray(fileSearch, "vector_stores", `${path}.vector_stores`)
      if (created !== undefined && created.length > 1) {
        return yield* Errors.tooLong(`${path}.vector_stores`, "array", 1, created.length)
      }
      result.file_search = { vector_store_ids: [...existing, ...(created ?? []).map(() => Ids.make("vs"))] }
    }
    return result
  })

/**
 * A validated createThread body.
 *
 * @internal
 */
export interface CreateThread {
  readonly messages: ReadonlyArray<Validate.NewMessage>
  readonly metadata: Wire.Metadata | undefined
  readonly toolResources: Wire.ThreadToolResources | undefined
}

/** @internal */
export const createThread = (value: unknown): Validate.Validation<CreateThread> =>
  Effect.gen(function*() {
    const body = yield* Validate.object(value)
    yield* Validate.onlyKeys(body, ["messages", "metadata", "tool_resources"])
    return {
      messages: yield* Validate.messages(body, "messages"),
      metadata: yield* Validate.metadata(body),
      toolResources: yield* toolResources(body, "tool_resources", true)
    }
  })

/**
 * A validated modifyThread body: what is absent (or `null`) stays as it is.
 *
 * @internal
 */
export interface ModifyThread {
  readonly metadata: Wire.Metadata | undefined
  readonly toolResources: Wire.ThreadToolResources | undefined
}

/** @internal */
export const modifyThread = (value: unknown): Validate.Validation<ModifyThread> =>
  Effect.gen(function*() {
    const body = yield* Validate.object(value)
    yield* Validate.onlyKeys(body, ["metadata", "tool_resources"])
    return {
      metadata: yield* Validate.metadata(body),
      toolResources: yield* toolResources(body, "tool_resources", false)
    }
  })

/** @internal */
export const createMessage = (value: unknown): Validate.Validation<Validate.NewMessage> =>
  Effect.flatMap(Validate.object(value), (body) => Validate.message(body))

/** @internal */
export const modifyRun = (value: unknown): Validate.Validation<Wire.Metadata | undefined> =>
  Effect.gen(function*() {
    const body = yield* Validate.object(value)
    yield* Validate.onlyKeys(body, ["metadata"])
    return yield* Validate.metadata(body)
  })

/**
 * A modifyMessage body: only `metadata`, as for modifyRun.
 *
 * @internal
 */
export const modifyMessage = modifyRun

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
