import { RunsService } from "@effect-openai/runs"
import { Emulator } from "@effect-openai/runs-emulator"
import * as EmulatorModule from "@effect-openai/runs-emulator/Emulator"
import * as RunsServiceModule from "@effect-openai/runs/RunsService"
import { describe, expect, it } from "@effect/vitest"
import * as Fs from "node:fs"
import { exportsOf, modulesOf, published, root } from "../../scripts/packaging.js"

describe("the packages' exports", () => {
  it("a subpath is the same module as the barrel's namespace", () => {
    expect(RunsServiceModule.RunsService).toBe(RunsService.RunsService)
    expect(EmulatorModule.make).toBe(Emulator.make)
  })

  it.each(published)("packages/%s/package.json exports every public module, without source when published", (dir) => {
    const manifest = JSON.parse(Fs.readFileSync(`${root}packages/${dir}/package.json`, "utf8"))
    expect(manifest.exports).toEqual(exportsOf(dir, true))
    expect(manifest.publishConfig.exports).toEqual(exportsOf(dir, false))
    expect(JSON.stringify(manifest.publishConfig.exports)).not.toContain("source")
    for (const name of modulesOf(dir)) expect(manifest.exports[`./${name}`].source).toBe(`./src/${name}.ts`)
  })
})
