/**
 * The check of the `apiUrl` option: the base URL must be exactly what is sent, an absolute http(s) URL without
 * credentials, query or fragment.
 *
 * The raw text is checked as well as the parsed URL, because the WHATWG URL parser forgives a lot silently:
 * `new URL("http://x/v1?").search` is `""` (a bare `?` or `#` would be dropped from the base, and fetch would send
 * `POST /v1` for a path appended after it), `http://:@x` has empty credentials, spaces around the text and tabs or
 * newlines inside it are removed, `\` is read as `/`, and `http:x` or `http:///x` gain the slashes they lack.
 *
 * @internal
 */
import * as Either from "effect/Either"
import * as RunsError from "../RunsError.js"

const invalid = (message: string) => Either.left(new RunsError.InvalidOptionError({ option: "apiUrl", message }))

/** Whitespace, control characters and lone surrogates, which the URL parser drops or replaces without a word. */
const unsendable = /[\s\p{Cc}\p{Cs}]/u

/**
 * The base URL requests go to, from the `apiUrl` option: the parsed URL without trailing slashes, or an
 * {@link RunsError.InvalidOptionError} (`option: "apiUrl"`) saying why not.
 *
 * Refused: a text that is not an absolute URL, a scheme other than http or https, a missing `//` or host, credentials
 * (even empty: any `@` before the path), any `?` or `#` (even bare), a `\`, whitespace, control characters and lone
 * surrogates.
 *
 * @internal
 */
export const parse = (raw: string): Either.Either<string, RunsError.InvalidOptionError> => {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    return invalid("apiUrl is not a valid URL")
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    return invalid(`apiUrl must use http or https, not ${url.protocol}`)
  }
  if (unsendable.test(raw)) {
    return invalid("apiUrl must not contain whitespace, control characters or lone surrogates")
  }
  if (raw.includes("?") || raw.includes("#")) {
    return invalid("apiUrl must not contain a query or fragment (not even a bare ? or #); use queryParams")
  }
  if (raw.includes("\\")) return invalid("apiUrl must not contain a backslash")
  const afterScheme = /^https?:\/\/([^/]*)/i.exec(raw)
  if (afterScheme === null || afterScheme[1] === "") {
    return invalid("apiUrl must be an absolute URL with a host, such as https://api.openai.com/v1")
  }
  if (afterScheme[1]!.includes("@") || url.username !== "" || url.password !== "") {
    return invalid("apiUrl must not contain credentials; pass the key as apiKey")
  }
  return Either.right(url.href.replace(/\/+$/, ""))
}
