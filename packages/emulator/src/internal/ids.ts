import { randomBytes, randomInt } from "node:crypto"

const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

/** @internal */
export type Prefix = "run" | "thread" | "asst" | "step" | "msg" | "call" | "vs"

/**
 * An id shaped like the real ones: a prefix, an underscore and 24 alphanumerics.
 *
 * @internal
 */
export const make = (prefix: Prefix): string => {
  let id = `${prefix}_`
  for (let i = 0; i < 24; i++) id += alphabet[randomInt(alphabet.length)]
  return id
}

/** @internal */
export const requestId = (): string => `req_${randomBytes(16).toString("hex")}`
