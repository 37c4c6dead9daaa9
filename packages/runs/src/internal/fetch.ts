/**
 * The decoded body of a call, for the services that need only that.
 *
 * @internal
 */
import * as Effect from "effect/Effect"
import type * as Schema from "effect/Schema"
import type { ApiRequest } from "../ApiCall.js"
import type * as OpenAiClient from "../OpenAiClient.js"
import type * as Page from "../Page.js"
import type * as RunsError from "../RunsError.js"
import { checkPageSize } from "./paginate.js"

/**
 * Sends `request` through `client` and gives its body decoded with `schema`.
 *
 * @internal
 */
export const fetchWith =
  (client: OpenAiClient.Service) =>
  <A, I>(request: ApiRequest, schema: Schema.Schema<A, I>): Effect.Effect<A, RunsError.RunsError> =>
    Effect.map(client.execute(request, schema), (response) => response.value)

/**
 * Sends a list request and gives its page, checked against the `limit` asked for (at most that many items, never more
 * than 100): a server that ignores `limit` gets a `ResponseDecodeError`, not a page of any size.
 *
 * @internal
 */
export const fetchPageWith = (client: OpenAiClient.Service) =>
<A, I>(
  request: ApiRequest,
  schema: Schema.Schema<Page.Page<A>, I>,
  limit: number | undefined
): Effect.Effect<Page.Page<A>, RunsError.RunsError> =>
  Effect.flatMap(client.execute(request, schema), (response) => checkPageSize(response, limit))
