/**
 * The options an emulator is made with.
 *
 * @since 0.1.0
 */
import type * as Lifecycle from "./Lifecycle.js"

/**
 * What an emulator answers, whatever carries its requests: the options of `Emulator.makeInProcess`.
 *
 * @since 0.1.0
 * @category models
 */
export interface InProcessOptions {
  /** The bearer token accepted. Default `"sk-emulator"`. */
  readonly apiKey?: string
  /**
   * The header the key is read from, alone, as Azure-style servers take it (`"api-key"`). Default: the bearer token
   * of `Authorization`. Either way the request log shows it as `<redacted>`.
   */
  readonly apiKeyHeader?: string
  /** When runs move. Default `{ mode: "perRequest", stepsPerPoll: 1 }`. */
  readonly lifecycle?: Lifecycle.Lifecycle
  /** The `openai-poll-after-ms` header of run responses. Default `500`. */
  readonly pollAfterMs?: number
  /** How streaming answers (`stream: true`) are written. Default: one write per event, at once. */
  readonly streaming?: StreamingOptions
}

/**
 * The options of `Emulator.make`: what it answers, and where it listens.
 *
 * @since 0.1.0
 * @category models
 */
export interface EmulatorOptions extends InProcessOptions {
  /** Default `0`: an ephemeral port. */
  readonly port?: number
  /** Default `"127.0.0.1"`. */
  readonly host?: string
}

/**
 * How streaming answers are written.
 *
 * @since 0.1.0
 * @category models
 */
export interface StreamingOptions {
  /** Cut the output into writes of at most this many bytes, so that events (and characters) span writes. */
  readonly chunkBytes?: number
  /** Wait this long between events, in real time (for live demos, or to interrupt a stream midway). */
  readonly eventDelayMs?: number
}
