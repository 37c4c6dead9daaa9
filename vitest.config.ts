import { availableParallelism } from "node:os"
import { fileURLToPath } from "node:url"
import { defineConfig } from "vitest/config"

const source = (path: string) => fileURLToPath(new URL(path, import.meta.url))

/** Each workspace package from its sources: `@effect-openai/runs` and its subpaths (`@effect-openai/runs/Run`). */
const packages = { "runs": "runs", "runs-emulator": "emulator", "http-undici": "http-undici" }

export default defineConfig({
  resolve: {
    alias: Object.entries(packages).flatMap(([name, dir]) => [
      { find: new RegExp(`^@effect-openai/${name}$`), replacement: source(`./packages/${dir}/src/index.ts`) },
      { find: new RegExp(`^@effect-openai/${name}/(\\w+)$`), replacement: source(`./packages/${dir}/src/$1.ts`) }
    ])
  },
  test: {
    include: ["packages/*/test/**/*.test.ts", "test/**/*.test.ts"],
    // One worker per core, not vitest's default of one fewer: on a 2-core machine that default is a single worker,
    // and most files spend their time waiting on loopback sockets and child processes, not on the CPU.
    maxWorkers: availableParallelism(),
    minWorkers: 1,
    testTimeout: 20_000,
    hookTimeout: 20_000
  }
})
