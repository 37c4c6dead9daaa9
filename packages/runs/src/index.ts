/**
 * An Effect client for the OpenAI Assistants Runs API.
 *
 * @since 0.1.0
 */

/**
 * The authenticated HTTP client: base URL, headers, timeouts, retries, typed failures.
 *
 * @since 0.1.0
 */
export * as OpenAiClient from "./OpenAiClient.js"

/**
 * The Run object and its parts, as Schemas; status predicates.
 *
 * @since 0.1.0
 */
export * as Run from "./Run.js"

/**
 * The inputs of the operations, as Schemas that check them before sending.
 *
 * @since 0.1.0
 */
export * as RunRequest from "./RunRequest.js"

/**
 * Every typed error of the client.
 *
 * @since 0.1.0
 */
export * as RunsError from "./RunsError.js"

/**
 * The Runs API service, its layers and its in-memory test layer.
 *
 * @since 0.1.0
 */
export * as RunsService from "./RunsService.js"

/**
 * Cursor-paginated lists.
 *
 * @since 0.1.0
 */
export * as Page from "./Page.js"

/**
 * Run steps and their details, as Schemas.
 *
 * @since 0.1.0
 */
export * as RunStep from "./RunStep.js"

/**
 * The events of a streamed run, as a Schema-decoded union.
 *
 * @since 0.1.0
 */
export * as AssistantStreamEvent from "./AssistantStreamEvent.js"

/**
 * Threads, messages and streamed deltas, as Schemas.
 *
 * @since 0.1.0
 */
export * as Message from "./Message.js"

/**
 * Helpers over a run's event stream: `finalRun`, `textDeltas`, `toolCalls`.
 *
 * @since 0.1.0
 */
export * as RunStream from "./RunStream.js"

/**
 * Typed function tools for `RunsService.runTools`.
 *
 * @since 0.1.0
 */
export * as RunTools from "./RunTools.js"
