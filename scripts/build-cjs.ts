/**
 * The CommonJS build of each published package, made from its ESM build (as Effect's packages make theirs):
 * `dist/esm/**\/*.js` → `dist/cjs/**\/*.js` (esbuild, one file per file, source maps chained back to `src/`), the
 * `.d.ts` files copied beside them, and `dist/cjs/package.json` saying `"type": "commonjs"` so that Node and
 * TypeScript read both as CommonJS. The CLI (`bin.js`) stays ESM only.
 *
 * Run after `tsc -b tsconfig.build.json`: `tsx scripts/build-cjs.ts`.
 */
import * as esbuild from "esbuild"
import * as Fs from "node:fs"
import * as Path from "node:path"
import { published, root } from "./packaging.js"

const filesUnder = (dir: string): ReadonlyArray<string> =>
  Fs.readdirSync(dir, { recursive: true, encoding: "utf8" }).filter((file) =>
    Fs.statSync(Path.join(dir, file)).isFile()
  )

const buildPackage = async (dir: string): Promise<void> => {
  const esm = Path.join(root, "packages", dir, "dist", "esm")
  const cjs = Path.join(root, "packages", dir, "dist", "cjs")
  Fs.rmSync(cjs, { recursive: true, force: true })
  const files = filesUnder(esm)
  await esbuild.build({
    entryPoints: files.filter((file) => file.endsWith(".js") && file !== "bin.js").map((file) => Path.join(esm, file)),
    outbase: esm,
    outdir: cjs,
    format: "cjs",
    platform: "node",
    target: "node20",
    bundle: false,
    sourcemap: true,
    logLevel: "warning"
  })
  for (const file of files) {
    if (!file.endsWith(".d.ts") && !file.endsWith(".d.ts.map")) continue
    if (file.startsWith("bin.")) continue
    Fs.mkdirSync(Path.dirname(Path.join(cjs, file)), { recursive: true })
    Fs.copyFileSync(Path.join(esm, file), Path.join(cjs, file))
  }
  Fs.writeFileSync(Path.join(cjs, "package.json"), JSON.stringify({ type: "commonjs" }, null, 2) + "\n")
}

for (const dir of published) await buildPackage(dir)
