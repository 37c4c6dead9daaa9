/**
 * @since 0.1.0
 */
export * as Emulator from "./Emulator.js"

/**
 * @since 0.2.0
 */
export * as EmulatorError from "./EmulatorError.js"

/**
 * @since 0.1.0
 */
export * as EmulatorHttpClient from "./EmulatorHttpClient.js"

/**
 * @since 0.1.0
 */
export * as Fault from "./Fault.js"

/**
 * @since 0.1.0
 */
export * as Lifecycle from "./Lifecycle.js"

/**
 * @since 0.1.0
 */
export * as Options from "./Options.js"

/**
 * @since 0.1.0
 */
export * as RecordedRequest from "./RecordedRequest.js"

/**
 * @since 0.1.0
 */
export * as Script from "./Script.js"

/**
 * @since 0.1.0
 */
export * as Seed from "./Seed.js"

/**
 * @since 0.1.0
 */
export * as Wire from "./Wire.js"
