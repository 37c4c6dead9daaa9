import { Message, RunsService, RunStream } from "@effect-openai/runs"
import { Emulator, Fault } from "@effect-openai/runs-emulator"
import { describe, expect, layer } from "@effect/vitest"
import { Chunk, Effect, Exit, Stream, TestServices } from "effect"
import { emulatorLayer } from "../../packages/runs/test/support/emulator.js"
import { runOnTestClock } from "../../packages/runs/test/support/testClock.js"
import { fixturePaths, readFixture } from "../support/fixtures.js"
import { transports } from "../support/transports.js"

const eventNames = (text: string) =>
  text.split(/\r?\n/).filter((line) => line.startsWith("event: ")).map((line) => line.slice(7)).filter((name) =>
    name !== "done"
  )

const storyAssistant = (emulator: Emulator.Handle) =>
  emulator.seedAssistant({
    instructions: "Tell stories.",
    script: [{
      type: "message",
      text: "Once upon a time, a stream arrived in many small pieces, and nothing was lost."
    }]
  })

// The streaming tests over every transport: the same table of tests whichever HttpClient carries the stream.
for (const transport of transports) {
  describe(`streamed runs over loopback, ${transport.name}`, () => {
    layer(
      emulatorLayer({
        transport: "socket",
        http: transport.layer,
        emulator: { lifecycle: { mode: "manual" }, streaming: { chunkBytes: 7 } }
      })
    )((it) => {
      for (const path of fixturePaths(".sse.txt").filter((path) => path.startsWith("recorded"))) {
        it.effect(`${path}, dripped a few bytes at a time, decodes through the client`, () =>
          TestServices.provideLive(Effect.gen(function*() {
            const emulator = yield* Emulator.Emulator
            const runs = yield* RunsService.RunsService
            const text = readFixture(path)
            emulator.enqueueFault(
              Fault.slowDrip({
                method: "POST",
                status: 200,
                headers: { "content-type": "text/event-stream" },
                body: text,
                bytes: 13,
                intervalMs: 0
              })
            )
            const events = yield* Stream.runCollect(runs.createRunStream("thread_x", { assistant_id: "asst_x" }))
            expect(Chunk.toReadonlyArray(events).map((event) => event.event)).toEqual(eventNames(text))
          })))
      }

      it.effect("the emulator's own stream, split into 7-byte chunks: text, final run and store agree", () =>
        Effect.gen(function*() {
          const emulator = yield* Emulator.Emulator
          const runs = yield* RunsService.RunsService
          const thread = emulator.seedThread()
          const stream = runs.createRunStream(thread.id, { assistant_id: storyAssistant(emulator).id })
          const events = Chunk.toReadonlyArray(yield* Stream.runCollect(stream))
          const text = Chunk.toReadonlyArray(
            yield* Stream.runCollect(RunStream.textDeltas(Stream.fromIterable(events)))
          )
            .join("")
          const run = yield* RunStream.finalRun(Stream.fromIterable(events))
          expect(run.status).toBe("completed")
          expect(text).toBe("Once upon a time, a stream arrived in many small pieces, and nothing was lost.")
          const completed = events.find((event) => event.event === "thread.message.completed")
          expect(completed?.data instanceof Message.Message && Message.text(completed.data)).toBe(text)
          expect((yield* runs.getRun(thread.id, run.id)).status).toBe("completed")
          expect(events[0]?.event).toBe("thread.run.created")
        }))

      it.effect("createThreadAndRunStream starts with thread.created", () =>
        Effect.gen(function*() {
          const emulator = yield* Emulator.Emulator
          const runs = yield* RunsService.RunsService
          const events = yield* Stream.runCollect(
            runs.createThreadAndRunStream({
              assistant_id: storyAssistant(emulator).id,
              thread: { messages: [{ role: "user", content: "A story, please." }] }
            })
          )
          expect(Chunk.unsafeHead(events).event).toBe("thread.created")
          expect(Chunk.unsafeLast(events).event).toBe("thread.run.completed")
        }))

      it.effect("a function call streams to requires_action; submitToolOutputsStream streams to the end", () =>
        Effect.gen(function*() {
          const emulator = yield* Emulator.Emulator
          const runs = yield* RunsService.RunsService
          const assistant = emulator.seedAssistant({
            tools: [{ type: "function", function: { name: "get_weather" } }],
            script: [
              { type: "function_call", name: "get_weather", arguments: { city: "Paris" } },
              { type: "message", text: "Sunny." }
            ]
          })
          const thread = emulator.seedThread()
          const first = runs.createRunStream(thread.id, { assistant_id: assistant.id })
          const calls = Chunk.toReadonlyArray(yield* Stream.runCollect(RunStream.toolCalls(first)))
          expect(calls).toHaveLength(1)
          expect(calls[0]?.call.function).toEqual({ name: "get_weather", arguments: "{\"city\":\"Paris\"}" })
          const done = yield* RunStream.finalRun(
            runs.submitToolOutputsStream(thread.id, calls[0]!.runId, {
              tool_outputs: [{ tool_call_id: calls[0]!.call.id, output: "sunny" }]
            })
          )
          expect(done.status).toBe("completed")
        }))

      it.effect("a stream whose connection the server drops mid-way fails with ConnectionError", () =>
        Effect.gen(function*() {
          const emulator = yield* Emulator.Emulator
          const runs = yield* RunsService.RunsService
          emulator.enqueueStreamFault(Fault.cutStream(4))
          const exit = yield* Effect.exit(
            RunStream.finalRun(
              runs.createRunStream(emulator.seedThread().id, { assistant_id: storyAssistant(emulator).id })
            )
          )
          const error = Exit.isFailure(exit) && exit.cause._tag === "Fail" ? exit.cause.error : undefined
          expect(error?._tag).toBe("ConnectionError")
        }))

      it.effect("an error event fails the stream with the server's message", () =>
        Effect.gen(function*() {
          const emulator = yield* Emulator.Emulator
          const runs = yield* RunsService.RunsService
          emulator.enqueueStreamFault(Fault.streamError(3, { message: "The model crashed" }))
          const error = yield* Effect.flip(
            Stream.runDrain(
              runs.createRunStream(emulator.seedThread().id, { assistant_id: storyAssistant(emulator).id })
            )
          )
          expect(error).toMatchObject({ _tag: "StreamEventError", message: "The model crashed", type: "server_error" })
        }))

      it.effect("opening a stream answered 500 is not retried; answered 429 it is", () =>
        Effect.gen(function*() {
          const emulator = yield* Emulator.Emulator
          const runs = yield* RunsService.RunsService
          const assistant = storyAssistant(emulator)
          const posts = () => emulator.requests().filter((r) => r.method === "POST").length
          emulator.clearRequests()
          emulator.enqueueFault(Fault.status(500, { method: "POST" }))
          const first = yield* Effect.flip(
            Stream.runDrain(runs.createRunStream(emulator.seedThread().id, { assistant_id: assistant.id }))
          )
          expect([first._tag, posts()]).toEqual(["InternalServerError", 1])
          emulator.clearRequests()
          emulator.enqueueFault(Fault.status(429, { method: "POST", headers: { "retry-after-ms": "50" } }))
          const second = yield* runOnTestClock(
            Stream.runDrain(runs.createRunStream(emulator.seedThread().id, { assistant_id: assistant.id })),
            { horizonMillis: 1_000 }
          )
          expect([second._tag, posts()]).toEqual(["Success", 2])
        }))
    })

    layer(
      emulatorLayer({
        transport: "socket",
        http: transport.layer,
        emulator: { lifecycle: { mode: "manual" }, streaming: { eventDelayMs: 30 } }
      })
    )((it) => {
      it.effect("interrupting the consumer closes the connection at once: the emulator sees the client leave", () =>
        TestServices.provideLive(Effect.gen(function*() {
          const emulator = yield* Emulator.Emulator
          const runs = yield* RunsService.RunsService
          const before = emulator.streamsClosedByClient()
          const firstTwo = yield* Stream.runCollect(
            Stream.take(
              runs.createRunStream(emulator.seedThread().id, { assistant_id: storyAssistant(emulator).id }),
              2
            )
          )
          expect(Chunk.size(firstTwo)).toBe(2)
          for (let i = 0; i < 50 && emulator.streamsClosedByClient() === before; i++) yield* Effect.sleep("10 millis")
          expect(emulator.streamsClosedByClient()).toBe(before + 1)
        })))
    })
  })

  describe(`a stream that ends cleanly but early, over ${transport.name}`, () => {
    layer(emulatorLayer({ transport: "socket", http: transport.layer, emulator: { lifecycle: { mode: "manual" } } }))(
      (it) => {
        it.effect("finalRun fails with StreamEndedError naming the last event", () =>
          Effect.gen(function*() {
            const emulator = yield* Emulator.Emulator
            const runs = yield* RunsService.RunsService
            const text = readFixture(
              "recorded-openai-dotnet/submitToolOutputs.stream.2025-10-30.completed.response.sse.txt"
            )
            emulator.enqueueFault({
              method: "POST",
              status: 200,
              headers: { "content-type": "text/event-stream" },
              body: text.slice(0, text.indexOf("event: thread.run.completed"))
            })
            const error = yield* Effect.flip(
              RunStream.finalRun(runs.createRunStream("thread_x", { assistant_id: "asst_x" }))
            )
            expect(error).toMatchObject({ _tag: "StreamEndedError", lastEvent: "thread.run.step.completed" })
          }))
      }
    )
  })
}
