import { describe, expect, it } from "@effect/vitest"
import * as Fs from "node:fs"
import { libraryVersion, userAgent } from "../src/internal/version.js"

describe("the library's version", () => {
  it("in the user-agent header is the one in package.json (scripts/version.ts writes it)", () => {
    const manifest = JSON.parse(Fs.readFileSync(new URL("../package.json", import.meta.url), "utf8"))
    expect(libraryVersion).toBe(manifest.version)
    expect(userAgent).toBe(`effect-openai-runs/${manifest.version}`)
  })
})
