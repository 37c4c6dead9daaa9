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
const packages = ["runs", "emulator"] as const
const sourceDir = (name: string) => join(root, "packages", name, "src")

const sourceFiles = (dir: string): Array<string> =>
  readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((path) => path.endsWith(".ts"))
    .map((path) => join(dir, path))
    .sort()

/** Every relative import of a file (`import type` and `export … from` included), as absolute `.ts` paths. */
const importsOf = (file: string): Array<string> =>
  ts.preProcessFile(readFileSync(file, "utf8"), true, true).importedFiles
    .map((imported) => imported.fileName)
    .filter((name) => name.startsWith("."))
    .map((name) => resolve(dirname(file), name.replace(/\.js$/, ".ts")))

/** The cycles of a graph, each as the list of files around it (one per strongly connected component). */
export const cyclesOf = (graph: ReadonlyMap<string, ReadonlyArray<string>>): Array<Array<string>> => {
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

describe("module graph", () => {
  it("the cycle finder finds a cycle through type-only imports", () => {
    const graph = new Map([["a", ["b"]], ["b", ["c"]], ["c", ["a"]], ["d", ["a"]]])
    expect(cyclesOf(graph)).toEqual([["a", "b", "c", "a"]])
    expect(importsOf(fileURLToPath(import.meta.url))).toEqual([])
  })

  for (const name of packages) {
    it(`packages/${name}/src has no import cycle, type-only imports included`, () => {
      const dir = sourceDir(name)
      const graph = new Map(sourceFiles(dir).map((file) => [file, importsOf(file)] as const))
      const cycles = cyclesOf(graph).map((cycle) => cycle.map((file) => relative(dir, file)).join(" → "))
      expect(cycles).toEqual([])
    })
  }

  it("no public declaration of packages/runs names a type from internal/", () => {
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
  }, 120_000) // a whole type-check of the package: 5 s alone, several times that beside the rest of the suite
})
