import { RunsService } from "@effect-openai/runs"
import { Emulator } from "@effect-openai/runs-emulator"
import { expect, layer } from "@effect/vitest"
import { Effect } from "effect"
import { createServer, type IncomingHttpHeaders } from "node:http"
import type { AddressInfo } from "node:net"
import { emulatorLayer } from "../../packages/runs/test/support/emulator.js"

/** Another origin on loopback that records whatever reaches it. */
const otherOrigin = Effect.acquireRelease(
  Effect.async<{ readonly url: string; readonly received: Array<IncomingHttpHeaders>; close: () => void }>((resume) => {
    const received: Array<IncomingHttpHeaders> = []
    const server = createServer((request, response) => {
      received.push(request.headers)
      response.end("{}")
    })
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo
      resume(Effect.succeed({ url: `http://127.0.0.1:${port}/steal`, received, close: () => server.close() }))
    })
  }),
  (origin) => Effect.sync(() => origin.close())
)

layer(emulatorLayer({ transport: "socket", emulator: { lifecycle: { mode: "manual" } } }))("redirects", (it) => {
  for (const status of [301, 302, 307, 308]) {
    it.scoped(`a ${status} to another origin is not followed, so the key never goes there`, () =>
      Effect.gen(function*() {
        const emulator = yield* Emulator.Emulator
        const origin = yield* otherOrigin
        const seeded = emulator.seedRun()
        emulator.enqueueFault({ method: "GET", status, headers: { location: origin.url }, body: "" })
        const runs = yield* RunsService.RunsService
        const error = yield* Effect.flip(runs.getRun(seeded.thread_id, seeded.id))
        expect(error).toMatchObject({ _tag: "ApiError", status })
        expect(origin.received).toHaveLength(0)
      }))
  }
})
