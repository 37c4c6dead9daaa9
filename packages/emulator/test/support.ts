import type { Emulator } from "@effect-openai/runs-emulator"
import { Effect } from "effect"
import { readFileSync } from "node:fs"
import { connect } from "node:net"

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

/**
 * A recorded text payload from the repository's fixtures.
 */
export const fixtureText = (name: string): string =>
  readFileSync(new URL(`../../../test/fixtures/${name}`, import.meta.url), "utf8")

/**
 * A server-sent event as a test reads it: `data` parsed when it is JSON.
 */
export interface Event {
  readonly event: string
  readonly data: any
}

/**
 * The events of a stream's text; each must read exactly `event: NAME\ndata: DATA`, blocks apart by a blank line.
 */
export const parseEvents = (text: string): Array<Event> =>
  text.split("\n\n").filter((block) => block.trim() !== "").map((block) => {
    const found = /^event: (.+)\ndata: (.+)$/.exec(block.trim())
    if (found === null) throw new Error(`Not an event: ${JSON.stringify(block)}`)
    return { event: found[1]!, data: parse(found[2]!) ?? found[2] }
  })

/**
 * The event names, each run of repeated deltas counted once: a sequence that does not depend on the text.
 */
export const outline = (events: ReadonlyArray<Event>): Array<string> =>
  events.map((event) => event.event).filter((name, index, names) =>
    !(name.endsWith(".delta") && names[index - 1] === name)
  )

/**
 * A request sent with `fetch`, its answer not read yet.
 */
export const open = (
  emulator: Emulator.Handle,
  method: string,
  path: string,
  options: { readonly body?: unknown; readonly headers?: Record<string, string>; readonly signal?: AbortSignal } = {}
): Promise<Response> =>
  fetch(emulator.url + path, {
    method,
    headers: {
      authorization: `Bearer ${emulator.apiKey}`,
      "openai-beta": "assistants=v2",
      "content-type": "application/json",
      ...options.headers
    },
    body: options.body === undefined ? null : JSON.stringify(options.body),
    signal: options.signal ?? null
  })

/**
 * Reads a body to its end or to its failure: the text received, the pieces it came in, and the error, if any.
 */
export const readAll = async (
  response: Response
): Promise<{ readonly text: string; readonly reads: number; readonly error: unknown }> => {
  const reader = response.body!.getReader()
  const decoder = new TextDecoder()
  let text = ""
  let reads = 0
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) return { text: text + decoder.decode(), reads, error: undefined }
      reads++
      text += decoder.decode(value, { stream: true })
    }
  } catch (error) {
    return { text, reads, error }
  }
}

/**
 * One request over a raw TCP socket (`connection: close`): the response head, the body bytes as they arrived, and
 * the socket error (`ECONNRESET`), if any.
 */
export const raw = (
  emulator: Emulator.Handle,
  method: string,
  path: string,
  body?: unknown
): Promise<{ readonly head: string; readonly body: Buffer; readonly error: string | undefined }> =>
  new Promise((resolve) => {
    const url = new URL(emulator.url + path)
    const payload = body === undefined ? "" : JSON.stringify(body)
    const socket = connect(Number(url.port), url.hostname)
    const chunks: Array<Buffer> = []
    let error: string | undefined
    socket.on("data", (chunk: Buffer) => chunks.push(chunk))
    socket.on("error", (cause: NodeJS.ErrnoException) => {
      error = cause.code
    })
    socket.on("close", () => {
      const all = Buffer.concat(chunks)
      const end = all.indexOf("\r\n\r\n")
      resolve({ head: all.subarray(0, end).toString("latin1"), body: all.subarray(end + 4), error })
    })
    // Not `end`: a client that half-closes its side gets no answer from a node:http server.
    socket.write(
      `${method} ${url.pathname} HTTP/1.1\r\nhost: ${url.host}\r\nauthorization: Bearer ${emulator.apiKey}\r\n` +
        `openai-beta: assistants=v2\r\ncontent-type: application/json\r\n` +
        `content-length: ${Buffer.byteLength(payload)}\r\nconnection: close\r\n\r\n${payload}`
    )
  })

/**
 * The chunks of a `transfer-encoding: chunked` body, as the server wrote them.
 */
export const dechunk = (body: Buffer): Array<Buffer> => {
  const chunks: Array<Buffer> = []
  let at = 0
  for (;;) {
    const lineEnd = body.indexOf("\r\n", at)
    const size = parseInt(body.subarray(at, lineEnd).toString("latin1"), 16)
    if (size === 0) return chunks
    chunks.push(body.subarray(lineEnd + 2, lineEnd + 2 + size))
    at = lineEnd + 2 + size + 2
  }
}

/**
 * The header lines of a raw response head with this name (lower case).
 */
export const headerLines = (head: string, name: string): Array<string> =>
  head.split("\r\n").filter((line) => line.toLowerCase().startsWith(`${name}:`)).map((line) =>
    line.slice(name.length + 1).trim()
  )

/**
 * Waits (in real time) until `condition` holds, or fails after `timeoutMs`.
 */
export const eventually = (condition: () => boolean, timeoutMs = 2000): Effect.Effect<void> =>
  Effect.promise(async () => {
    const deadline = Date.now() + timeoutMs
    while (!condition()) {
      if (Date.now() > deadline) throw new Error("Timed out waiting for a condition")
      await new Promise((resolve) => setTimeout(resolve, 5))
    }
  })
