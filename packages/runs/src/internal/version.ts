/** @internal */
export const libraryVersion = "0.1.0"

/** @internal */
export const userAgent = `effect-openai-runs/${libraryVersion}`
