/**
 * The requests an emulator keeps, for tests to inspect.
 *
 * @since 0.1.0
 */

/**
 * A request the emulator received, as it arrived; the `authorization` and `api-key` headers (and the emulator's
 * `apiKeyHeader`) read `<redacted>`.
 *
 * @since 0.1.0
 * @category models
 */
export interface RecordedRequest {
  readonly method: string
  /** The URL path, `/v1` included. */
  readonly path: string
  /** A repeated parameter (`include[]`) gives an array. */
  readonly query: Readonly<Record<string, string | ReadonlyArray<string>>>
  /** Lower-case names. */
  readonly headers: Readonly<Record<string, string>>
  readonly body: string
  /** When it arrived (ms since the epoch). */
  readonly time: number
}
