import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientError from "@effect/platform/HttpClientError"
import type * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as Deferred from "effect/Deferred"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import type * as Core from "./core.js"
import type * as Pipeline from "./pipeline.js"
import * as Reply from "./reply.js"

const decoder = new TextDecoder()

const encodeError = (request: HttpClientRequest.HttpClientRequest, description: string, cause?: unknown) =>
  new HttpClientError.RequestError({ request, reason: "Encode", description, cause })

const transportError = (request: HttpClientRequest.HttpClientRequest, description: string) =>
  new HttpClientError.RequestError({ request, reason: "Transport", description })

/** The body of a request as text; a stream is collected. */
const bodyText = (
  request: HttpClientRequest.HttpClientRequest
): Effect.Effect<string, HttpClientError.RequestError> => {
  const body = request.body
  switch (body._tag) {
    case "Empty":
      return Effect.succeed("")
    case "Uint8Array":
      return Effect.succeed(decoder.decode(body.body))
    case "Raw":
      if (typeof body.body === "string") return Effect.succeed(body.body)
      if (body.body instanceof Uint8Array) return Effect.succeed(decoder.decode(body.body))
      return Effect.fail(encodeError(request, "The emulator takes a raw body as a string or bytes only"))
    case "Stream":
      return Effect.mapError(
        Stream.mkString(Stream.decodeText(body.stream)),
        (cause) => encodeError(request, "The body stream failed", cause)
      )
    case "FormData":
      return Effect.fail(encodeError(request, "The emulator takes no form data"))
  }
}

const incoming = (
  request: HttpClientRequest.HttpClientRequest,
  url: URL
): Effect.Effect<Pipeline.Incoming, HttpClientError.RequestError> =>
  Effect.suspend(() => {
    const time = Date.now()
    return Effect.map(bodyText(request), (body) => ({
      method: request.method,
      url,
      headers: { ...request.headers },
      body,
      time
    }))
  })

/**
 * A body read in the same process: a web stream the emulator writes into as into a socket.
 */
interface Body {
  readonly readable: ReadableStream<Uint8Array>
  readonly sink: Reply.Sink
  /** Ends the body, unless it has ended or the client has left. */
  readonly finish: (ending: Reply.Ending) => void
}

/**
 * The most bytes written and not read yet before a write waits for the client to read, as a socket's buffers would
 * make it wait: a generated body of any size is never held whole.
 */
const maxUnreadBytes = 1024 * 1024

/**
 * The client leaves when it cancels the stream or aborts the request; an abort fails a read under way, as fetch
 * does, and a cut fails the stream once the bytes written are read.
 */
const makeBody = (request: HttpClientRequest.HttpClientRequest, signal: AbortSignal): Body => {
  let controller!: ReadableStreamDefaultController<Uint8Array>
  let state: "open" | "ended" | "left" = "open"
  let failure: HttpClientError.RequestError | undefined
  /** Bytes written since the reader last found the queue empty. */
  let unread = 0
  /** Writes waiting for the reader. */
  const waiting = new Set<() => void>()
  const wake = () => {
    unread = 0
    if (waiting.size === 0) return
    const writers = [...waiting]
    waiting.clear()
    writers.forEach((f) => f())
  }
  const onLeave = new Set<() => void>()
  const leave = () => {
    if (state !== "open") return
    state = "left"
    onLeave.forEach((f) => f())
    wake()
  }
  // Without a high-water mark, `pull` runs only when a read waits on an empty queue.
  const readable = new ReadableStream<Uint8Array>({
    start: (c) => {
      controller = c
    },
    pull: (c) => {
      if (failure !== undefined) c.error(failure)
      else wake()
    },
    cancel: leave
  }, { highWaterMark: 0 })
  if (signal.aborted) leave()
  signal.addEventListener("abort", () => {
    if (state === "open") controller.error(signal.reason)
    leave()
  }, { once: true })
  const finish = (ending: Reply.Ending): void => {
    if (state !== "open" || ending === "hang") return
    state = "ended"
    if (ending === "end") return controller.close()
    failure = transportError(
      request,
      ending === "reset" ? "The emulator reset the connection mid-body" : "The emulator closed the connection mid-body"
    )
    if (controller.desiredSize === 0) controller.error(failure)
  }
  const enqueue = (chunk: Buffer) => {
    if (state !== "open") return
    unread += chunk.length
    controller.enqueue(chunk)
  }
  const sink: Reply.Sink = {
    write: (chunk) =>
      Effect.suspend(() => {
        if (state !== "open" || unread < maxUnreadBytes) return Effect.sync(() => enqueue(chunk))
        return Effect.async<void>((resume) => {
          const go = () => {
            enqueue(chunk)
            resume(Effect.void)
          }
          waiting.add(go)
          return Effect.sync(() => waiting.delete(go))
        })
      }),
    end: (ending) => Effect.sync(() => finish(ending)),
    closedEarly: (ending) =>
      Effect.async((resume) => {
        const closed = () => {
          if (!ending()) resume(Effect.void)
        }
        if (state === "left") closed()
        else onLeave.add(closed)
        return Effect.sync(() => onLeave.delete(closed))
      })
  }
  return { readable, sink, finish }
}

/** Statuses whose answers have no body, by the fetch standard. */
const nullBodyStatuses: ReadonlySet<number> = new Set([204, 205, 304])

const headerPairs = (headers: Record<string, string | Array<string>>): Array<[string, string]> =>
  Object.entries(headers).flatMap(([name, value]) =>
    typeof value === "string" ? [[name, value]] : value.map((one): [string, string] => [name, one])
  )

/** The head of a reply as a web `Response`, its body to come in `body`. */
const response = (reply: Reply.Send, body: ReadableStream<Uint8Array> | null): Response => {
  // `Response` takes statuses 200 to 599 only; a socket carries any of three digits.
  const web = new Response(body, {
    status: reply.status > 599 ? 200 : reply.status,
    headers: headerPairs(Reply.headersOf(reply))
  })
  return reply.status > 599 ? Object.defineProperty(web, "status", { value: reply.status }) : web
}

/** Answers a request as the socket server does: the head goes to `head`, then the body is written. */
const answer = (
  core: Core.Core,
  request: HttpClientRequest.HttpClientRequest,
  incoming: Pipeline.Incoming,
  body: Body,
  head: Deferred.Deferred<Response, HttpClientError.RequestError>
): Effect.Effect<void> =>
  Effect.flatMap(core.pipeline(incoming), (reply) => {
    if (reply._tag === "Reset") {
      return Deferred.fail(head, transportError(request, "The emulator dropped the connection without answering"))
    }
    // An informational status is no final answer: the client waits, as over a socket, until it gives up.
    if (reply.status < 200) return body.sink.closedEarly(() => false)
    const hasBody = !nullBodyStatuses.has(reply.status) && request.method !== "HEAD"
    return Effect.zipRight(
      Deferred.succeed(head, response(reply, hasBody ? body.readable : null)),
      hasBody ? Reply.deliver(reply, body.sink, core.streamClosed) : Effect.void
    )
  })

/**
 * An `HttpClient` handing each request to an emulator's pipeline in the same process. The answer runs in the
 * emulator's fibers, so a client leaving stops the writing but not the processing, as over a socket.
 *
 * @internal
 */
export const make = (core: Core.Core): HttpClient.HttpClient =>
  HttpClient.make((request, url, signal) =>
    Effect.flatMap(
      incoming(request, url),
      (incoming) =>
        Effect.flatMap(Deferred.make<Response, HttpClientError.RequestError>(), (head) => {
          const body = makeBody(request, signal)
          // However the answer ends (the emulator may close midway), the client is not left waiting.
          core.fork(answer(core, request, incoming, body, head)).addObserver(() => {
            Deferred.unsafeDone(head, Effect.fail(transportError(request, "The emulator closed the connection")))
            body.finish("close")
          })
          return Effect.map(Deferred.await(head), (web) => HttpClientResponse.fromWeb(request, web))
        })
    )
  )
