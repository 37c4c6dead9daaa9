/**
 * Writes the version of `@effect-openai/runs` (its package.json, the one source) into
 * `packages/runs/src/internal/version.ts`, which the `user-agent` header reads. Run by `npx -y pnpm@10 run version`
 * after `changeset version`; `--check` fails if the two differ (packages/runs/test/version.test.ts checks it too).
 */
import * as Fs from "node:fs"
import * as Path from "node:path"
import { fileURLToPath } from "node:url"
import { root } from "./packaging.js"

const manifest = Path.join(root, "packages", "runs", "package.json")
const target = Path.join(root, "packages", "runs", "src", "internal", "version.ts")

/** The text of version.ts for a version. */
export const versionModule = (version: string): string =>
  `// Written by scripts/version.ts from packages/runs/package.json: do not edit.

/** @internal */
export const libraryVersion = ${JSON.stringify(version)}

/** @internal */
export const userAgent = \`effect-openai-runs/\${libraryVersion}\`
`

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === Path.resolve(process.argv[1])) {
  const version: string = JSON.parse(Fs.readFileSync(manifest, "utf8")).version
  const expected = versionModule(version)
  if (Fs.readFileSync(target, "utf8") === expected) {
    console.log(`version.ts says ${version}`)
  } else if (process.argv.includes("--check")) {
    console.error(
      `packages/runs/src/internal/version.ts is not ${version}: run npx -y pnpm@10 exec tsx scripts/version.ts`
    )
    process.exitCode = 1
  } else {
    Fs.writeFileSync(target, expected)
    console.log(`version.ts now says ${version}`)
  }
}
