/**
 * The decoded body of a call, for the services that need only that.
 *
 * @internal
 */
import * as Effect from "effect/Effect"
import type * as Schema from "effect/Schema"
import type { ApiRequest } from "../ApiCall.js"
import type * as OpenAiClient from "../OpenAiClient.js"
import type * as RunsError from "../RunsError.js"

/**
 * Sends `request` through `client` and gives its body decoded with `schema`.
 *
 * @internal
 */
export const fetchWith =
  (client: OpenAiClient.Service) =>
  <A, I>(request: ApiRequest, schema: Schema.Schema<A, I>): Effect.Effect<A, RunsError.RunsError> =>
    Effect.map(client.execute(request, schema), (response) => response.value)
