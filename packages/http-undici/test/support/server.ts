/**
 * A real `node:http` server on loopback for the tests: it records each request (with its body and the connection it
 * came on) and tells when a connection closes.
 */
import { Deferred, Effect, Exit, FiberId, type Scope } from "effect"
import * as Http from "node:http"
import type * as Net from "node:net"

/** A request as the server received it. */
export interface Received {
  readonly method: string
  readonly url: string
  readonly headers: Http.IncomingHttpHeaders
  readonly rawHeaders: ReadonlyArray<string>
  readonly body: string
  /** The index of the connection in {@link Server.connections}. */
  readonly connection: number
}

/** Answers one request; the request body has been read into `received.body`. */
export type Handler = (received: Received, response: Http.ServerResponse, request: Http.IncomingMessage) => void

/** A running server. */
export interface Server {
  readonly origin: string
  readonly port: number
  readonly received: Array<Received>
  /** Each accepted connection, in order. */
  readonly connections: Array<Net.Socket>
  /** Waits until the `index`-th connection has closed. */
  readonly closed: (index: number) => Effect.Effect<void>
  /** Waits until the server has received `count` requests (their bodies read). */
  readonly receivedCount: (count: number) => Effect.Effect<void>
}

/** Starts a server for the scope's lifetime. */
export const serve = (handler: Handler): Effect.Effect<Server, never, Scope.Scope> =>
  Effect.gen(function*() {
    const received: Array<Received> = []
    const connections: Array<Net.Socket> = []
    const closes: Array<Deferred.Deferred<void>> = []
    const arrivals: Array<Deferred.Deferred<void>> = []
    const arrival = (count: number) => {
      while (arrivals.length < count) arrivals.push(Deferred.unsafeMake<void>(FiberId.none))
      return arrivals[count - 1]!
    }
    const closeOf = (index: number) => {
      while (closes.length <= index) closes.push(Deferred.unsafeMake<void>(FiberId.none))
      return closes[index]!
    }
    const server = Http.createServer({ keepAlive: true }, (request, response) => {
      const chunks: Array<Buffer> = []
      request.on("data", (chunk: Buffer) => chunks.push(chunk))
      request.on("end", () => {
        const entry: Received = {
          method: request.method ?? "",
          url: request.url ?? "",
          headers: request.headers,
          rawHeaders: request.rawHeaders,
          body: Buffer.concat(chunks).toString("utf8"),
          connection: connections.indexOf(request.socket)
        }
        received.push(entry)
        Deferred.unsafeDone(arrival(received.length), Exit.void)
        handler(entry, response, request)
      })
    })
    server.on("connection", (socket: Net.Socket) => {
      const index = connections.push(socket) - 1
      const closed = closeOf(index)
      socket.on("close", () => Deferred.unsafeDone(closed, Exit.void))
    })
    yield* Effect.acquireRelease(
      Effect.async<void>((resume) => {
        server.listen(0, "127.0.0.1", () => resume(Effect.void))
      }),
      () =>
        Effect.async<void>((resume) => {
          server.closeAllConnections()
          server.close(() => resume(Effect.void))
        })
    )
    const port = (server.address() as Net.AddressInfo).port
    return {
      origin: `http://127.0.0.1:${port}`,
      port,
      received,
      connections,
      closed: (index) => Deferred.await(closeOf(index)),
      receivedCount: (count) => Deferred.await(arrival(count))
    }
  })

/** A port nothing listens on: one the system just handed out and took back. */
export const freePort: Effect.Effect<number> = Effect.async((resume) => {
  const server = Http.createServer()
  server.listen(0, "127.0.0.1", () => {
    const port = (server.address() as Net.AddressInfo).port
    server.close(() => resume(Effect.succeed(port)))
  })
})
