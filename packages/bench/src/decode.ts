/**
 * Decoding alone, without HTTP: `JSON.parse` of a body against decoding the parsed value, with plain Schema and with
 * the library's own decoder (the one its client runs on every 2xx body: a compiled fast path, Schema as fallback),
 * for one Run and for a page of 100 runs.
 */
import { Effect, Schema, Stream } from "effect"
import type { RunsModule } from "./clients.js"
import * as Fixtures from "./fixtures.js"
import { batchSync, gc, merge, type Sample } from "./measure.js"

/** The operations compared; ratios are to `JSON.parse`. */
export type DecodeName = "JSON.parse" | "decodeUnknownSync" | "decode (library)"

/** One decoding workload: each operation on the same body. */
export interface DecodeWorkload {
  readonly name: "decode Run" | "decode list of 100" | "decode SSE stream (~2k events)"
  readonly operations: ReadonlyArray<readonly [DecodeName, () => unknown]>
  /** Operations per timed block. */
  readonly perBlock: number
  /** Timed blocks per operation and round in a full run (`--quick` times a tenth). */
  readonly blocks: number
}

/** What the library's decoder reports a failure with; never used here, as every body is valid. */
const context = { status: 200, requestId: null, attempts: 1, scrub: (text: string) => text }

/**
 * The library's decoders. They are internal, so the bench (private to this repository) loads them from beside the
 * module under test (`src/internal/…` of `@effect-openai/runs`, `dist/internal/…` of a build given in
 * `BENCH_RUNS_MODULE`); one that is not there (renamed, moved) leaves its operation out of the table.
 */
interface Internals {
  readonly makeDecoder: (<A, I>(schema: Schema.Schema<A, I>) => { readonly decode: (body: unknown) => unknown }) | null
  readonly decodeEvents:
    | ((bytes: Stream.Stream<Uint8Array>, decodeContext: typeof context) => Stream.Stream<unknown, unknown>)
    | null
}

const loadInternals = async (runsModule: string): Promise<Internals> => {
  const base = import.meta.resolve(runsModule)
  const load = (path: string): Promise<Record<string, unknown>> => import(new URL(path, base).href).catch(() => ({}))
  const decode = await load("./internal/decode.js")
  const eventStream = await load("./internal/eventStream.js")
  const internals: Internals = {
    makeDecoder: typeof decode.makeDecoder === "function" ? decode.makeDecoder as Internals["makeDecoder"] : null,
    decodeEvents: typeof eventStream.decode === "function" ? eventStream.decode as Internals["decodeEvents"] : null
  }
  if (internals.makeDecoder === null) {
    process.stderr.write("decode (library) skipped: no internal/decode.js makeDecoder\n")
  }
  if (internals.decodeEvents === null) process.stderr.write("decode SSE skipped: no internal/eventStream.js decode\n")
  return internals
}

type Operations = ReadonlyArray<readonly [DecodeName, () => unknown]>

const operations = <A, I>(schema: Schema.Schema<A, I>, text: string, internals: Internals): Operations => {
  const json: unknown = JSON.parse(text)
  const decodeSync = Schema.decodeUnknownSync(schema)
  const decodeLibrary = internals.makeDecoder?.(schema)
  return [
    ["JSON.parse", () => JSON.parse(text)],
    ["decodeUnknownSync", () => decodeSync(json)],
    ...(decodeLibrary === undefined ? [] : [["decode (library)", () => decodeLibrary.decode(json)] as const])
  ]
}

/**
 * A whole event stream: `JSON.parse` of every `data:` line of its text, against the library's event decoding
 * (bytes → text → SSE events → typed events), run synchronously over the bytes in 16 KB chunks.
 */
const streamOperations = (bytes: Uint8Array, internals: Internals): Operations => {
  const text = new TextDecoder().decode(bytes)
  const chunks = Array.from(
    { length: Math.ceil(bytes.length / 16_384) },
    (_, i) => bytes.subarray(i * 16_384, (i + 1) * 16_384)
  )
  const decodeEvents = internals.decodeEvents
  return [
    ["JSON.parse", () => text.split("\n").forEach((line) => line.startsWith("data: {") && JSON.parse(line.slice(6)))],
    ...(decodeEvents === null ? [] : [
      [
        "decode (library)",
        () => Effect.runSync(Stream.runDrain(decodeEvents(Stream.fromIterable(chunks), context)))
      ] as const
    ])
  ]
}

/** The decoding workloads of our `Run` schema, `runsModule` being where `module` was imported from. */
export const workloads = async (module: RunsModule, runsModule: string): Promise<ReadonlyArray<DecodeWorkload>> => {
  const internals = await loadInternals(runsModule)
  const page = module.Page.Page(module.Run.Run)
  return [
    {
      name: "decode Run",
      operations: operations(module.Run.Run, Fixtures.runText, internals),
      perBlock: 200,
      blocks: 200
    },
    {
      name: "decode list of 100",
      operations: operations(page, Fixtures.pageText, internals),
      perBlock: 4,
      blocks: 100
    },
    {
      name: "decode SSE stream (~2k events)",
      operations: streamOperations(Fixtures.longStream, internals),
      perBlock: 1,
      blocks: 100
    }
  ]
}

/** Runs each operation of a workload in interleaved rounds of `blocks` blocks, after a warm-up. */
export const measure = (
  workload: DecodeWorkload,
  rounds: number,
  blocks: number
): ReadonlyArray<readonly [DecodeName, Sample]> => {
  for (const [, operation] of workload.operations) batchSync(operation, blocks, workload.perBlock)
  const samples = workload.operations.map(() => [] as Array<Sample>)
  for (let round = 0; round < rounds; round++) {
    workload.operations.forEach(([, operation], i) => {
      gc()
      samples[i]!.push(batchSync(operation, blocks, workload.perBlock))
    })
  }
  return workload.operations.map(([name], i) => [name, merge(samples[i]!)] as const)
}
