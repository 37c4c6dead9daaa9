import { fileURLToPath } from "node:url"
import { defineConfig } from "vitest/config"

const source = (path: string) => fileURLToPath(new URL(path, import.meta.url))

export default defineConfig({
  resolve: {
    alias: {
      "@effect-openai/runs": source("./packages/runs/src/index.ts"),
      "@effect-openai/runs-emulator": source("./packages/emulator/src/index.ts"),
      "@effect-openai/http-undici": source("./packages/http-undici/src/index.ts")
    }
  },
  test: {
    include: ["packages/*/test/**/*.test.ts", "test/**/*.test.ts"],
    testTimeout: 20_000,
    hookTimeout: 20_000
  }
})
