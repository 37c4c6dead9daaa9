import { describe, expect, it } from "@effect/vitest"
import * as Fs from "node:fs"
import * as Path from "node:path"
import { fileURLToPath } from "node:url"

const root = fileURLToPath(new URL("../../", import.meta.url))

/** Modules whose examples are someone else's to write for now: none. */
const exempt = new Set<string>()

/** Categories of exports that are data (schemas, models, errors, tags…) rather than something a user calls. */
const dataCategories = new Set(["schemas", "models", "errors", "fields", "tools", "tags", "symbols", "type ids"])

const undocumented = (file: string): Array<string> => {
  const source = Fs.readFileSync(Path.join(root, file), "utf8")
  const missing: Array<string> = []
  for (const match of source.matchAll(/\/\*\*((?:(?!\*\/)[\s\S])*?)\*\/\s*export (?:const|function) (\w+)/g)) {
    const [, doc, name] = match
    const category = /@category (.+)/.exec(doc!)?.[1]?.trim()
    if (category !== undefined && dataCategories.has(category)) continue
    if (!doc!.includes("@example")) missing.push(`${file}: ${name} (${category ?? "no category"})`)
  }
  return missing
}

describe("the API reference", () => {
  it("has an example for every operation, constructor and layer of runs and the emulator", () => {
    const files = ["packages/runs/src", "packages/emulator/src"].flatMap((dir) =>
      Fs.readdirSync(Path.join(root, dir))
        .filter((file) => file.endsWith(".ts") && file !== "index.ts" && file !== "bin.ts")
        .map((file) => `${dir}/${file}`)
    ).filter((file) => !exempt.has(file))
    expect(files.flatMap(undocumented)).toEqual([])
  })
})
