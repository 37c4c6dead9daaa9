/**
 * What the published packages export, computed from their sources: one subpath per public module (`src/*.ts`
 * but `index.ts` and the CLI's `bin.ts`), ESM and CJS each with its own `.d.ts`. `exports` (read in the workspace)
 * puts the workspace-only `source` condition first; `publishConfig.exports` (what pnpm writes into the packed
 * package.json) is the same without it.
 *
 * `tsx scripts/packaging.ts` writes both into each package.json; `--check` fails if one is out of date.
 */
import * as Fs from "node:fs"
import * as Path from "node:path"
import { fileURLToPath } from "node:url"

export const root = fileURLToPath(new URL("../", import.meta.url))

/** The workspace folders of the packages published to npm. */
export const published = ["runs", "emulator", "http-undici"] as const

const notModules = new Set(["index.ts", "bin.ts"])

/** The public modules of a package, e.g. `["Page", "Run", …]`. */
export const modulesOf = (dir: string): ReadonlyArray<string> =>
  Fs.readdirSync(Path.join(root, "packages", dir, "src"))
    .filter((file) => file.endsWith(".ts") && !notModules.has(file))
    .map((file) => file.slice(0, -".ts".length))
    .sort()

type Conditions = Record<string, unknown>

const entry = (file: string, source: boolean): Conditions => ({
  ...(source ? { source: `./src/${file}.ts` } : {}),
  import: { types: `./dist/esm/${file}.d.ts`, default: `./dist/esm/${file}.js` },
  require: { types: `./dist/cjs/${file}.d.ts`, default: `./dist/cjs/${file}.js` }
})

/** `exports` of a package: with `source` for the workspace, without it for the published package. */
export const exportsOf = (dir: string, source: boolean): Conditions => ({
  "./package.json": "./package.json",
  ".": entry("index", source),
  ...Object.fromEntries(modulesOf(dir).map((name) => [`./${name}`, entry(name, source)]))
})

const manifestPath = (dir: string) => Path.join(root, "packages", dir, "package.json")

/** A package.json with its `exports` and `publishConfig.exports` as computed. */
export const expectedManifest = (dir: string): Record<string, any> => {
  const manifest = JSON.parse(Fs.readFileSync(manifestPath(dir), "utf8"))
  return {
    ...manifest,
    exports: exportsOf(dir, true),
    publishConfig: { ...manifest.publishConfig, exports: exportsOf(dir, false) }
  }
}

const main = (check: boolean): number => {
  const stale: Array<string> = []
  for (const dir of published) {
    const current = Fs.readFileSync(manifestPath(dir), "utf8")
    const expected = JSON.stringify(expectedManifest(dir), null, 2) + "\n"
    if (current === expected) continue
    if (check) stale.push(`packages/${dir}/package.json`)
    else Fs.writeFileSync(manifestPath(dir), expected)
  }
  if (stale.length > 0) {
    console.error(`Out of date exports in ${stale.join(", ")}: run npx -y pnpm@10 run exports`)
    return 1
  }
  return 0
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === Path.resolve(process.argv[1])) {
  process.exitCode = main(process.argv.includes("--check"))
}
