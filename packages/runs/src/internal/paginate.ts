/**
 * Following the cursors of a list, page after page.
 *
 * @internal
 */
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import type * as Page from "../Page.js"
import type * as RunRequest from "../RunRequest.js"
import * as RunsError from "../RunsError.js"

/**
 * Every item of a list, fetching pages lazily until `has_more` is false: `before` (without `after`) pages backwards
 * from each page's first id, anything else forwards from its last id.
 *
 * @internal
 */
export const paginate = <A, P extends RunRequest.ListParams, E>(
  params: P,
  fetchPage: (params: P) => Effect.Effect<Page.Page<A>, E>
): Stream.Stream<A, E> =>
  Stream.paginateChunkEffect(params, (current) =>
    Effect.map(fetchPage(current), (page) => {
      const backwards = current.before !== undefined && current.after === undefined
      const cursor = backwards ? page.first_id : page.last_id
      const next: Option.Option<P> = page.has_more && cursor !== null && page.data.length > 0
        ? Option.some(backwards ? { ...current, before: cursor } : { ...current, after: cursor })
        : Option.none()
      return [Chunk.unsafeFromArray(page.data), next] as const
    }))

/**
 * The most items a page may hold: the API's largest `limit`.
 *
 * @internal
 */
export const maxPageSize = 100

/**
 * A decoded page checked against what was asked: at most `limit` items (when given) and never more than 100. A
 * server that ignores `limit` gets a {@link RunsError.ResponseDecodeError} at `data`, with the status, request id
 * and attempts of the answer, instead of a page of any size.
 *
 * @internal
 */
export const checkPageSize = <A>(
  response: {
    readonly value: Page.Page<A>
    readonly status: number
    readonly requestId: string | null
    readonly attempts: number
  },
  limit: number | undefined
): Either.Either<Page.Page<A>, RunsError.ResponseDecodeError> => {
  const most = Math.min(limit ?? maxPageSize, maxPageSize)
  const count = response.value.data.length
  if (count <= most) return Either.right(response.value)
  return Either.left(
    new RunsError.ResponseDecodeError({
      message: `The page holds ${count} items, more than the ${most} asked for`,
      path: ["data"],
      body: `{"object":"list","data":[… ${count} items …]}`,
      status: response.status,
      requestId: response.requestId,
      attempts: response.attempts
    })
  )
}
