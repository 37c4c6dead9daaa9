/**
 * The shape of the packages' module graphs: no import cycle (type-only imports count), and no type from an
 * `internal/` module in a public declaration.
 */
import { describe, expect, it } from "@effect/vitest"
import { readdirSync, readFileSync } from "node:fs"
import { dirname, join, relative, resolve } from "node:path"
import { fileURLToPath } from "node:url"
import ts from "typescript"

const root = fileURLToPath(new URL("../../", import.meta.url))
const sourceDir = (name: string) => join(root, "packages", name, "src")
const packages = ["runs", "emulator"] as const

const sourceFiles = (dir: string): Array<string> =>
  readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((path) => path.endsWith(".ts"))
    .map((path) => join(dir, path))
    .sort()

/**
 * The modules a source text names, read from its syntax tree: imports and re-exports, `export * as X from` (which
 * `ts.preProcessFile` misses) and type-only ones included, `import("…")` in types and expressions, and
 * `import x = require("…")`.
 */
const specifiers = (text: string): Array<string> => {
  const found: Array<string> = []
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier !== undefined) {
      if (ts.isStringLiteral(node.moduleSpecifier)) found.push(node.moduleSpecifier.text)
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      const expression = node.moduleReference.expression
      if (ts.isStringLiteral(expression)) found.push(expression.text)
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      if (ts.isStringLiteral(node.argument.literal)) found.push(node.argument.literal.text)
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const [argument] = node.arguments
      if (argument !== undefined && ts.isStringLiteral(argument)) found.push(argument.text)
    }
    ts.forEachChild(node, visit)
  }
  visit(ts.createSourceFile("module.ts", text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS))
  return found
}

/** Every relative import of a file, as absolute `.ts` paths. */
const importsOf = (file: string): Array<string> =>
  specifiers(readFileSync(file, "utf8"))
    .filter((name) => name.startsWith("."))
    .map((name) => resolve(dirname(file), name.replace(/\.js$/, ".ts")))

/** The cycles of a graph, each as the list of files around it, the first repeated last. */
const cyclesOf = (graph: ReadonlyMap<string, ReadonlyArray<string>>): Array<Array<string>> => {
  const cycles: Array<Array<string>> = []
  const state = new Map<string, "visiting" | "done">()
  const path: Array<string> = []
  const visit = (node: string) => {
    state.set(node, "visiting")
    path.push(node)
    for (const next of graph.get(node) ?? []) {
      if (state.get(next) === "visiting") cycles.push([...path.slice(path.indexOf(next)), next])
      else if (!state.has(next)) visit(next)
    }
    path.pop()
    state.set(node, "done")
  }
  for (const node of graph.keys()) if (!state.has(node)) visit(node)
  return cycles
}

const graphOf = (name: string) => new Map(sourceFiles(sourceDir(name)).map((file) => [file, importsOf(file)] as const))

describe("module graph", () => {
  it("the import reader sees every form of import and re-export", () => {
    const text = [
      `export * as A from "./a.js"`,
      `export * from "./b.js"`,
      `export { c } from "./c.js"`,
      `export type { D } from "./d.js"`,
      `import type { E } from "./e.js"`,
      `import type * as F from "./f.js"`,
      `import { type G } from "./g.js"`,
      `type H = import("./h.js").H`,
      `const i = () => import("./i.js")`,
      `import "./j.js"`,
      `import k = require("./k.js")`,
      `import * as Effect from "effect/Effect"`,
      `export const local = 1`
    ].join("\n")
    expect(specifiers(text)).toEqual([
      "./a.js",
      "./b.js",
      "./c.js",
      "./d.js",
      "./e.js",
      "./f.js",
      "./g.js",
      "./h.js",
      "./i.js",
      "./j.js",
      "./k.js",
      "effect/Effect"
    ])
    expect(importsOf(fileURLToPath(import.meta.url))).toEqual([])
  })

  it("the cycle finder finds a cycle, and only a cycle", () => {
    expect(cyclesOf(new Map([["a", ["b"]], ["b", ["c"]], ["c", []], ["d", ["a", "c"]]]))).toEqual([])
    expect(cyclesOf(new Map([["a", ["b"]], ["b", ["c"]], ["c", ["a"]], ["d", ["a"]]]))).toEqual([["a", "b", "c", "a"]])
    expect(cyclesOf(new Map([["a", ["b"]], ["b", ["c"]], ["c", ["b"]]]))).toEqual([["b", "c", "b"]])
  })

  it("reads both packages' modules and their imports, barrels included", () => {
    const runs = graphOf("runs")
    expect(runs.get(join(sourceDir("runs"), "index.ts"))).toContain(join(sourceDir("runs"), "RunsService.ts"))
    const emulator = graphOf("emulator")
    expect(emulator.get(join(sourceDir("emulator"), "index.ts"))).toContain(join(sourceDir("emulator"), "Emulator.ts"))
    expect(emulator.get(join(sourceDir("emulator"), "internal", "pipeline.ts"))).toContain(
      join(sourceDir("emulator"), "internal", "reply.ts")
    )
  })

  for (const name of packages) {
    it(`packages/${name}/src has no import cycle, type-only imports and re-exports included`, () => {
      const cycles = cyclesOf(graphOf(name)).map((cycle) =>
        cycle.map((file) => relative(sourceDir(name), file)).join(" → ")
      )
      expect(cycles).toEqual([])
    })
  }

  // A compiler run: slow on a busy machine.
  it("no public declaration of packages/runs names a type from internal/", { timeout: 120_000 }, () => {
    const dir = sourceDir("runs")
    const program = ts.createProgram(sourceFiles(dir), {
      declaration: true,
      emitDeclarationOnly: true,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      target: ts.ScriptTarget.ES2022,
      strict: true,
      exactOptionalPropertyTypes: true,
      skipLibCheck: true,
      types: ["node"],
      outDir: "/declarations"
    })
    const leaks: Array<string> = []
    program.emit(undefined, (fileName, text) => {
      if (fileName.includes("/internal/") || !fileName.endsWith(".d.ts")) return
      for (const line of text.split("\n")) {
        if (line.includes("internal/")) leaks.push(`${relative("/declarations", fileName)}: ${line.trim()}`)
      }
    })
    expect(leaks).toEqual([])
  })
})
