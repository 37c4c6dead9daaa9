import { describe, expect, it } from "@effect/vitest"
import { readdirSync, readFileSync } from "node:fs"
import * as Path from "node:path"
import { fileURLToPath } from "node:url"
import ts from "typescript"

const src = fileURLToPath(new URL("../src", import.meta.url))

/**
 * The modules a source file names: in imports and re-exports (`export * as X from` included), type-only ones too,
 * and in `import("…")` expressions and types.
 */
const specifiers = (file: string): ReadonlyArray<string> => {
  const found: Array<string> = []
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier !== undefined) {
      found.push((node.moduleSpecifier as ts.StringLiteral).text)
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      found.push((node.argument.literal as ts.StringLiteral).text)
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const [argument] = node.arguments
      if (argument !== undefined && ts.isStringLiteral(argument)) found.push(argument.text)
    }
    ts.forEachChild(node, visit)
  }
  visit(ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest))
  return found
}

/** Each module's relative imports, as paths under `root`. */
const importGraph = (root: string): Map<string, ReadonlyArray<string>> =>
  new Map(
    readdirSync(root, { recursive: true, encoding: "utf8" }).filter((file) => file.endsWith(".ts")).map((file) => [
      file,
      specifiers(Path.join(root, file)).filter((name) => name.startsWith(".")).map((name) =>
        Path.join(Path.dirname(file), name.replace(/\.js$/, ".ts"))
      )
    ])
  )

/** The first import cycle found, as the modules along it (the first one repeated last), or `undefined`. */
const findCycle = (graph: ReadonlyMap<string, ReadonlyArray<string>>): ReadonlyArray<string> | undefined => {
  const done = new Set<string>()
  const path: Array<string> = []
  const visit = (module: string): ReadonlyArray<string> | undefined => {
    const start = path.indexOf(module)
    if (start >= 0) return [...path.slice(start), module]
    if (done.has(module)) return undefined
    path.push(module)
    for (const imported of graph.get(module) ?? []) {
      const cycle = visit(imported)
      if (cycle !== undefined) return cycle
    }
    path.pop()
    done.add(module)
    return undefined
  }
  for (const module of graph.keys()) {
    const cycle = visit(module)
    if (cycle !== undefined) return cycle
  }
  return undefined
}

describe("architecture", () => {
  it("finds a cycle, and only a cycle", () => {
    expect(findCycle(new Map([["a.ts", ["b.ts"]], ["b.ts", ["c.ts"]], ["c.ts", []]]))).toBeUndefined()
    expect(findCycle(new Map([["a.ts", ["b.ts"]], ["b.ts", ["c.ts"]], ["c.ts", ["b.ts"]]]))).toEqual([
      "b.ts",
      "c.ts",
      "b.ts"
    ])
  })

  it("reads every module of src and its relative imports", () => {
    const graph = importGraph(src)
    expect(graph.get("index.ts")).toContain("Emulator.ts")
    expect(graph.get(Path.join("internal", "pipeline.ts"))).toContain(Path.join("internal", "reply.ts"))
  })

  it("src has no import cycle, type-only imports included", () => {
    expect(findCycle(importGraph(src))).toBeUndefined()
  })
})
