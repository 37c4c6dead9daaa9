/**
 * Scrubbing of secrets from any text that may end up in an error, a log line or a span.
 *
 * @internal
 */

/** The shortest run of a secret's leading characters that counts as leaking it. */
const minimumLeakedPrefix = 8

/** The same for an encoded form: 11 base64 characters carry 8 bytes. */
const minimumLeakedEncodedPrefix = 11

const placeholder = "[REDACTED]"

/**
 * The base64 characters that only `secret` decides when it is encoded inside a longer text, starting `offset` bytes
 * (0, 1 or 2) into a 3-byte group: the characters before and after also carry bits of the neighbouring bytes, and
 * differ from text to text. Every base64 text that holds the secret holds one of the three.
 */
const base64Core = (secret: Buffer, offset: number, alphabet: "base64" | "base64url"): string => {
  const encoded = Buffer.concat([Buffer.alloc(offset), secret]).toString(alphabet).replace(/=+$/, "")
  return encoded.slice(Math.ceil((8 * offset) / 6), Math.floor((8 * (offset + secret.length)) / 6))
}

/**
 * The forms of a secret that are scrubbed, with the shortest leading run of each that counts as a leak: the secret
 * itself, and its base64 and base64url encodings at each of the three byte offsets (so `Bearer <key>`, the whole
 * `Authorization` value or any text holding the key is caught once encoded).
 *
 * @internal
 */
export const secretForms = (secret: string): ReadonlyArray<readonly [form: string, minimum: number]> => {
  const bytes = Buffer.from(secret, "utf8")
  const encoded = new Set<string>()
  for (const offset of [0, 1, 2]) {
    for (const alphabet of ["base64", "base64url"] as const) {
      const core = base64Core(bytes, offset, alphabet)
      if (core.length > 0 && core !== secret) encoded.add(core)
    }
  }
  return [
    [secret, Math.min(minimumLeakedPrefix, secret.length)],
    ...Array.from(encoded, (form) => [form, Math.min(minimumLeakedEncodedPrefix, form.length)] as const)
  ]
}

/**
 * A scrubber for one secret: replaces the secret, its base64 and base64url forms (at every byte offset), and any run
 * of the leading characters of one of them long enough to count (8 of the secret: servers echo masked keys such as
 * `sk-proj-abc…`; 11 of an encoding) with a placeholder.
 *
 * Scrub a whole text before cutting it ({@link scrubbedExcerpt}): a cut can leave a piece of a form that is no
 * longer recognisable as one.
 *
 * @internal
 */
export const makeScrubber = (secret: string): (text: string) => string => {
  if (secret.length === 0) return (text) => text
  const forms = secretForms(secret)
  return (text) => {
    let out = text
    for (const [form, minimum] of forms) out = scrubPrefixes(out, form, minimum)
    return out
  }
}

/**
 * Replaces every run of at least `minimum` leading characters of `secret` (the whole of it included). Such a run starts
 * with the first `minimum` characters, which are searched for natively: the cost stays linear and small whatever the
 * text (a text made of the secret's first character only included).
 */
const scrubPrefixes = (text: string, secret: string, minimum: number): string => {
  const head = secret.slice(0, minimum)
  let out = ""
  let copied = 0
  let next = text.indexOf(head)
  while (next !== -1) {
    const length = commonPrefixLength(text, next, secret)
    out += text.slice(copied, next) + placeholder
    copied = next + length
    next = text.indexOf(head, copied)
  }
  return copied === 0 ? text : out + text.slice(copied)
}

const commonPrefixLength = (text: string, start: number, secret: string): number => {
  let length = 0
  while (length < secret.length && start + length < text.length && text[start + length] === secret[length]) {
    length++
  }
  return length
}

/**
 * The first characters of a text, for error messages that quote a body. Cut only a text already scrubbed (see
 * {@link scrubbedExcerpt}).
 *
 * @internal
 */
export const excerpt = (text: string, maxLength = 512): string =>
  text.length <= maxLength ? text : `${text.slice(0, maxLength)}… (${text.length - maxLength} more characters)`

/** How far past the cut a long text is scrubbed: any form starting before the cut is seen with more than enough. */
const scrubMargin = 1024

/**
 * The excerpt of a server text, scrubbed first and then cut: a secret straddling the cut is still recognised. Only
 * the first `maxLength` + 1 KiB of a long text are scrubbed (any form starting before the cut is recognised by its
 * leading characters), so that quoting a large body costs little.
 *
 * @internal
 */
export const scrubbedExcerpt = (text: string, scrub: (text: string) => string, maxLength = 512): string => {
  if (text.length <= maxLength + scrubMargin) return excerpt(scrub(text), maxLength)
  const scrubbed = scrub(text.slice(0, maxLength + scrubMargin))
  return `${scrubbed.slice(0, maxLength)}… (${text.length - maxLength} more characters)`
}

/**
 * A server-given text field, scrubbed; `null` when it is not a string.
 *
 * @internal
 */
export const scrubOrNull = (text: unknown, scrub: (text: string) => string): string | null =>
  typeof text === "string" ? scrub(text) : null
