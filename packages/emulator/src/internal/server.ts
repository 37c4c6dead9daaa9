import { Clock, Effect, FiberSet } from "effect"
import type { Scope } from "effect"
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

const write = (response: Http.ServerResponse, reply: Reply.Reply): void => {
  switch (reply._tag) {
    case "Send": {
      response.writeHead(reply.status, {
        "x-request-id": Ids.requestId(),
        "content-length": String(Buffer.byteLength(reply.body)),
        ...reply.headers
      })
      response.end(reply.body)
      return
    }
    case "Reset": {
      response.socket?.destroy()
      return
    }
  }
}

const serve = (
  request: Http.IncomingMessage,
  response: Http.ServerResponse,
  handle: (incoming: Incoming) => Effect.Effect<Reply.Reply>
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
    write(response, reply)
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
    const server = Http.createServer((request, response) => {
      run(Effect.withClock(serve(request, response, options.handle), clock))
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
        sockets.size
    }
  })
