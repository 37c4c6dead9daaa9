/**
 * Decoding alone, without HTTP: `JSON.parse` of a body against the Schema decode of the parsed value, for one Run
 * and for a page of 100 runs.
 */
import { Schema } from "effect"
import type { RunsModule } from "./clients.js"
import * as Fixtures from "./fixtures.js"
import { batchSync, gc, merge, type Sample } from "./measure.js"

/** The operations compared; ratios are to `JSON.parse`. */
export type DecodeName = "JSON.parse" | "decodeUnknownSync" | "decode (library options)"

/** One decoding workload: each operation on the same body. */
export interface DecodeWorkload {
  readonly name: "decode Run" | "decode list of 100"
  readonly operations: ReadonlyArray<readonly [DecodeName, () => unknown]>
  /** Operations per timed block in a full run. */
  readonly perBlock: number
}

/** The library decodes 2xx bodies with these options (`internal/decode.ts`, not exported). */
const libraryOptions = { errors: "first", onExcessProperty: "ignore" } as const

const operations = <A, I>(schema: Schema.Schema<A, I>, text: string) => {
  const json: unknown = JSON.parse(text)
  const decodeSync = Schema.decodeUnknownSync(schema)
  const decodeEither = Schema.decodeUnknownEither(schema, libraryOptions)
  return [
    ["JSON.parse", () => JSON.parse(text)],
    ["decodeUnknownSync", () => decodeSync(json)],
    ["decode (library options)", () => decodeEither(json)]
  ] as const
}

/** The decoding workloads of our `Run` schema. */
export const workloads = (module: RunsModule): ReadonlyArray<DecodeWorkload> => {
  const page = Schema.Struct({
    object: Schema.Literal("list"),
    data: Schema.Array(module.Run.Run),
    first_id: Schema.NullOr(Schema.String),
    last_id: Schema.NullOr(Schema.String),
    has_more: Schema.Boolean
  })
  return [
    { name: "decode Run", operations: operations(module.Run.Run, Fixtures.runText), perBlock: 200 },
    { name: "decode list of 100", operations: operations(page, Fixtures.pageText), perBlock: 4 }
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
