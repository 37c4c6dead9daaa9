import type { Emulator } from "@effect-openai/runs-emulator"
import { Effect } from "effect"
import { readFileSync } from "node:fs"

/**
 * An answer of the emulator, its body parsed when it is JSON.
 */
export interface Answer {
  readonly status: number
  readonly headers: Headers
  readonly text: string
  readonly body: any
}

const parse = (text: string): unknown => {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

/**
 * One request over loopback HTTP, with the key and beta header a client sends unless `omit` drops them.
 */
export const call = (
  emulator: Emulator.Handle,
  method: string,
  path: string,
  options: {
    readonly body?: unknown
    readonly raw?: string
    readonly headers?: Record<string, string>
    readonly omit?: ReadonlyArray<string>
  } = {}
): Effect.Effect<Answer> =>
  Effect.promise(async () => {
    const headers: Record<string, string> = {
      authorization: `Bearer ${emulator.apiKey}`,
      "openai-beta": "assistants=v2",
      "content-type": "application/json",
      ...options.headers
    }
    for (const name of options.omit ?? []) delete headers[name]
    const response = await fetch(emulator.url + path, {
      method,
      headers,
      body: options.raw ?? (options.body === undefined ? null : JSON.stringify(options.body))
    })
    const text = await response.text()
    return { status: response.status, headers: response.headers, text, body: parse(text) }
  })

/**
 * A recorded payload from the repository's fixtures.
 */
export const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`../../../test/fixtures/${name}`, import.meta.url), "utf8"))

/**
 * The path of a run.
 */
export const runPath = (run: { readonly thread_id: string; readonly id: string }): string =>
  `/threads/${run.thread_id}/runs/${run.id}`
