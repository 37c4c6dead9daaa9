/**
 * The inputs of the Runs API operations, as Schemas that check them before anything is sent.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"

/** Characters that would change the meaning of a path segment, or make a header/log line ambiguous. */
const forbiddenInId = /[/?#%\s\p{Cc}]/u

/**
 * An object id (`thread_…`, `run_…`, `step_…`): 1–128 characters, not `.` or `..`, and none of `/ ? # %`,
 * whitespace or control characters, so it always stays exactly one path segment.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Id = Schema.String.pipe(
  Schema.filter((id) => {
    if (id.length === 0) return "must not be empty"
    if (id.length > 128) return "must be at most 128 characters"
    if (id === "." || id === "..") return "must not be . or .."
    if (forbiddenInId.test(id)) return "must not contain /, ?, #, %, whitespace or control characters"
    return true
  }, { identifier: "Id" })
)

/**
 * Metadata as a request may send it: at most 16 pairs, keys of 1–64 characters, string values of at most 512.
 *
 * @since 0.1.0
 * @category schemas
 */
export const MetadataParam = Schema.Record({
  key: Schema.String.pipe(
    Schema.filter((key) => key.length >= 1 && key.length <= 64 || "keys must be 1 to 64 characters")
  ),
  value: Schema.String.pipe(Schema.maxLength(512, { message: () => "values must be at most 512 characters" }))
}).pipe(
  Schema.filter((metadata) => Object.keys(metadata).length <= 16 || "must have at most 16 pairs", {
    identifier: "Metadata"
  })
)

/**
 * The body of `modifyRun`: only `metadata` may change (`null` clears it).
 *
 * @since 0.1.0
 * @category schemas
 */
export const ModifyRunRequest = Schema.Struct({
  metadata: Schema.optional(Schema.NullOr(MetadataParam))
})

/**
 * @since 0.1.0
 * @category models
 */
export type ModifyRunRequest = typeof ModifyRunRequest.Type
