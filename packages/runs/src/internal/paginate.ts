/**
 * Following the cursors of a list, page after page.
 *
 * @internal
 */
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import type * as Page from "../Page.js"
import type * as RunRequest from "../RunRequest.js"

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
