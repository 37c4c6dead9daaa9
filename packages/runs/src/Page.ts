/**
 * Cursor-paginated lists (`object: "list"`), and the parameters that page through them.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import { describe } from "./internal/decode.js"
import { nullableOrMissing } from "./Run.js"
import type { ListParams } from "./RunRequest.js"

/**
 * One page of a list: its items, the ids at each end (`null` on an empty page) and whether more follow.
 *
 * @since 0.1.0
 * @category models
 */
export interface Page<A> {
  readonly object: "list"
  readonly data: ReadonlyArray<A>
  readonly first_id: string | null
  readonly last_id: string | null
  readonly has_more: boolean
}

/**
 * The schema of a page of `item`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Page = <A, I, R>(item: Schema.Schema<A, I, R>) =>
  Schema.Struct({
    object: Schema.Literal("list"),
    data: Schema.Array(item),
    first_id: nullableOrMissing(Schema.String),
    last_id: nullableOrMissing(Schema.String),
    has_more: Schema.Boolean
  }).annotations({ identifier: `Page<${describe(item)}>` })

/**
 * The query string of paging parameters.
 *
 * @example
 * ```ts
 * import { Page } from "@effect-openai/runs"
 *
 * Page.toQuery({ limit: 20, order: "asc" }) // [["limit", "20"], ["order", "asc"]]
 * ```
 *
 * @since 0.1.0
 * @category encoding
 */
export const toQuery = (params: ListParams): Array<readonly [string, string]> => {
  const query: Array<readonly [string, string]> = []
  if (params.limit !== undefined) query.push(["limit", String(params.limit)])
  if (params.order !== undefined) query.push(["order", params.order])
  if (params.after !== undefined) query.push(["after", params.after])
  if (params.before !== undefined) query.push(["before", params.before])
  return query
}
