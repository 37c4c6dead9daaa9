/**
 * Summarises a `.cpuprofile` (a file, or the largest in a directory, which is the main thread's when `--cpu-prof`
 * wrote one per thread): self time per package and per function, and inclusive time of the functions most often on
 * the stack.
 *
 *   tsx packages/bench/src/cpuprofile.ts [file or directory] [rows]
 */
import * as fs from "node:fs"
import * as path from "node:path"
import { pathToFileURL } from "node:url"

interface CallFrame {
  readonly functionName: string
  readonly url: string
  readonly lineNumber: number
}

interface ProfileNode {
  readonly id: number
  readonly callFrame: CallFrame
  readonly children?: ReadonlyArray<number>
}

/** A V8 CPU profile, as `Profiler.stop` gives it and `--cpu-prof` writes it. */
export interface Profile {
  readonly nodes: ReadonlyArray<ProfileNode>
  readonly samples?: ReadonlyArray<number>
  readonly timeDeltas?: ReadonlyArray<number>
}

const largest = (location: string): string => {
  if (!fs.statSync(location).isDirectory()) return location
  const files = fs.readdirSync(location).filter((file) => file.endsWith(".cpuprofile"))
  const bySize = files.map((file) => path.join(location, file)).sort((a, b) =>
    fs.statSync(b).size - fs.statSync(a).size
  )
  if (bySize[0] === undefined) throw new Error(`No .cpuprofile in ${location}`)
  return bySize[0]
}

/** Where a function lives: a package of node_modules, our sources, Node itself, or V8's pseudo-frames. */
const area = (url: string): string => {
  if (url === "") return "(v8)"
  if (url.startsWith("node:")) return "node:internal"
  const pnpm = /node_modules\/\.pnpm\/[^/]+\/node_modules\/((?:@[^/]+\/)?[^/]+)\/(.*)$/.exec(url)
  if (pnpm) return pnpm[1]!
  const workspace = /\/packages\/([^/]+)\/src\//.exec(url)
  return workspace ? `packages/${workspace[1]}` : url
}

const shortUrl = (url: string): string => {
  const pnpm = /node_modules\/\.pnpm\/[^/]+\/node_modules\/(.*)$/.exec(url)
  if (pnpm) return pnpm[1]!
  const workspace = /\/(packages\/.*)$/.exec(url)
  return workspace ? workspace[1]! : url
}

const key = (frame: CallFrame) =>
  `${frame.functionName || "(anonymous)"}  ${shortUrl(frame.url)}${frame.url ? `:${frame.lineNumber + 1}` : ""}`

/** Reads a `.cpuprofile` file, or the largest in a directory. */
export const read = (target: string): Profile => JSON.parse(fs.readFileSync(largest(target), "utf8"))

/** The summary of a profile: its `rows` largest entries by package, by function (self) and by function (inclusive). */
export const summarise = (profile: Profile, rows: number): string => {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]))
  const parents = new Map<number, number>()
  for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id)

  const self = new Map<string, number>()
  const byArea = new Map<string, number>()
  const inclusive = new Map<string, number>()
  const add = (map: Map<string, number>, name: string, us: number) => map.set(name, (map.get(name) ?? 0) + us)
  let total = 0
  ;(profile.samples ?? []).forEach((id, i) => {
    const us = profile.timeDeltas?.[i] ?? 0
    const frame = nodes.get(id)!.callFrame
    total += us
    add(self, key(frame), us)
    add(byArea, area(frame.url), us)
    const onStack = new Set<string>()
    for (let current: number | undefined = id; current !== undefined; current = parents.get(current)) {
      onStack.add(key(nodes.get(current)!.callFrame))
    }
    for (const name of onStack) add(inclusive, name, us)
  })

  const section = (title: string, map: Map<string, number>) =>
    [
      "",
      title,
      ...[...map].sort((a, b) => b[1] - a[1]).slice(0, rows).map(([name, us]) =>
        `${(us / 1000).toFixed(0).padStart(7)} ms ${(us / total * 100).toFixed(1).padStart(5)}%  ${name}`
      )
    ].join("\n")

  return [
    `${(total / 1000).toFixed(0)} ms sampled`,
    section("Self time by package", byArea),
    section("Self time by function", self),
    section("Inclusive time by function", inclusive)
  ].join("\n")
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [target = "/tmp/bench-getRun.cpuprofile", rows = "30"] = process.argv.slice(2)
  process.stdout.write(`${summarise(read(target), Number(rows))}\n`)
}
