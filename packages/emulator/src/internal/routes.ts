import * as Effect from "effect/Effect"
import * as Errors from "./errors.js"
import type { Handler } from "./handler.js"
import * as MessageHandlers from "./messageHandlers.js"
import * as RunHandlers from "./runHandlers.js"
import * as StepHandlers from "./stepHandlers.js"
import * as ThreadHandlers from "./threadHandlers.js"

interface Route {
  readonly method: string
  readonly pattern: RegExp
  readonly keys: ReadonlyArray<string>
  readonly handler: Handler
}

const route = (method: string, path: string, handler: Handler): Route => {
  const keys: Array<string> = []
  const source = path.replace(/:(\w+)/g, (_, key: string) => {
    keys.push(key)
    return "([^/]+)"
  })
  return { method, pattern: new RegExp(`^/v1${source}/?$`), keys, handler }
}

// First match wins: `/threads/runs` before `/threads/:thread_id`.
const routes: ReadonlyArray<Route> = [
  route("POST", "/threads", ThreadHandlers.create),
  route("POST", "/threads/runs", RunHandlers.createThreadAndRun),
  route("GET", "/threads/:thread_id", ThreadHandlers.retrieve),
  route("POST", "/threads/:thread_id", ThreadHandlers.modify),
  route("DELETE", "/threads/:thread_id", ThreadHandlers.remove),
  route("POST", "/threads/:thread_id/messages", MessageHandlers.create),
  route("GET", "/threads/:thread_id/messages", MessageHandlers.list),
  route("GET", "/threads/:thread_id/messages/:message_id", MessageHandlers.retrieve),
  route("POST", "/threads/:thread_id/messages/:message_id", MessageHandlers.modify),
  route("DELETE", "/threads/:thread_id/messages/:message_id", MessageHandlers.remove),
  route("POST", "/threads/:thread_id/runs", RunHandlers.create),
  route("GET", "/threads/:thread_id/runs", RunHandlers.list),
  route("GET", "/threads/:thread_id/runs/:run_id", RunHandlers.retrieve),
  route("POST", "/threads/:thread_id/runs/:run_id", RunHandlers.modify),
  route("POST", "/threads/:thread_id/runs/:run_id/cancel", RunHandlers.cancel),
  route("POST", "/threads/:thread_id/runs/:run_id/submit_tool_outputs", RunHandlers.submitToolOutputs),
  route("GET", "/threads/:thread_id/runs/:run_id/steps", StepHandlers.list),
  route("GET", "/threads/:thread_id/runs/:run_id/steps/:step_id", StepHandlers.retrieve)
]

/** @internal */
export interface Match {
  readonly handler: Handler
  readonly params: Readonly<Record<string, string>>
}

/**
 * The handler of a method and path (including `/v1`), or the real API's 404 `Invalid URL (GET /v1/...)`.
 *
 * @internal
 */
export const find = (method: string, path: string): Effect.Effect<Match, Errors.ApiError> => {
  for (const candidate of routes) {
    if (candidate.method !== method) continue
    const found = candidate.pattern.exec(path)
    if (found === null) continue
    const params = Object.fromEntries(candidate.keys.map((key, index) => [key, decodeURIComponent(found[index + 1]!)]))
    return Effect.succeed({ handler: candidate.handler, params })
  }
  return Effect.fail(Errors.invalidUrl(method, path))
}
