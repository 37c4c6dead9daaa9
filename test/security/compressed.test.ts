/**
 * A compressed answer whose `content-length` is the compressed size: a transport that decompresses (`fetch` asks
 * for gzip, deflate and br on its own) hands the client many times the announced bytes. The bound must hold on what
 * the client reads, not on what the server announced: a small gzip that inflates far past `maxResponseBytes` ends in
 * `ResponseTooLargeError`, never in a body read whole.
 */
import { OpenAiClient, RunsService } from "@effect-openai/runs"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer, Redacted } from "effect"
import * as Http from "node:http"
import type { AddressInfo } from "node:net"
import { gzipSync } from "node:zlib"
import { transports } from "../support/transports.js"

const inflated = 64 * 1024 * 1024
const maxResponseBytes = 1024 * 1024

/** A server answering every request with `body`, gzip-compressed, its compressed length announced. */
const gzipServer = (body: Buffer) =>
  Effect.acquireRelease(
    Effect.async<Http.Server>((resume) => {
      const compressed = gzipSync(body)
      const server = Http.createServer((_request, response) => {
        response.writeHead(200, {
          "content-type": "application/json",
          "content-encoding": "gzip",
          "content-length": String(compressed.length)
        })
        response.end(compressed)
      })
      server.listen(0, "127.0.0.1", () => resume(Effect.succeed(server)))
    }),
    (server) =>
      Effect.async<void>((resume) => {
        server.close(() => resume(Effect.void))
        server.closeAllConnections()
      })
  )

describe("a gzip answer that inflates past maxResponseBytes", () => {
  for (const transport of transports) {
    it.scoped(`over ${transport.name}: never read whole; ResponseTooLargeError where the transport inflates it`, () =>
      Effect.gen(function*() {
        // 64 MiB of a JSON string: about 64 KiB compressed, far below the bound as announced.
        const server = yield* gzipServer(Buffer.from(`"${"a".repeat(inflated - 2)}"`))
        const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`
        const error = yield* RunsService.RunsService.pipe(
          Effect.flatMap((runs) => runs.getRun("thread_1", "run_1")),
          Effect.flip,
          Effect.provide(RunsService.layer.pipe(
            Layer.provide(OpenAiClient.layer({ apiKey: Redacted.make("sk-test"), apiUrl: url, maxResponseBytes })),
            Layer.provide(transport.layer)
          ))
        )
        // A transport that inflates gives the client the 64 MiB: it stops at the bound. One that does not gives it
        // the compressed bytes, which are not JSON.
        expect(error._tag).toBe(transport.name === "FetchHttpClient" ? "ResponseTooLargeError" : "ResponseDecodeError")
        if (error._tag === "ResponseTooLargeError") expect(error.limitBytes).toBe(maxResponseBytes)
        // Either way the message holds an excerpt at most, never the body.
        expect(error.message.length).toBeLessThan(4096)
      }))
  }
})
