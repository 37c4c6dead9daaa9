/**
 * Access to the recorded and spec payloads kept in `test/fixtures/` (see `test/fixtures/SOURCES.md`).
 */
import { readdirSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { fileURLToPath } from "node:url"

/** The folder that holds every fixture. */
export const fixturesDir = fileURLToPath(new URL("../fixtures/", import.meta.url))

/** The text of one fixture, by its path below `test/fixtures/`. */
export const readFixture = (path: string): string => readFileSync(join(fixturesDir, path), "utf8")

/** One fixture parsed as JSON. */
export const readJsonFixture = (path: string): unknown => JSON.parse(readFixture(path))

/** Every fixture path (relative to `test/fixtures/`) whose name ends with `suffix`. */
export const fixturePaths = (suffix: string): ReadonlyArray<string> =>
  readdirSync(fixturesDir, { recursive: true, encoding: "utf8" })
    .filter((path) => path.endsWith(suffix))
    .sort()

const isRecord = (u: unknown): u is Record<string, unknown> => typeof u === "object" && u !== null

/**
 * Every Run payload among the JSON fixtures: a body that is a run, or a list page whose items are runs.
 * Each comes with a name such as `spec-examples/getRun.response.json` or `…listRuns….json#data[0]`.
 */
export const runPayloads = (): ReadonlyArray<readonly [string, unknown]> =>
  fixturePaths(".json").flatMap((path): Array<readonly [string, unknown]> => {
    const json = readJsonFixture(path)
    if (!isRecord(json)) return []
    if (json.object === "thread.run") return [[path, json]]
    if (json.object === "list" && Array.isArray(json.data)) {
      return json.data
        .map((item, index) => [`${path}#data[${index}]`, item] as const)
        .filter(([, item]) => isRecord(item) && item.object === "thread.run")
    }
    return []
  })

/** A raw HTTP answer kept as curl printed it: status line, headers, blank line, body. */
export interface HttpFixture {
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  readonly body: string
}

/** One `.http` fixture, parsed (header names lower-case). */
export const readHttpFixture = (path: string): HttpFixture => {
  const text = readFixture(path)
  const split = text.indexOf("\r\n\r\n") === -1 ? text.indexOf("\n\n") : text.indexOf("\r\n\r\n")
  const [statusLine = "", ...headerLines] = text.slice(0, split).split(/\r?\n/)
  const headers = Object.fromEntries(headerLines.map((line) => {
    const colon = line.indexOf(":")
    return [line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim()]
  }))
  return { status: Number(statusLine.split(" ")[1]), headers, body: text.slice(split).trim() }
}
