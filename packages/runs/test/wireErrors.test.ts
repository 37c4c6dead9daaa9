import type { Headers } from "@effect/platform"
import { describe, expect, it } from "@effect/vitest"
import * as WireErrors from "../src/internal/wireErrors.js"

const now = Date.parse("Sun, 06 Nov 1994 08:49:00 GMT")
const advised = (headers: Record<string, string>) => WireErrors.retryAfterMs(headers as Headers.Headers, now)

describe("retry-after is delay-seconds (1*DIGIT) or an HTTP-date, as RFC 9110 says", () => {
  it("digits are seconds; optional whitespace around them is not part of the value", () => {
    expect(advised({ "retry-after": "5" })).toBe(5000)
    expect(advised({ "retry-after": "0" })).toBe(0)
    expect(advised({ "retry-after": " 5\t" })).toBe(5000)
    expect(advised({ "retry-after": "007" })).toBe(7000)
  })

  for (const value of ["0x10", "1e3", "1.5", "-1", "+5", "5s", "5 5", "Infinity", "", " ", "soon", "٥"]) {
    it(`${JSON.stringify(value)} is no advice`, () => {
      expect(advised({ "retry-after": value })).toBeNull()
    })
  }

  it("the three HTTP-date forms count; lenient dates Date.parse would take do not", () => {
    expect(advised({ "retry-after": "Sun, 06 Nov 1994 08:49:37 GMT" })).toBe(37_000)
    expect(advised({ "retry-after": "Sunday, 06-Nov-94 08:49:37 GMT" })).toBe(37_000)
    expect(advised({ "retry-after": "Sun Nov  6 08:49:37 1994" })).toBe(37_000)
    for (const lenient of ["Nov 6 1994 08:49:37", "1994-11-06T08:49:37Z", "Sun, 06 Nov 1994 08:49:37 +0000", "12"]) {
      expect(WireErrors.parseHttpDate(lenient), lenient).toBeNull()
    }
  })

  it("retry-after-ms is a number of milliseconds, decimals allowed, nothing else; it wins over retry-after", () => {
    expect(advised({ "retry-after-ms": "250", "retry-after": "9" })).toBe(250)
    expect(advised({ "retry-after-ms": "12.5" })).toBe(12.5)
    for (const value of ["0x10", "1e3", "-5", "Infinity", ".5", "5."]) {
      expect(advised({ "retry-after-ms": value }), value).toBeNull()
    }
    expect(advised({ "retry-after-ms": "0x10", "retry-after": "2" })).toBe(2000)
  })

  it("only waits from 0 to 60 s count", () => {
    expect(advised({ "retry-after": "60" })).toBe(60_000)
    expect(advised({ "retry-after": "61" })).toBeNull()
    expect(advised({ "retry-after": "99999999999999999999999" })).toBeNull()
    expect(advised({ "retry-after": "Sun, 06 Nov 1994 08:48:00 GMT" })).toBeNull()
  })
})

describe("error fields from the server are bounded", () => {
  it("a message of 1 MB is cut to 4,096 characters and a note", () => {
    const fields = WireErrors.errorFields({ message: "m".repeat(1_000_000), code: 42 }, (text) => text)
    expect(fields.message!.length).toBeLessThan(4200)
    expect(fields.message).toContain("more characters")
    expect(fields.code).toBe("42")
  })
})
