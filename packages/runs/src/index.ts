/**
 * An Effect client for the OpenAI Assistants API: runs, threads and messages.
 *
 * @since 0.1.0
 */

/**
 * The authenticated HTTP client: it builds, sends, retries and decodes every request.
 *
 * @since 0.1.0
 */
export * as OpenAiClient from "./OpenAiClient.js"

/**
 * The data of one API call and of its answer.
 *
 * @since 0.2.0
 */
export * as ApiCall from "./ApiCall.js"

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
 * The Runs API service and its layers.
 *
 * @since 0.1.0
 */
export * as RunsService from "./RunsService.js"

/**
 * How polling waits and when it gives up.
 *
 * @since 0.2.0
 */
export * as Polling from "./Polling.js"

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
 * Messages and streamed deltas, as Schemas; `Message.text`.
 *
 * @since 0.1.0
 */
export * as Message from "./Message.js"

/**
 * The Thread object and the answer to deleting one, as Schemas.
 *
 * @since 0.2.0
 */
export * as Thread from "./Thread.js"

/**
 * The Threads API service and its layers.
 *
 * @since 0.2.0
 */
export * as ThreadsService from "./ThreadsService.js"

/**
 * The inputs of the Threads API operations, as Schemas that check them before sending.
 *
 * @since 0.2.0
 */
export * as ThreadRequest from "./ThreadRequest.js"

/**
 * The Messages API service and its layers; `getRunText`, the text of a run's answer.
 *
 * @since 0.2.0
 */
export * as MessagesService from "./MessagesService.js"

/**
 * The inputs of the Messages API operations, as Schemas that check them before sending.
 *
 * @since 0.2.0
 */
export * as MessageRequest from "./MessageRequest.js"

/**
 * Helpers over a run's event stream: `finalRun`, `textDeltas`, `toolCalls`.
 *
 * @since 0.1.0
 */
export * as RunStream from "./RunStream.js"

/**
 * The tool loop: typed function tools and `RunTools.run`.
 *
 * @since 0.1.0
 */
export * as RunTools from "./RunTools.js"
