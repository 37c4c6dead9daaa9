/**
 * The Threads API as an Effect service: create, retrieve, modify and delete the threads that messages and runs
 * belong to. Every operation is traced, its inputs are checked before anything is sent, and its failures are typed.
 *
 * @since 0.2.0
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import type * as Config from "effect/Config"
import type * as ConfigError from "effect/ConfigError"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Checks from "./internal/checks.js"
import { fetchWith } from "./internal/fetch.js"
import * as Requests from "./internal/threadRequests.js"
import * as OpenAiClient from "./OpenAiClient.js"
import type * as RunsError from "./RunsError.js"
import * as Thread from "./Thread.js"
import * as ThreadRequest from "./ThreadRequest.js"

/**
 * The operations on threads.
 *
 * @since 0.2.0
 * @category models
 */
export interface Service {
  /**
   * Creates a thread (`POST /threads`): empty, or with the messages it starts with, its tools' resources and its
   * metadata. Never re-sent where it could create a second thread.
   *
   * @example
   * ```ts
   * import { Effect } from "effect"
   * import { ThreadsService } from "@effect-openai/runs"
   *
   * const thread = Effect.flatMap(ThreadsService.ThreadsService, (threads) =>
   *   threads.createThread({ messages: [{ role: "user", content: "Hello!" }], metadata: { user_id: "u_1" } }))
   * ```
   */
  readonly createThread: (
    params?: ThreadRequest.CreateThreadRequest
  ) => Effect.Effect<Thread.Thread, RunsError.RunsError>
  /**
   * Retrieves a thread (`GET /threads/{thread_id}`).
   *
   * @example
   * ```ts
   * import { Effect } from "effect"
   * import { ThreadsService } from "@effect-openai/runs"
   *
   * const metadata = Effect.flatMap(ThreadsService.ThreadsService, (threads) =>
   *   Effect.map(threads.getThread("thread_abc123"), (thread) => thread.metadata))
   * ```
   */
  readonly getThread: (threadId: string) => Effect.Effect<Thread.Thread, RunsError.RunsError>
  /**
   * Modifies a thread (`POST /threads/{thread_id}`): its metadata (replaced whole) and its tools' resources.
   *
   * @example
   * ```ts
   * import { Effect } from "effect"
   * import { ThreadsService } from "@effect-openai/runs"
   *
   * const tagged = Effect.flatMap(ThreadsService.ThreadsService, (threads) =>
   *   threads.modifyThread("thread_abc123", { metadata: { topic: "billing" } }))
   * ```
   */
  readonly modifyThread: (
    threadId: string,
    params: ThreadRequest.ModifyThreadRequest
  ) => Effect.Effect<Thread.Thread, RunsError.RunsError>
  /**
   * Deletes a thread with its messages and runs (`DELETE /threads/{thread_id}`).
   *
   * @example
   * ```ts
   * import { Effect } from "effect"
   * import { ThreadsService } from "@effect-openai/runs"
   *
   * const deleted = Effect.flatMap(ThreadsService.ThreadsService, (threads) =>
   *   Effect.map(threads.deleteThread("thread_abc123"), (answer) => answer.deleted))
   * ```
   */
  readonly deleteThread: (threadId: string) => Effect.Effect<Thread.ThreadDeleted, RunsError.RunsError>
}

/**
 * The service tag.
 *
 * @since 0.2.0
 * @category tags
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { ThreadsService } from "@effect-openai/runs"
 *
 * const threadId = Effect.gen(function*() {
 *   const threads = yield* ThreadsService.ThreadsService
 *   const thread = yield* threads.createThread()
 *   return thread.id
 * })
 * ```
 */
export class ThreadsService extends Context.Tag("@effect-openai/runs/ThreadsService")<ThreadsService, Service>() {}

const checkCreateThread = Checks.validator(ThreadRequest.CreateThreadRequest)
const checkModifyThread = Checks.validator(ThreadRequest.ModifyThreadRequest)

/**
 * Builds the service over the {@link OpenAiClient.OpenAiClient} in context.
 *
 * @since 0.2.0
 * @category constructors
 * @example
 * ```ts
 * import { Layer } from "effect"
 * import { ThreadsService } from "@effect-openai/runs"
 *
 * // What ThreadsService.layer is
 * const ThreadsLive = Layer.effect(ThreadsService.ThreadsService, ThreadsService.make)
 * ```
 */
export const make: Effect.Effect<Service, never, OpenAiClient.OpenAiClient> = Effect.map(
  OpenAiClient.OpenAiClient,
  (client): Service => {
    const fetch = fetchWith(client)

    return {
      createThread: (params = {}) =>
        Effect.flatMap(checkCreateThread("params", params), (body) => fetch(Requests.createThread(body), Thread.Thread))
          .pipe(
            Effect.tap((thread) => Effect.annotateCurrentSpan("openai.thread_id", thread.id)),
            Checks.traced("ThreadsService.createThread", {})
          ),
      getThread: (threadId) =>
        Checks.operation(
          "ThreadsService.getThread",
          { threadId },
          () => fetch(Requests.getThread(threadId), Thread.Thread)
        ),
      modifyThread: (threadId, params) =>
        Checks.operation("ThreadsService.modifyThread", { threadId }, () =>
          Effect.flatMap(
            checkModifyThread("params", params),
            (body) => fetch(Requests.modifyThread(threadId, body), Thread.Thread)
          )),
      deleteThread: (threadId) =>
        Checks.operation(
          "ThreadsService.deleteThread",
          { threadId },
          () => fetch(Requests.deleteThread(threadId), Thread.ThreadDeleted)
        )
    }
  }
)

/**
 * The service over the {@link OpenAiClient.OpenAiClient} layer you provide: give it the same client as
 * `RunsService.layer` and `MessagesService.layer`.
 *
 * @since 0.2.0
 * @category layers
 * @example
 * ```ts
 * import { FetchHttpClient } from "@effect/platform"
 * import { Layer, Redacted } from "effect"
 * import { MessagesService, OpenAiClient, RunsService, ThreadsService } from "@effect-openai/runs"
 *
 * const AssistantsLive = Layer.mergeAll(RunsService.layer, ThreadsService.layer, MessagesService.layer).pipe(
 *   Layer.provide(OpenAiClient.layer({ apiKey: Redacted.make("sk-...") })),
 *   Layer.provide(FetchHttpClient.layer)
 * )
 * ```
 */
export const layer: Layer.Layer<ThreadsService, never, OpenAiClient.OpenAiClient> = Layer.effect(ThreadsService, make)

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
 * import { ThreadsService } from "@effect-openai/runs"
 *
 * const ThreadsLive = ThreadsService.layerConfig().pipe(Layer.provide(FetchHttpClient.layer))
 * ```
 */
export const layerConfig = (
  options?: Config.Config.Wrap<OpenAiClient.OpenAiClientOptions>
): Layer.Layer<ThreadsService, ConfigError.ConfigError | RunsError.InvalidOptionError, HttpClient.HttpClient> =>
  Layer.provide(layer, OpenAiClient.layerConfig(options))
