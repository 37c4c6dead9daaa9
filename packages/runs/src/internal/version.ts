// Written by scripts/version.ts from packages/runs/package.json: do not edit.

/** @internal */
export const libraryVersion = "0.1.0"

/** @internal */
export const userAgent = `effect-openai-runs/${libraryVersion}`
