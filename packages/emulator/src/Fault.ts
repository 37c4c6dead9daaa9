/**
 * One-shot scripted responses: the next request matching a fault gets it instead of the normal answer.
 *
 * @since 0.1.0
 */

/**
 * Which request a fault applies to, and how long to wait before acting.
 *
 * @since 0.1.0
 */
export interface Match {
  /** HTTP method, any case; any method when absent. */
  readonly method?: string
  /** Tested against the URL path including `/v1`, e.g. `/v1/threads/thread_abc/runs`; any path when absent. */
  readonly path?: RegExp
  /** Wait this long before answering (or resetting). */
  readonly delayMs?: number
}

/**
 * Answer with this status, headers and body. A string body is sent as is, anything else JSON-encoded.
 * `content-type: application/json` and `x-request-id` are added unless given.
 *
 * @since 0.1.0
 */
export interface Respond extends Match {
  readonly kind?: "respond"
  readonly status: number
  readonly headers?: Readonly<Record<string, string>>
  readonly body?: unknown
}

/**
 * Destroy the connection without answering.
 *
 * @since 0.1.0
 */
export interface Reset extends Match {
  readonly kind: "reset"
}

/**
 * @since 0.1.0
 */
export type Fault = Respond | Reset
