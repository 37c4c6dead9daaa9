import * as Effect from "effect/Effect"
import type * as Scope from "effect/Scope"
import * as Http from "node:http"
import type { AddressInfo, Socket } from "node:net"
import { ListenError } from "../EmulatorError.js"
import type * as Core from "./core.js"
import * as Reply from "./reply.js"

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
    case "hang":
      return Effect.never
  }
}

/** Succeeds if the connection closes (or has closed) before the answer is finished, unless the emulator is ending it. */
const closedEarly = (response: Http.ServerResponse, ending: () => boolean): Effect.Effect<void> =>
  Effect.async((resume) => {
    const onClose = () => {
      if (!response.writableFinished && !ending()) resume(Effect.void)
    }
    if (response.closed) onClose()
    else response.once("close", onClose)
    return Effect.sync(() => response.off("close", onClose))
  })

/** Writes a reply: its headers, then its body; an answer in pieces shows its headers before the first one. */
const write = (response: Http.ServerResponse, reply: Reply.Reply, onStreamClosed: () => void): Effect.Effect<void> =>
  Effect.suspend(() => {
    if (reply._tag === "Reset") return Effect.sync(() => response.socket?.destroy())
    response.writeHead(reply.status, Reply.headersOf(reply))
    if (!Reply.isWhole(reply)) response.flushHeaders()
    return Reply.deliver(reply, {
      write: (chunk) => writeChunk(response, chunk),
      end: (ending) => finish(response, ending),
      closedEarly: (ending) => closedEarly(response, ending)
    }, onStreamClosed)
  })

const serve = (
  request: Http.IncomingMessage,
  response: Http.ServerResponse,
  core: Core.Core
): Effect.Effect<void> =>
  Effect.gen(function*() {
    const time = Date.now()
    const body = yield* readBody(request)
    const reply = yield* core.pipeline({
      method: request.method ?? "GET",
      url: new URL(request.url ?? "/", "http://emulator"),
      headers: request.headers,
      body,
      time
    })
    yield* write(response, reply, core.streamClosed)
  })

const listenError = (host: string, port: number, error: unknown): ListenError => {
  const code = typeof (error as { code?: unknown })?.code === "string" ? (error as { code: string }).code : "UNKNOWN"
  const reason = code === "EADDRINUSE"
    ? "the port is in use"
    : code === "EADDRNOTAVAIL"
    ? "the address is not one of this machine's"
    : code === "EACCES"
    ? "permission denied"
    : error instanceof Error
    ? error.message
    : String(error)
  return new ListenError({ host, port, code, message: `Cannot listen on ${host}:${port}: ${reason} (${code})` })
}

const listenOn = (server: Http.Server, host: string, port: number): Effect.Effect<number, ListenError> =>
  Effect.async((resume) => {
    const fail = (error: Error) => resume(Effect.fail(listenError(host, port, error)))
    server.once("error", fail)
    try {
      server.listen(port, host, () => {
        server.off("error", fail)
        resume(Effect.succeed((server.address() as AddressInfo).port))
      })
    } catch (error) {
      // A port out of range throws here rather than emitting `error`.
      server.off("error", fail)
      resume(Effect.fail(listenError(host, port, error)))
    }
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
 * A `node:http` server answering with the emulator's pipeline, listening until the scope closes; requests still
 * being answered then are interrupted.
 *
 * @internal
 */
export const listen = (
  core: Core.Core,
  options: { readonly host: string; readonly port: number }
): Effect.Effect<Server, ListenError, Scope.Scope> =>
  Effect.gen(function*() {
    const sockets = new Set<Socket>()
    const server = Http.createServer((request, response) => {
      core.fork(serve(request, response, core))
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
