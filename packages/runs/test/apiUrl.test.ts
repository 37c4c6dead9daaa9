import { describe, expect, it } from "@effect/vitest"
import { Either } from "effect"
import * as ApiUrl from "../src/internal/apiUrl.js"

describe("apiUrl: exactly what is sent, or refused", () => {
  it("accepts http(s) URLs, without trailing slashes", () => {
    expect(ApiUrl.parse("https://api.openai.com/v1")).toEqual(Either.right("https://api.openai.com/v1"))
    expect(ApiUrl.parse("http://127.0.0.1:4010/v1/")).toEqual(Either.right("http://127.0.0.1:4010/v1"))
    expect(ApiUrl.parse("https://example.test/openai//")).toEqual(Either.right("https://example.test/openai"))
    expect(ApiUrl.parse("http://[::1]:8080/v1")).toEqual(Either.right("http://[::1]:8080/v1"))
  })

  const refused: ReadonlyArray<readonly [string, string, string]> = [
    ["a bare ?", "http://x.test/v1?", "query or fragment"],
    ["a bare #", "http://x.test/v1#", "query or fragment"],
    ["a query", "https://api.test/v1?api-version=1", "query or fragment"],
    ["a fragment", "https://api.test/v1#top", "query or fragment"],
    ["credentials", "https://user:pass@api.test/v1", "credentials"],
    ["empty credentials", "http://:@api.test/v1", "credentials"],
    ["a bare @", "http://@api.test/v1", "credentials"],
    ["a scheme other than http(s)", "ftp://x.test", "http or https"],
    ["a file URL", "file:///etc/passwd", "http or https"],
    ["text that is not a URL", "not a url", "not a valid URL"],
    ["spaces around it", " https://api.test/v1 ", "whitespace"],
    ["a newline inside", "https://api.test/v\n1", "whitespace"],
    ["a tab inside", "https://api.test/\tv1", "whitespace"],
    ["a lone surrogate", "https://api.test/v1/\uD800", "lone surrogates"],
    ["a backslash", "https://api.test\\v1", "backslash"],
    ["no slashes", "http:api.test/v1", "absolute URL"],
    ["three slashes", "http:///api.test/v1", "absolute URL"]
  ]
  for (const [name, raw, reason] of refused) {
    it(`refuses ${name}`, () => {
      const result = ApiUrl.parse(raw)
      expect(Either.isLeft(result) && result.left).toMatchObject({
        _tag: "InvalidOptionError",
        option: "apiUrl",
        message: expect.stringContaining(reason)
      })
    })
  }

  it("a bare ? or # is invisible once parsed: the raw text must be checked", () => {
    expect(new URL("http://x.test/v1?").search).toBe("")
    expect(new URL("http://x.test/v1#").hash).toBe("")
  })
})
