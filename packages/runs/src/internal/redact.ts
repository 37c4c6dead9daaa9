/**
 * Scrubbing of secrets from any text that may end up in an error, a log line or a span.
 *
 * @internal
 */

/** The shortest run of a secret's leading characters that counts as leaking it. */
const minimumLeakedPrefix = 8

const placeholder = "[REDACTED]"

/**
 * A scrubber for one secret: replaces the secret, its base64 form, and any run of eight or more of its leading
 * characters (servers echo masked keys such as `sk-proj-abc…`) with a placeholder.
 *
 * @internal
 */
export const makeScrubber = (secret: string): (text: string) => string => {
  if (secret.length === 0) return (text) => text
  const encoded = Buffer.from(secret, "utf8").toString("base64")
  return (text) => scrubPrefixes(text.split(encoded).join(placeholder), secret)
}

const scrubPrefixes = (text: string, secret: string): string => {
  const first = secret[0]!
  let out = ""
  let index = 0
  while (index < text.length) {
    const next = text.indexOf(first, index)
    if (next === -1) break
    const length = commonPrefixLength(text, next, secret)
    if (length >= Math.min(minimumLeakedPrefix, secret.length)) {
      out += text.slice(index, next) + placeholder
      index = next + length
    } else {
      out += text.slice(index, next + 1)
      index = next + 1
    }
  }
  return out + text.slice(index)
}

const commonPrefixLength = (text: string, start: number, secret: string): number => {
  let length = 0
  while (length < secret.length && start + length < text.length && text[start + length] === secret[length]) {
    length++
  }
  return length
}

/**
 * The first characters of a text, for error messages that quote a body.
 *
 * @internal
 */
export const excerpt = (text: string, maxLength = 512): string =>
  text.length <= maxLength ? text : `${text.slice(0, maxLength)}… (${text.length - maxLength} more characters)`

/**
 * A server-given text field, scrubbed; `null` when it is not a string.
 *
 * @internal
 */
export const scrubOrNull = (text: unknown, scrub: (text: string) => string): string | null =>
  typeof text === "string" ? scrub(text) : null
