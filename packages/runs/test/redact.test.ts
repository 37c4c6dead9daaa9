import { describe, expect, it } from "@effect/vitest"
import { excerpt, makeScrubber, scrubbedExcerpt, secretForms } from "../src/internal/redact.js"
import * as WireErrors from "../src/internal/wireErrors.js"

const key = "sk-proj-R3dactM3-0a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d"
const scrub = makeScrubber(key)

const base64 = (text: string) => Buffer.from(text).toString("base64")
const base64url = (text: string) => Buffer.from(text).toString("base64url")

/**
 * Every piece of the key a text still shows: 8 characters of it in a row, or 11 characters in a row of any of its
 * base64 or base64url encodings (at any of the three byte offsets), wherever they come from in the key.
 */
const traces = (text: string): Array<string> => {
  const found: Array<string> = []
  for (const [form, minimum] of secretForms(key)) {
    for (let start = 0; start + minimum <= form.length; start++) {
      const piece = form.slice(start, start + minimum)
      if (text.includes(piece)) found.push(piece)
    }
  }
  return found
}

describe("the scrubber", () => {
  it("knows the key, and its base64 and base64url at each of the three byte offsets", () => {
    const forms = secretForms(key).map(([form]) => form)
    expect(forms[0]).toBe(key)
    for (const prefix of ["", "a", "ab"]) {
      const encoded = base64(prefix + key)
      expect(forms.slice(1).some((form) => encoded.includes(form)), `offset ${prefix.length}`).toBe(true)
    }
    expect(forms.length).toBeGreaterThanOrEqual(4)
  })

  it("removes the key, a masked prefix of it, and leaves other text alone", () => {
    expect(scrub(`Incorrect API key provided: ${key}.`)).toBe("Incorrect API key provided: [REDACTED].")
    expect(scrub(`Incorrect API key provided: ${key.slice(0, 10)}****${key.slice(-4)}`)).not.toContain(key.slice(0, 8))
    const plain = "sk-proj is a prefix; nothing here is secret. QmVhcmVy"
    expect(scrub(plain)).toBe(plain)
  })

  for (const offset of [0, 1, 2, 3, 4, 5]) {
    const before = "Authorization: Bearer ".slice(0, offset)
    it(`removes the key in base64 and base64url when it starts ${offset} bytes into the encoded text`, () => {
      for (const encode of [base64, base64url]) {
        for (const after of ["", "x", "xy", " and more text after it"]) {
          const text = `proxy said ${encode(before + key + after)} (debug)`
          expect(traces(scrub(text)), `${encode.name} ${JSON.stringify(before)} … ${JSON.stringify(after)}`).toEqual([])
        }
      }
    })
  }

  it("removes the base64 of `Bearer <key>` and of the whole header line", () => {
    for (const value of [`Bearer ${key}`, `authorization: Bearer ${key}`, `Authorization: Bearer ${key}\r\n`]) {
      const scrubbed = scrub(`echo: ${base64(value)}`)
      expect(traces(scrubbed)).toEqual([])
      expect(scrubbed).toContain("[REDACTED]")
    }
  })

  it("removes a base64 form cut short (11 characters or more of it)", () => {
    const core = secretForms(key)[1]![0]
    expect(traces(scrub(`partial ${core.slice(0, 11)}`))).toEqual([])
    expect(traces(scrub(`partial ${core.slice(0, 30)}…`))).toEqual([])
  })
})

describe("excerpts are scrubbed before they are cut", () => {
  it("wherever the 512-character cut falls in the key or its encodings, no piece of it survives", () => {
    for (const form of [key, base64(key), base64(`Bearer ${key}`), base64url(`x${key}`)]) {
      for (let shift = 0; shift <= form.length; shift++) {
        const text = "x".repeat(512 - shift) + form + " tail".repeat(400)
        const quoted = scrubbedExcerpt(text, scrub)
        expect(traces(quoted), `${form.slice(0, 12)}… cut after ${shift} characters`).toEqual([])
        expect(quoted.length).toBeLessThan(600)
      }
    }
  })

  it("cutting first and scrubbing after leaks what a scrubber of whole forms no longer recognises", () => {
    const wholeFormsOnly = (text: string) => text.split(base64(key)).join("[REDACTED]")
    const text = "x".repeat(512 - 21) + base64(key)
    expect(traces(wholeFormsOnly(excerpt(text))).length).toBeGreaterThan(0)
    expect(traces(scrubbedExcerpt(text, wholeFormsOnly))).toEqual([])
  })

  it("a long text keeps its length note, and only its start is scrubbed", () => {
    const text = `${key} ${"a".repeat(100_000)} ${key}`
    const quoted = scrubbedExcerpt(text, scrub)
    expect(quoted.startsWith("[REDACTED] aaa")).toBe(true)
    expect(quoted.endsWith(`… (${text.length - 512} more characters)`)).toBe(true)
    expect(traces(quoted)).toEqual([])
  })

  it("a 16 MB text made to slow a scrubber down is scrubbed in well under a second of CPU", () => {
    // Runs of the key's first characters, and a long run of its very first one.
    const text = `${"sk-proj-".repeat(100_000)}${base64(key)}${"s".repeat(16_000_000)}`
    const before = process.cpuUsage()
    const scrubbed = scrub(text)
    const used = process.cpuUsage(before)
    expect((used.user + used.system) / 1000).toBeLessThan(1000)
    expect(traces(scrubbed)).toEqual([])
  })
})

describe("server texts in errors are scrubbed before they are cut", () => {
  const context = { attempts: 1, nowMs: 0, scrub }

  it("a key echoed in x-request-id, raw or in base64", () => {
    expect(WireErrors.requestId({ "x-request-id": key } as never, scrub)).toBe("[REDACTED]")
    expect(traces(WireErrors.requestId({ "x-request-id": base64(`Bearer ${key}`) } as never, scrub)!)).toEqual([])
  })

  it("an error body quoting the key in base64 across the cut", () => {
    for (let shift = 0; shift < 60; shift += 7) {
      const text = "<html>".padEnd(512 - 8 - shift, ".") + base64(`Bearer ${key}`) + "</html>".repeat(100)
      const error = WireErrors.fromResponse(502, {} as never, text, context)
      expect(traces(error.message), `shift ${shift}`).toEqual([])
    }
  })
})
