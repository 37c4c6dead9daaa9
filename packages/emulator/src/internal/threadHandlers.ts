import * as Effect from "effect/Effect"
import type * as Wire from "../Wire.js"
import type { Handler } from "./handler.js"
import * as Objects from "./objects.js"
import * as Reply from "./reply.js"
import * as Requests from "./requests.js"
import * as Store from "./store.js"

/** @internal */
export const create: Handler = (env, request) =>
  Effect.gen(function*() {
    const body = yield* Requests.createThread(request.body)
    const at = Date.now()
    const thread = Store.addThread(
      env.store,
      Objects.thread({ metadata: body.metadata, tool_resources: body.toolResources }, at)
    )
    for (const message of body.messages) Store.addMessage(thread, message, at)
    return Reply.json(200, thread.thread)
  })

/** @internal */
export const retrieve: Handler = (env, request) =>
  Effect.map(Store.thread(env.store, request.params.thread_id!), (thread) => Reply.json(200, thread.thread))

/** @internal */
export const modify: Handler = (env, request) =>
  Effect.gen(function*() {
    const body = yield* Requests.modifyThread(request.body)
    const thread = yield* Store.thread(env.store, request.params.thread_id!)
    const current = thread.thread
    thread.thread = {
      ...current,
      metadata: body.metadata ?? current.metadata,
      tool_resources: body.toolResources === undefined
        ? current.tool_resources
        : { ...current.tool_resources, ...body.toolResources }
    }
    return Reply.json(200, thread.thread)
  })

/** @internal */
export const remove: Handler = (env, request) =>
  Effect.map(Store.thread(env.store, request.params.thread_id!), (thread) => {
    Store.removeThread(env.store, thread.thread.id)
    const deleted: Wire.ThreadDeleted = { id: thread.thread.id, object: "thread.deleted", deleted: true }
    return Reply.json(200, deleted)
  })
