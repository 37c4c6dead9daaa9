/**
 * The payloads the benchmark server answers with and the decoding workloads decode: the spec's Run example, a page
 * of 100 runs made from it, and a long event stream made from a recorded one.
 */
import * as fs from "node:fs"

const fixturePath = new URL("../../../test/fixtures/spec-examples/getRun.response.json", import.meta.url)

/** The Run example of the OpenAI spec (`getRun` response), as JSON. */
export const run: Readonly<Record<string, unknown>> = JSON.parse(fs.readFileSync(fixturePath, "utf8"))

/** The Run example as the server sends it. */
export const runText = JSON.stringify(run)

/** The Run example with another id and status. */
export const runWith = (fields: Readonly<Record<string, unknown>>): Record<string, unknown> => ({ ...run, ...fields })

const pageRuns = Array.from({ length: 100 }, (_, i) => runWith({ id: `run_${String(i).padStart(6, "0")}` }))

/** A page of 100 runs (`GET /threads/{thread_id}/runs`), as JSON. */
export const page = {
  object: "list",
  data: pageRuns,
  first_id: pageRuns[0]!.id,
  last_id: pageRuns[pageRuns.length - 1]!.id,
  has_more: false
}

/** The page of 100 runs as the server sends it. */
export const pageText = JSON.stringify(page)

/** The thread whose runs the server sends chunked, without a `content-length` (as a compressing server would). */
export const chunkedThreadId = "thread_chunked"

/** The thread whose runs report `in_progress` for the first {@link pollsToComplete} − 1 GETs of each run id. */
export const pollThreadId = "thread_poll"

/** The GET of a run on {@link pollThreadId} that first reports `completed`. */
export const pollsToComplete = 50

const streamPath = new URL(
  "../../../test/fixtures/recorded-openai-dotnet/submitToolOutputs.stream.2025-10-30.completed.response.sse.txt",
  import.meta.url
)

const longStreamText: ReadonlyArray<string> = (() => {
  const text = fs.readFileSync(streamPath, "utf8")
  const events = text.split(/\n\n/).filter((event) => event.trim() !== "")
  const deltas = events.filter((event) => event.startsWith("event: thread.message.delta"))
  const firstDelta = events.findIndex((event) => event.startsWith("event: thread.message.delta"))
  const repeated = Array.from({ length: Math.ceil(2000 / deltas.length) }, () => deltas).flat()
  return [...events.slice(0, firstDelta), ...repeated, ...events.slice(firstDelta + deltas.length)]
})()

/**
 * A long event stream: a recorded one (`submitToolOutputs`, ending `completed`) whose message deltas are repeated
 * until it holds about 2,000 events, as the bytes the server sends.
 */
export const longStream: Uint8Array = new TextEncoder().encode(longStreamText.map((event) => `${event}\n\n`).join(""))

/** The events of {@link longStream} a client gives: all but the final `done`. */
export const longStreamEvents: number = longStreamText.length - 1

/** The assistant of the streamed `createRun` (the server answers for any). */
export const assistantId = "asst_abc123"
