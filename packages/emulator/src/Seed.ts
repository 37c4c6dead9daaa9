/**
 * What a test stores in an emulator directly: the options of `seedAssistant` and `seedThread`.
 *
 * @since 0.1.0
 */
import type * as Script from "./Script.js"
import type * as Wire from "./Wire.js"

/**
 * @since 0.1.0
 * @category models
 */
export interface SeedAssistantOptions {
  readonly id?: string
  readonly name?: string | null
  readonly description?: string | null
  /** Default `"gpt-4o"`. */
  readonly model?: string
  /** Default `"You are a helpful assistant."`. */
  readonly instructions?: string | null
  readonly tools?: ReadonlyArray<Wire.Tool>
  readonly metadata?: Wire.Metadata
  /** What its runs do. Default {@link Script.defaultScript}: one message, then `completed`. */
  readonly script?: Script.Script
}

/**
 * @since 0.1.0
 * @category models
 */
export interface SeedThreadOptions {
  readonly id?: string
  readonly metadata?: Wire.Metadata
}
