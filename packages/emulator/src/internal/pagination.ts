import * as Effect from "effect/Effect"
import type * as Wire from "../Wire.js"
import * as Errors from "./errors.js"

/** @internal */
export interface PageQuery {
  readonly limit: number
  readonly order: "asc" | "desc"
  readonly after: string | null
  readonly before: string | null
}

const limit = (raw: string | null): Effect.Effect<number, Errors.ApiError> => {
  if (raw === null) return Effect.succeed(20)
  const value = Number(raw)
  if (raw.trim() === "" || !Number.isInteger(value)) {
    return Effect.fail(Errors.invalidType("limit", "an integer", "a string"))
  }
  if (value < 1) return Effect.fail(Errors.outOfRange("limit", "integer", "min", 1, value))
  if (value > 100) return Effect.fail(Errors.outOfRange("limit", "integer", "max", 100, value))
  return Effect.succeed(value)
}

const order = (raw: string | null): Effect.Effect<"asc" | "desc", Errors.ApiError> =>
  raw === null || raw === "desc"
    ? Effect.succeed("desc")
    : raw === "asc"
    ? Effect.succeed("asc")
    : Effect.fail(Errors.invalidValue("order", raw, ["asc", "desc"]))

/**
 * The `limit` (1–100, default 20), `order` (default `desc`), `after` and `before` query parameters.
 *
 * @internal
 */
export const query = (params: URLSearchParams): Effect.Effect<PageQuery, Errors.ApiError> =>
  Effect.all({
    limit: limit(params.get("limit")),
    order: order(params.get("order")),
    after: Effect.succeed(params.get("after")),
    before: Effect.succeed(params.get("before"))
  })

const emptyPage = { object: "list", data: [], first_id: null, last_id: null, has_more: false } as const

/**
 * One page of `items` (given oldest first) with the real cursor semantics: `after` pages away from the cursor in
 * the requested order, `before` returns the `limit` items just before it; `has_more` says whether items remain
 * beyond the page on the side it moves to. An unknown cursor gives an empty page.
 *
 * @internal
 */
export const page = <A extends { readonly id: string; readonly created_at: number }>(
  items: ReadonlyArray<A>,
  query: PageQuery
): Wire.List<A> => {
  const ascending = items.map((item, index) => ({ item, index })).sort((a, b) =>
    a.item.created_at - b.item.created_at || a.index - b.index
  ).map(({ item }) => item)
  const ordered = query.order === "asc" ? ascending : ascending.reverse()
  const position = (id: string | null, otherwise: number) =>
    id === null ? otherwise : ordered.findIndex((item) => item.id === id)
  const afterIndex = position(query.after, -1)
  const beforeIndex = position(query.before, ordered.length)
  if ((query.after !== null && afterIndex < 0) || (query.before !== null && beforeIndex < 0)) return emptyPage
  const window = ordered.slice(afterIndex + 1, Math.max(afterIndex + 1, beforeIndex))
  const data = query.before !== null && query.after === null ? window.slice(-query.limit) : window.slice(0, query.limit)
  if (data.length === 0) return emptyPage
  return {
    object: "list",
    data,
    first_id: data[0]!.id,
    last_id: data[data.length - 1]!.id,
    has_more: window.length > data.length
  }
}
