import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as FiberSet from "effect/FiberSet"
import type * as Scope from "effect/Scope"
import * as Http from "node:http"
import type { AddressInfo, Socket } from "node:net"
import * as Ids from "./ids.js"
import type * as Reply from "./reply.js"

/**
 * A request as read off the socket, body included.
 *
 * @internal
 */
export interface Incoming {
  readonly method: string
  readonly url: URL
  readonly headers: Http.IncomingHttpHeaders
  readonly body: string
  /** When it arrived (ms). */
  readonly time: number
}

/** @internal */
export interface Server {
  readonly port: number
  readonly openConnections: () => number
  /** How many event streams the client closed before the emulator finished writing them. */
  readonly streamsClosedByClient: () => number
}

const readBody = (request: Http.IncomingMessage): Effect.Effect<string> =>
  Effect.async((resume) => {
    const chunks: Array<Buffer> = []
    request.on("data", (chunk: Buffer) => chunks.push(chunk))
    request.once("end", () => resume(Effect.succeed(Buffer.concat(chunks).toString("utf8"))))
    request.once("close", () => {
      if (!request.complete) resume(Effect.interrupt)
    })
  })

const writeChunk = (response: Http.ServerResponse, chunk: Buffer): Effect.Effect<void> =>
  Effect.async((resume) => {
    response.write(chunk, () => resume(Effect.void))
  })

const finish = (response: Http.ServerResponse, ending: Reply.Ending): Effect.Effect<void> => {
  switch (ending) {
    case "end":
      return Effect.sync(() => response.end())
    case "close":
      return Effect.sync(() => response.socket?.destroy())
    case "reset":
      return Effect.sync(() => response.socket?.resetAndDestroy())
  }
}

const headersOf = (reply: Reply.Send): Http.OutgoingHttpHeaders => ({
  "x-request-id": Ids.requestId(),
  ...(reply.length === undefined ? {} : { "content-length": String(reply.length) }),
  ...Object.fromEntries(
    Object.entries(reply.headers).map(([name, value]) => [name, typeof value === "string" ? value : [...value]])
  )
})

/** Headers, then each write after its pause; an answer in pieces shows its headers before the first one. */
const writeBody = (response: Http.ServerResponse, reply: Reply.Send): Effect.Effect<void> =>
  Effect.gen(function*() {
    response.writeHead(reply.status, headersOf(reply))
    if (reply.writes.length !== 1 || reply.ending !== "end") response.flushHeaders()
    for (const write of reply.writes) {
      if (write.delayMs > 0) yield* Effect.sleep(write.delayMs)
      yield* writeChunk(response, write.chunk)
    }
  })

/** Succeeds if the connection closes before the answer is finished, unless the emulator is ending it. */
const closedEarly = (response: Http.ServerResponse, ending: () => boolean): Effect.Effect<void> =>
  Effect.async((resume) => {
    const onClose = () => {
      if (!response.writableFinished && !ending()) resume(Effect.void)
    }
    response.once("close", onClose)
    return Effect.sync(() => response.off("close", onClose))
  })

const isEventStream = (reply: Reply.Send): boolean =>
  String(reply.headers["content-type"]).startsWith("text/event-stream")

/**
 * Writes a reply; stops when the client goes away mid-answer, and tells `onStreamClosed` if that was an event
 * stream.
 */
const write = (response: Http.ServerResponse, reply: Reply.Reply, onStreamClosed: () => void): Effect.Effect<void> => {
  if (reply._tag === "Reset") return Effect.sync(() => response.socket?.destroy())
  let ending = false
  const deliver = Effect.zipRight(
    writeBody(response, reply),
    Effect.suspend(() => {
      ending = true
      return finish(response, reply.ending)
    })
  )
  const closed = closedEarly(response, () => ending)
  return Effect.raceFirst(deliver, isEventStream(reply) ? Effect.tap(closed, onStreamClosed) : closed)
}

const serve = (
  request: Http.IncomingMessage,
  response: Http.ServerResponse,
  handle: (incoming: Incoming) => Effect.Effect<Reply.Reply>,
  onStreamClosed: () => void
): Effect.Effect<void> =>
  Effect.gen(function*() {
    const time = Date.now()
    const body = yield* readBody(request)
    const reply = yield* handle({
      method: request.method ?? "GET",
      url: new URL(request.url ?? "/", "http://emulator"),
      headers: request.headers,
      body,
      time
    })
    yield* write(response, reply, onStreamClosed)
  })

const listenOn = (server: Http.Server, host: string, port: number): Effect.Effect<number> =>
  Effect.async((resume) => {
    const fail = (error: Error) => resume(Effect.die(error))
    server.once("error", fail)
    server.listen(port, host, () => {
      server.off("error", fail)
      resume(Effect.succeed((server.address() as AddressInfo).port))
    })
  })

/** A socket still tracked has not emitted `close` yet: it leaves the set on that event. */
const socketClosed = (socket: Socket): Promise<void> => new Promise((resolve) => socket.once("close", () => resolve()))

/**
 * Stops listening and destroys every connection, idle keep-alive ones included, so closing never hangs; done when
 * every socket is closed.
 */
const shutdown = (server: Http.Server, sockets: ReadonlySet<Socket>): Effect.Effect<void> =>
  Effect.promise(() => {
    const closed = Promise.all([
      new Promise<void>((resolve) => server.close(() => resolve())),
      ...Array.from(sockets, socketClosed)
    ])
    server.closeAllConnections()
    return closed
  })

/**
 * A `node:http` server answering with `handle`, listening until the scope closes; requests still being answered
 * then are interrupted.
 *
 * @internal
 */
export const listen = (options: {
  readonly host: string
  readonly port: number
  readonly handle: (incoming: Incoming) => Effect.Effect<Reply.Reply>
}): Effect.Effect<Server, never, Scope.Scope> =>
  Effect.gen(function*() {
    const run = yield* FiberSet.makeRuntime<never, void, never>()
    // A real server keeps real time, even when built in a test whose clock is a TestClock.
    const clock = Clock.make()
    const sockets = new Set<Socket>()
    let streamsClosed = 0
    const onStreamClosed = () => {
      streamsClosed++
    }
    const server = Http.createServer((request, response) => {
      run(Effect.withClock(serve(request, response, options.handle, onStreamClosed), clock))
    })
    server.on("connection", (socket) => {
      sockets.add(socket)
      socket.once("close", () => sockets.delete(socket))
    })
    const port = yield* Effect.acquireRelease(listenOn(server, options.host, options.port), () =>
      shutdown(server, sockets))
    return {
      port,
      openConnections: () =>
        sockets.size,
      streamsClosedByClient: () => streamsClosed
    }
  })
