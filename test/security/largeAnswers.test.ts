/**
 * Answers far too large to hold, against the whole client over every transport, in a child process with a 256 MB
 * heap (`support/largeAnswers.ts`): each ends in `ResponseTooLargeError` at the bound, after one request, quickly,
 * with memory growing by about the bound at most; the process survives, and the client still works after.
 *
 * One child runs every transport in turn (starting a child costs more than all the scenarios of one transport). The
 * script has more scenarios than are run here (the 450 MB body and the page without `content-length`, endless data
 * lines at 10 MiB): they take the paths of those run, more slowly.
 * `maxResponseBytes` lifted per call above a 450 MB body of small arrays is left out: the client then reads it all
 * (about 11 s on loopback, 1.5 GB resident) and `JSON.parse` of its 150 million arrays exhausts the heap, a V8 abort;
 * run it by hand with `node --max-old-space-size=256 --expose-gc --conditions=source --import tsx
 * test/security/support/largeAnswers.ts UndiciHttpClient lifted`.
 */
import { beforeAll, describe, expect, it } from "@effect/vitest"
import { type ChildResult, runScript } from "../support/childProcess.js"
import { transports } from "../support/transports.js"
import type { Outcome } from "./support/largeAnswers.js"

const maxResponseBytes = 32 * 1024 * 1024
const maxEventBytes = 10 * 1024 * 1024
const mib = 1024 * 1024

/** The scenarios of the script run here, and what each must end with. */
const expected: ReadonlyArray<
  { readonly scenario: string; readonly title: string; readonly limitBytes: number; readonly message: string }
> = [
  {
    scenario: "2GiB",
    title: "getRun, a 2 GiB body with content-length",
    limitBytes: maxResponseBytes,
    message: "The response announces 2147483648 bytes, more than maxResponseBytes (33554432 bytes)"
  },
  {
    scenario: "2GiB-chunked",
    title: "getRun, a 2 GiB body without content-length",
    limitBytes: maxResponseBytes,
    message: "The response body is larger than maxResponseBytes (33554432 bytes)"
  },
  {
    scenario: "450MB-arrays",
    title: "getRun, 450 MB of small arrays with content-length",
    limitBytes: maxResponseBytes,
    message: "The response announces 450000000 bytes, more than maxResponseBytes (33554432 bytes)"
  },
  {
    scenario: "page-1M",
    title: "listRuns, a page of 1,000,000 runs",
    limitBytes: maxResponseBytes,
    message: "more than maxResponseBytes (33554432 bytes)"
  },
  {
    scenario: "endless-data-line",
    title: "createRunStream, an endless data line at the default maxEventBytes",
    limitBytes: maxEventBytes,
    message: "An event of the stream is larger than 10485760 bytes (maxEventBytes)"
  }
]

let child: ChildResult
let outcomes: ReadonlyArray<Outcome & { readonly transport: string }>

beforeAll(async () => {
  child = await runScript(new URL("./support/largeAnswers.ts", import.meta.url).pathname, {
    maxOldSpaceMb: 256,
    nodeFlags: ["--expose-gc"],
    args: [transports.map((transport) => transport.name).join(","), expected.map((row) => row.scenario).join(",")],
    timeoutMs: 90_000
  })
  outcomes = child.stdout.split("\n").filter((line) => line.startsWith("{")).map((line) => JSON.parse(line))
}, 100_000)

describe("answers too large to hold, in a child process with a 256 MB heap", () => {
  it("the child survives every scenario over every transport: exit code 0, well within the time allowed", () => {
    expect({ code: child.code, signal: child.signal, timedOut: child.timedOut, stderr: child.stderr }).toEqual({
      code: 0,
      signal: null,
      timedOut: false,
      stderr: ""
    })
    expect(child.durationMs).toBeLessThan(60_000)
  })

  for (const transport of transports) {
    describe(`over ${transport.name}`, () => {
      const outcomeOf = (scenario: string) =>
        outcomes.find((outcome) => outcome.transport === transport.name && outcome.scenario === scenario)

      for (const row of expected) {
        it(`${row.title}: ResponseTooLargeError at ${row.limitBytes} bytes, one request, quickly, memory bounded`, () => {
          const outcome = outcomeOf(row.scenario)
          expect(outcome, `no outcome printed; stderr: ${child.stderr.slice(0, 2000)}`).toBeDefined()
          expect(outcome).toMatchObject({
            outcome: "ResponseTooLargeError",
            limitBytes: row.limitBytes,
            message: expect.stringContaining(row.message),
            // not retried (the client's default maxRetries is 2)
            requests: 1
          })
          expect(outcome!.ms).toBeLessThan(10_000)
          // At most the bound (and a chunk) is held, and what the transport buffers: a fraction of the body.
          expect(outcome!.heapGrowth).toBeLessThan(96 * mib)
          expect(outcome!.externalGrowth).toBeLessThan(96 * mib)
          expect(outcome!.rssGrowth).toBeLessThan(192 * mib)
        })
      }

      it("afterwards, the client still works", () => {
        expect(outcomeOf("after")).toMatchObject({ outcome: "Success" })
      })
    })
  }
})
