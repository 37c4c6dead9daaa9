import * as Effect from "effect/Effect"
import type * as Wire from "../Wire.js"
import * as Errors from "./errors.js"
import * as Objects from "./objects.js"

/** @internal */
export type Body = Readonly<Record<string, unknown>>

/** @internal */
export type Validation<A> = Effect.Effect<A, Errors.ApiError>

/** How the real API names the JSON type of a value in its errors: `a string`, `an integer`, `an object`, …. */
const describe = (value: unknown): string => {
  if (value === null) return "null"
  if (Array.isArray(value)) return "an array"
  switch (typeof value) {
    case "string":
      return "a string"
    case "boolean":
      return "a boolean"
    case "number":
      return Number.isInteger(value) ? "an integer" : "a decimal"
    default:
      return "an object"
  }
}

const isObject = (value: unknown): value is Body => typeof value === "object" && value !== null && !Array.isArray(value)

/**
 * The request body as an object: an absent body is `{}`.
 *
 * @internal
 */
export const object = (value: unknown, param = "body"): Validation<Body> =>
  value === undefined
    ? Effect.succeed({})
    : isObject(value)
    ? Effect.succeed(value)
    : Effect.fail(Errors.invalidType(param, "an object", describe(value)))

/**
 * Rejects any key not in `allowed`, like the real API's `additionalProperties: false`.
 *
 * @internal
 */
export const onlyKeys = (body: Body, allowed: ReadonlyArray<string>, prefix = ""): Validation<void> => {
  const unknown = Object.keys(body).find((key) => !allowed.includes(key))
  return unknown === undefined ? Effect.void : Effect.fail(Errors.unrecognizedArgument(prefix + unknown))
}

/** An optional field of a given JSON type: `undefined` when absent or `null`. */
const optional = <A>(
  expected: string,
  is: (value: unknown) => value is A
) =>
(body: Body, key: string, param = key): Validation<A | undefined> => {
  const value = body[key]
  if (value === undefined || value === null) return Effect.succeed(undefined)
  return is(value) ? Effect.succeed(value) : Effect.fail(Errors.invalidType(param, expected, describe(value)))
}

/** @internal */
export const optionalString = optional("a string", (value): value is string => typeof value === "string")

/** @internal */
export const optionalBoolean = optional("a boolean", (value): value is boolean => typeof value === "boolean")

/** @internal */
export const optionalObject = optional("an object", isObject)

/** @internal */
export const optionalArray = optional(
  "an array",
  (value): value is ReadonlyArray<unknown> => Array.isArray(value)
)

/** @internal */
export const requiredString = (body: Body, key: string, param = key): Validation<string> =>
  Effect.flatMap(
    optionalString(body, key, param),
    (value) => value === undefined ? Effect.fail(Errors.missingParameter(param)) : Effect.succeed(value)
  )

/** @internal */
export const requiredObject = (body: Body, key: string, param = key): Validation<Body> =>
  Effect.flatMap(
    optionalObject(body, key, param),
    (value) => value === undefined ? Effect.fail(Errors.missingParameter(param)) : Effect.succeed(value)
  )

/**
 * An optional array of at most `max` strings; absent or `null` is `[]`.
 *
 * @internal
 */
export const optionalStringArray = (
  body: Body,
  key: string,
  param: string,
  max: number
): Validation<ReadonlyArray<string>> =>
  Effect.flatMap(optionalArray(body, key, param), (value) => {
    if (value === undefined) return Effect.succeed([])
    if (value.length > max) return Effect.fail(Errors.tooLong(param, "array", max, value.length))
    return Effect.forEach(value, (item, index) =>
      typeof item === "string"
        ? Effect.succeed(item)
        : Effect.fail(Errors.invalidType(`${param}[${index}]`, "a string", describe(item))))
  })

/**
 * An optional number within bounds; `integer` also rejects decimals. `param` names it in errors.
 *
 * @internal
 */
export const optionalNumber = (
  body: Body,
  key: string,
  bounds: { readonly kind: "decimal" | "integer"; readonly min?: number; readonly max?: number },
  param = key
): Validation<number | undefined> => {
  const value = body[key]
  if (value === undefined || value === null) return Effect.succeed(undefined)
  if (typeof value !== "number" || (bounds.kind === "integer" && !Number.isInteger(value))) {
    return Effect.fail(
      Errors.invalidType(param, bounds.kind === "integer" ? "an integer" : "a decimal", describe(value))
    )
  }
  if (bounds.min !== undefined && value < bounds.min) {
    return Effect.fail(Errors.outOfRange(param, bounds.kind, "min", bounds.min, value))
  }
  if (bounds.max !== undefined && value > bounds.max) {
    return Effect.fail(Errors.outOfRange(param, bounds.kind, "max", bounds.max, value))
  }
  return Effect.succeed(value)
}

/** @internal */
export const oneOf = <A extends string>(
  value: string | undefined,
  param: string,
  supported: ReadonlyArray<A>
): Validation<A | undefined> =>
  value === undefined || (supported as ReadonlyArray<string>).includes(value)
    ? Effect.succeed(value as A | undefined)
    : Effect.fail(Errors.invalidValue(param, value, supported))

/**
 * Metadata: at most 16 pairs, keys of at most 64 characters, string values of at most 512 characters.
 *
 * @internal
 */
export const metadata = (body: Body, key = "metadata", path = key): Validation<Wire.Metadata | undefined> =>
  Effect.flatMap(optionalObject(body, key, path), (value) => {
    if (value === undefined) return Effect.succeed(undefined)
    const entries = Object.entries(value)
    if (entries.length > 16) return Effect.fail(Errors.tooManyProperties(path, 16, entries.length))
    for (const [name, item] of entries) {
      const param = `${path}.${name}`
      if (name.length > 64) return Effect.fail(Errors.metadataKeyTooLong(path, 64, name))
      if (typeof item !== "string") return Effect.fail(Errors.invalidType(param, "a string", describe(item)))
      if (item.length > 512) return Effect.fail(Errors.tooLong(param, "string", 512, item.length))
    }
    return Effect.succeed(value as Wire.Metadata)
  })

const toolTypes = ["code_interpreter", "file_search", "function"] as const

const tool = (value: unknown, param: string): Validation<Wire.Tool> =>
  Effect.gen(function*() {
    const body = yield* object(value, param)
    const type = yield* requiredString(body, "type")
    yield* oneOf(type, `${param}.type`, toolTypes)
    if (type === "function") {
      const definition = yield* requiredObject(body, "function", `${param}.function`)
      yield* requiredString(definition, "name")
    }
    return body as unknown as Wire.Tool
  })

/**
 * At most 20 tools, each a code interpreter, a file search or a named function.
 *
 * @internal
 */
export const tools = (body: Body): Validation<ReadonlyArray<Wire.Tool> | undefined> =>
  Effect.flatMap(optionalArray(body, "tools"), (value) => {
    if (value === undefined) return Effect.succeed(undefined)
    if (value.length > 20) return Effect.fail(Errors.tooLong("tools", "array", 20, value.length))
    return Effect.forEach(value, (item, index) => tool(item, `tools[${index}]`))
  })

/**
 * A message to add to a thread, validated: `createMessage`'s body, a message of `createThread`, or one of a run's
 * `additional_messages` / `thread.messages`.
 *
 * @internal
 */
export interface NewMessage {
  readonly role: "user" | "assistant"
  readonly content: ReadonlyArray<Wire.MessageContent>
  readonly attachments: ReadonlyArray<Wire.Attachment>
  readonly metadata: Wire.Metadata | undefined
}

/** The longest text a message may carry, in characters, as on the real API. */
const maxContentLength = 256_000

const text = (value: string, param: string): Validation<Wire.MessageText> =>
  value.length > maxContentLength
    ? Effect.fail(Errors.tooLong(param, "string", maxContentLength, value.length))
    : Effect.succeed(Objects.textContent(value))

const details = ["auto", "low", "high"] as const

const contentPart = (value: unknown, param: string): Validation<Wire.MessageContent> =>
  Effect.gen(function*() {
    const part = yield* object(value, param)
    const type = yield* requiredString(part, "type", `${param}.type`)
    yield* oneOf(type, `${param}.type`, ["image_file", "image_url", "text"] as const)
    if (type === "text") {
      yield* onlyKeys(part, ["type", "text"], `${param}.`)
      return yield* text(yield* requiredString(part, "text", `${param}.text`), `${param}.text`)
    }
    const key = type === "image_file" ? "image_file" : "image_url"
    const target = key === "image_file" ? "file_id" : "url"
    yield* onlyKeys(part, ["type", key], `${param}.`)
    const image = yield* requiredObject(part, key, `${param}.${key}`)
    yield* onlyKeys(image, [target, "detail"], `${param}.${key}.`)
    const reference = yield* requiredString(image, target, `${param}.${key}.${target}`)
    const detail = yield* oneOf(
      yield* optionalString(image, "detail", `${param}.${key}.detail`),
      `${param}.${key}.detail`,
      details
    )
    const fields = { [target]: reference, ...(detail === undefined ? {} : { detail }) }
    return { type: key, [key]: fields } as unknown as Wire.MessageContent
  })

/** `content`: a string, or at least one part (text, image file, image URL). */
const content = (body: Body, param: string): Validation<ReadonlyArray<Wire.MessageContent>> => {
  const value = body.content
  if (value === undefined || value === null) return Effect.fail(Errors.missingParameter(param))
  if (typeof value === "string") return Effect.map(text(value, param), (part) => [part])
  if (!Array.isArray(value)) {
    return Effect.fail(Errors.invalidType(param, "one of a string or array of objects", describe(value)))
  }
  if (value.length === 0) return Effect.fail(Errors.emptyArray(param))
  return Effect.forEach(value, (part, index) => contentPart(part, `${param}[${index}]`))
}

const attachmentTools = ["code_interpreter", "file_search"] as const

const attachment = (value: unknown, param: string): Validation<Wire.Attachment> =>
  Effect.gen(function*() {
    const body = yield* object(value, param)
    yield* onlyKeys(body, ["file_id", "tools"], `${param}.`)
    const file_id = yield* requiredString(body, "file_id", `${param}.file_id`)
    const tools = yield* Effect.forEach(
      (yield* optionalArray(body, "tools", `${param}.tools`)) ?? [],
      (item, index) =>
        Effect.gen(function*() {
          const path = `${param}.tools[${index}]`
          const tool = yield* object(item, path)
          yield* onlyKeys(tool, ["type"], `${path}.`)
          const type = yield* oneOf(
            yield* requiredString(tool, "type", `${path}.type`),
            `${path}.type`,
            attachmentTools
          )
          return { type: type! }
        })
    )
    return { file_id, tools }
  })

/**
 * One message; `prefix` is where it sits in the body (`""` for createMessage's, `messages[0].` in a list).
 *
 * @internal
 */
export const message = (body: Body, prefix = ""): Validation<NewMessage> =>
  Effect.gen(function*() {
    yield* onlyKeys(body, ["role", "content", "attachments", "metadata"], prefix)
    const role = yield* oneOf(
      yield* requiredString(body, "role", `${prefix}role`),
      `${prefix}role`,
      [
        "user",
        "assistant"
      ] as const
    )
    const parts = yield* content(body, `${prefix}content`)
    const attachments = yield* Effect.forEach(
      (yield* optionalArray(body, "attachments", `${prefix}attachments`)) ?? [],
      (item, index) => attachment(item, `${prefix}attachments[${index}]`)
    )
    return {
      role: role!,
      content: parts,
      attachments,
      metadata: yield* metadata(body, "metadata", `${prefix}metadata`)
    }
  })

/**
 * Messages to add to a thread (`messages` of createThread, `additional_messages`, `thread.messages`).
 *
 * @internal
 */
export const messages = (body: Body, key: string, prefix = ""): Validation<ReadonlyArray<NewMessage>> =>
  Effect.flatMap(
    optionalArray(body, key, prefix + key),
    (value) =>
      Effect.forEach(value ?? [], (item, index) => {
        const param = `${prefix}${key}[${index}]`
        return Effect.flatMap(object(item, param), (fields) => message(fields, `${param}.`))
      })
  )

const includable = ["step_details.tool_calls[*].file_search.results[*].content"] as const

/**
 * The `include[]` query parameter of createRun, listRunSteps and getRunStep.
 *
 * @internal
 */
export const include = (query: URLSearchParams): Validation<void> =>
  Effect.forEach(query.getAll("include[]"), (value, index) => oneOf(value, `include[${index}]`, includable), {
    discard: true
  })

/**
 * `tool_choice`: `none`, `auto`, `required`, or `{ type, function?: { name } }` naming a tool.
 *
 * @internal
 */
export const toolChoice = (body: Body): Validation<unknown> => {
  const value = body.tool_choice
  if (value === undefined || value === null) return Effect.succeed(undefined)
  if (typeof value === "string") return oneOf(value, "tool_choice", ["none", "auto", "required"] as const)
  if (!isObject(value)) {
    return Effect.fail(Errors.invalidType("tool_choice", "a string or an object", describe(value)))
  }
  return Effect.gen(function*() {
    yield* onlyKeys(value, ["type", "function"], "tool_choice.")
    const type = yield* requiredString(value, "type", "tool_choice.type")
    yield* oneOf(type, "tool_choice.type", toolTypes)
    if (type === "function") {
      const definition = yield* requiredObject(value, "function", "tool_choice.function")
      yield* requiredString(definition, "name", "tool_choice.function.name")
    }
    return value
  })
}

/**
 * `response_format`: `auto`, or `{ type: "text" | "json_object" }`, or `{ type: "json_schema", json_schema: { name,
 * … } }`.
 *
 * @internal
 */
export const responseFormat = (body: Body): Validation<unknown> => {
  const value = body.response_format
  if (value === undefined || value === null) return Effect.succeed(undefined)
  if (typeof value === "string") return oneOf(value, "response_format", ["auto"] as const)
  if (!isObject(value)) {
    return Effect.fail(Errors.invalidType("response_format", "a string or an object", describe(value)))
  }
  return Effect.gen(function*() {
    const type = yield* requiredString(value, "type", "response_format.type")
    yield* oneOf(type, "response_format.type", ["text", "json_object", "json_schema"] as const)
    if (type === "json_schema") {
      const schema = yield* requiredObject(value, "json_schema", "response_format.json_schema")
      yield* requiredString(schema, "name", "response_format.json_schema.name")
    }
    return value
  })
}

/**
 * `truncation_strategy`: `{ type: "auto" | "last_messages", last_messages?: integer >= 1 | null }`.
 *
 * @internal
 */
export const truncationStrategy = (body: Body): Validation<Body | undefined> =>
  Effect.flatMap(optionalObject(body, "truncation_strategy"), (value) => {
    if (value === undefined) return Effect.succeed(undefined)
    return Effect.gen(function*() {
      yield* onlyKeys(value, ["type", "last_messages"], "truncation_strategy.")
      const type = yield* requiredString(value, "type", "truncation_strategy.type")
      yield* oneOf(type, "truncation_strategy.type", ["auto", "last_messages"] as const)
      yield* optionalNumber(value, "last_messages", { kind: "integer", min: 1 }, "truncation_strategy.last_messages")
      return value
    })
  })

const reasoningEfforts = ["none", "minimal", "low", "medium", "high", "xhigh", "max"] as const

/**
 * `reasoning_effort`: one of the spec's `ReasoningEffort` values, or `null`.
 *
 * @internal
 */
export const reasoningEffort = (body: Body): Validation<string | undefined> =>
  Effect.flatMap(
    optionalString(body, "reasoning_effort"),
    (value) => oneOf(value, "reasoning_effort", reasoningEfforts)
  )
