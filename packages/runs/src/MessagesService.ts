/**
 * The Messages API as an Effect service: add messages to a thread, list, retrieve, modify and delete them, and read
 * a run's answer in one call (`getRunText`). Every operation is traced, its inputs are checked before anything is
 * sent, and its failures are typed.
 *
 * @since 0.2.0
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import * as Chunk from "effect/Chunk"
import type * as Config from "effect/Config"
import type * as ConfigError from "effect/ConfigError"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Stream from "effect/Stream"
import * as Checks from "./internal/checks.js"
import { fetchPageWith, fetchWith } from "./internal/fetch.js"
import * as Requests from "./internal/messageRequests.js"
import { paginate } from "./internal/paginate.js"
import * as Message from "./Message.js"
import * as MessageRequest from "./MessageRequest.js"
import * as OpenAiClient from "./OpenAiClient.js"
import * as Page from "./Page.js"
import type * as RunsError from "./RunsError.js"

/**
 * The operations on the messages of a thread.
 *
 * @since 0.2.0
 * @category models
 */
export interface Service {
  /**
   * Adds a message to a thread (`POST /threads/{thread_id}/messages`). The server refuses it while a run of the
   * thread is active (`BadRequestError`). Never re-sent where it could be added twice.
   *
   * @example
   * ```ts
   * import { Effect } from "effect"
   * import { MessagesService } from "@effect-openai/runs"
   *
   * const asked = Effect.flatMap(MessagesService.MessagesService, (messages) =>
   *   messages.createMessage("thread_abc123", { role: "user", content: "What is the capital of France?" }))
   * ```
   */
  readonly createMessage: (
    threadId: string,
    params: MessageRequest.CreateMessageRequest
  ) => Effect.Effect<Message.Message, RunsError.RunsError>
  /**
   * One page of a thread's messages (`GET /threads/{thread_id}/messages`), newest first unless `order: "asc"`;
   * `run_id` keeps those a run created.
   *
   * @example
   * ```ts
   * import { Effect } from "effect"
   * import { MessagesService } from "@effect-openai/runs"
   *
   * const latest = Effect.flatMap(MessagesService.MessagesService, (messages) =>
   *   Effect.map(messages.listMessages("thread_abc123", { limit: 1 }), (page) => page.data[0]))
   * ```
   */
  readonly listMessages: (
    threadId: string,
    params?: MessageRequest.ListMessagesParams
  ) => Effect.Effect<Page.Page<Message.Message>, RunsError.RunsError>
  /**
   * Every message of a thread (or of a run, with `run_id`), fetching pages lazily by following the cursors until
   * `has_more` is false.
   *
   * @example
   * ```ts
   * import { Effect, Stream } from "effect"
   * import { Message, MessagesService } from "@effect-openai/runs"
   *
   * const transcript = Effect.flatMap(MessagesService.MessagesService, (messages) =>
   *   messages.listMessagesStream("thread_abc123", { order: "asc" }).pipe(
   *     Stream.map((message) => `${message.role}: ${Message.text(message)}`),
   *     Stream.runCollect
   *   ))
   * ```
   */
  readonly listMessagesStream: (
    threadId: string,
    params?: MessageRequest.ListMessagesParams
  ) => Stream.Stream<Message.Message, RunsError.RunsError>
  /**
   * Retrieves a message (`GET /threads/{thread_id}/messages/{message_id}`).
   *
   * @example
   * ```ts
   * import { Effect } from "effect"
   * import { Message, MessagesService } from "@effect-openai/runs"
   *
   * const text = Effect.flatMap(MessagesService.MessagesService, (messages) =>
   *   Effect.map(messages.getMessage("thread_abc123", "msg_abc123"), Message.text))
   * ```
   */
  readonly getMessage: (threadId: string, messageId: string) => Effect.Effect<Message.Message, RunsError.RunsError>
  /**
   * Replaces a message's metadata (`POST /threads/{thread_id}/messages/{message_id}`).
   *
   * @example
   * ```ts
   * import { Effect } from "effect"
   * import { MessagesService } from "@effect-openai/runs"
   *
   * const flagged = Effect.flatMap(MessagesService.MessagesService, (messages) =>
   *   messages.modifyMessage("thread_abc123", "msg_abc123", { metadata: { flagged: "true" } }))
   * ```
   */
  readonly modifyMessage: (
    threadId: string,
    messageId: string,
    params: MessageRequest.ModifyMessageRequest
  ) => Effect.Effect<Message.Message, RunsError.RunsError>
  /**
   * Deletes a message (`DELETE /threads/{thread_id}/messages/{message_id}`).
   *
   * @example
   * ```ts
   * import { Effect } from "effect"
   * import { MessagesService } from "@effect-openai/runs"
   *
   * const deleted = Effect.flatMap(MessagesService.MessagesService, (messages) =>
   *   Effect.map(messages.deleteMessage("thread_abc123", "msg_abc123"), (answer) => answer.deleted))
   * ```
   */
  readonly deleteMessage: (
    threadId: string,
    messageId: string
  ) => Effect.Effect<Message.MessageDeleted, RunsError.RunsError>
  /**
   * The text of a run's answer: the assistant messages the run created, oldest first (every page of
   * `listMessages` with `run_id` and `order: "asc"`), each as {@link Message.text} gives it (its text parts joined
   * with nothing between them), joined with a blank line (`"\n\n"`) between messages. Messages without text (an
   * image only) add nothing, and a run that wrote nothing (or an unknown run) gives `""`. Should a server ignore the
   * `run_id` filter, messages that name another run are dropped.
   *
   * Read it once the run has ended, e.g. after `RunsService.createAndPoll`; while the run is in progress it gives
   * what is written so far. For a run that wrote one message it equals the pieces of `RunStream.textDeltas` joined.
   *
   * @example
   * ```ts
   * import { Console, Effect } from "effect"
   * import { MessagesService, RunsService } from "@effect-openai/runs"
   *
   * const answer = Effect.gen(function*() {
   *   const runs = yield* RunsService.RunsService
   *   const messages = yield* MessagesService.MessagesService
   *   yield* messages.createMessage("thread_abc123", { role: "user", content: "Say hello." })
   *   const run = yield* runs.createAndPoll("thread_abc123", { assistant_id: "asst_abc123" })
   *   yield* Console.log(yield* messages.getRunText(run.thread_id, run.id))
   * })
   * ```
   */
  readonly getRunText: (threadId: string, runId: string) => Effect.Effect<string, RunsError.RunsError>
}

/**
 * The service tag.
 *
 * @since 0.2.0
 * @category tags
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { MessagesService } from "@effect-openai/runs"
 *
 * const answer = Effect.gen(function*() {
 *   const messages = yield* MessagesService.MessagesService
 *   return yield* messages.getRunText("thread_abc123", "run_abc123")
 * })
 * ```
 */
export class MessagesService extends Context.Tag("@effect-openai/runs/MessagesService")<MessagesService, Service>() {}

const checkCreateMessage = Checks.validator(MessageRequest.CreateMessageRequest)
const checkModifyMessage = Checks.validator(MessageRequest.ModifyMessageRequest)
const checkListParams = Checks.validator(MessageRequest.ListMessagesParams)

const MessagePage = Page.Page(Message.Message)

/**
 * How {@link Service.getRunText} joins the texts of a run's messages.
 *
 * @since 0.2.0
 * @category constants
 * @example
 * ```ts
 * import { MessagesService } from "@effect-openai/runs"
 *
 * const paragraphs = (answer: string) => answer.split(MessagesService.runTextSeparator)
 * ```
 */
export const runTextSeparator = "\n\n"

/**
 * The assistant messages of the run, texts joined. A message of another run is dropped even if the server ignored
 * the `run_id` filter (some compatible servers ignore list parameters); one without a `run_id` is kept.
 */
const runText = (messages: Iterable<Message.Message>, runId: string): string =>
  Array.from(messages).filter((message) =>
    message.role === "assistant" && (message.run_id === null || message.run_id === runId)
  ).map(Message.text).filter((text) => text !== "").join(runTextSeparator)

/**
 * Builds the service over the {@link OpenAiClient.OpenAiClient} in context.
 *
 * @since 0.2.0
 * @category constructors
 * @example
 * ```ts
 * import { Layer } from "effect"
 * import { MessagesService } from "@effect-openai/runs"
 *
 * // What MessagesService.layer is
 * const MessagesLive = Layer.effect(MessagesService.MessagesService, MessagesService.make)
 * ```
 */
export const make: Effect.Effect<Service, never, OpenAiClient.OpenAiClient> = Effect.map(
  OpenAiClient.OpenAiClient,
  (client): Service => {
    const fetch = fetchWith(client)
    const fetchPage = fetchPageWith(client)

    const listMessages = (threadId: string, params: MessageRequest.ListMessagesParams = {}) =>
      Checks.operation(
        "MessagesService.listMessages",
        { threadId },
        () =>
          Effect.flatMap(checkListParams("params", params), (checked) =>
            fetchPage(Requests.listMessages(threadId, checked), MessagePage, checked.limit))
      )
    const listMessagesStream = (threadId: string, params: MessageRequest.ListMessagesParams = {}) =>
      paginate(params, (current) => listMessages(threadId, current))

    return {
      createMessage: (threadId, params) =>
        Checks.ids({ threadId }, () =>
          Effect.flatMap(
            checkCreateMessage("params", params),
            (body) => fetch(Requests.createMessage(threadId, body), Message.Message)
          )).pipe(
            Effect.tap((message) => Effect.annotateCurrentSpan("openai.message_id", message.id)),
            Checks.traced("MessagesService.createMessage", { threadId })
          ),
      listMessages,
      listMessagesStream,
      getMessage: (threadId, messageId) =>
        Checks.operation(
          "MessagesService.getMessage",
          { threadId, messageId },
          () => fetch(Requests.getMessage(threadId, messageId), Message.Message)
        ),
      modifyMessage: (threadId, messageId, params) =>
        Checks.operation("MessagesService.modifyMessage", { threadId, messageId }, () =>
          Effect.flatMap(
            checkModifyMessage("params", params),
            (body) => fetch(Requests.modifyMessage(threadId, messageId, body), Message.Message)
          )),
      deleteMessage: (threadId, messageId) =>
        Checks.operation(
          "MessagesService.deleteMessage",
          { threadId, messageId },
          () => fetch(Requests.deleteMessage(threadId, messageId), Message.MessageDeleted)
        ),
      getRunText: (threadId, runId) =>
        Checks.operation("MessagesService.getRunText", { threadId, runId }, () =>
          Effect.map(
            Stream.runCollect(listMessagesStream(threadId, { run_id: runId, order: "asc", limit: 100 })),
            (messages) => runText(Chunk.toReadonlyArray(messages), runId)
          ))
    }
  }
)

/**
 * The service over the {@link OpenAiClient.OpenAiClient} layer you provide: give it the same client as
 * `RunsService.layer` and `ThreadsService.layer`.
 *
 * @since 0.2.0
 * @category layers
 * @example
 * ```ts
 * import { FetchHttpClient } from "@effect/platform"
 * import { Layer, Redacted } from "effect"
 * import { MessagesService, OpenAiClient } from "@effect-openai/runs"
 *
 * const MessagesLive = MessagesService.layer.pipe(
 *   Layer.provide(OpenAiClient.layer({ apiKey: Redacted.make("sk-...") })),
 *   Layer.provide(FetchHttpClient.layer)
 * )
 * ```
 */
export const layer: Layer.Layer<MessagesService, never, OpenAiClient.OpenAiClient> = Layer.effect(
  MessagesService,
  make
)

/**
 * The service with its client configured through Effect `Config` (see {@link OpenAiClient.layerConfig}: the
 * `OPENAI_*` variables by default); it still needs an `HttpClient`.
 *
 * @since 0.2.0
 * @category layers
 * @example
 * ```ts
 * import { FetchHttpClient } from "@effect/platform"
 * import { Layer } from "effect"
 * import { MessagesService } from "@effect-openai/runs"
 *
 * const MessagesLive = MessagesService.layerConfig().pipe(Layer.provide(FetchHttpClient.layer))
 * ```
 */
export const layerConfig = (
  options?: Config.Config.Wrap<OpenAiClient.OpenAiClientOptions>
): Layer.Layer<MessagesService, ConfigError.ConfigError | RunsError.InvalidOptionError, HttpClient.HttpClient> =>
  Layer.provide(layer, OpenAiClient.layerConfig(options))
