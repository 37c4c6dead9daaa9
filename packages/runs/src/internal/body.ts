/**
 * Reading a response body within `maxResponseBytes`: the announced length is checked before anything is read, and
 * the bytes are counted as they come, so that a body of any size costs at most the bound (and a chunk) in memory.
 *
 * @internal
 */
import type * as HttpClientError from "@effect/platform/HttpClientError"
import type * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import * as RunsError from "../RunsError.js"

/**
 * The bound suggested for one response body: 32 MiB, far above any legitimate answer (a page of 100 runs with maximal
 * instructions is about 26 MB).
 *
 * @internal
 */
export const defaultMaxResponseBytes = 32 * 1024 * 1024

/**
 * What the error of a body too large reports about its attempt.
 *
 * @internal
 */
export interface BodyContext {
  readonly status: number
  readonly requestId: string | null
  readonly attempts: number
}

const tooLarge = (context: BodyContext, limitBytes: number, announced: number | undefined) =>
  new RunsError.ResponseTooLargeError({
    message: announced === undefined
      ? `The response body is larger than maxResponseBytes (${limitBytes} bytes)`
      : `The response announces ${announced} bytes, more than maxResponseBytes (${limitBytes} bytes)`,
    limitBytes,
    status: context.status,
    requestId: context.requestId,
    attempts: context.attempts
  })

/**
 * The `content-length` a response announces, when it is a plain number of bytes.
 *
 * @internal
 */
export const announcedLength = (headers: Readonly<Record<string, string | undefined>>): number | undefined => {
  const value = headers["content-length"]?.trim()
  return value !== undefined && /^[0-9]+$/.test(value) ? Number(value) : undefined
}

/** Whether the body is sent with a content coding other than `identity` (gzip, br, …). */
const isEncoded = (headers: Readonly<Record<string, string | undefined>>): boolean => {
  const coding = headers["content-encoding"]?.trim().toLowerCase()
  return coding !== undefined && coding !== "" && coding !== "identity"
}

/**
 * The body of a response as text (UTF-8, as `response.text` decodes it), or {@link RunsError.ResponseTooLargeError}
 * as soon as it is known to be larger than `maxBytes`: at once when `content-length` says so (of a body without a
 * content coding), else when the bytes received pass the bound (the rest is never read, the request is aborted). A
 * failure while reading is mapped by `onError` (the client's transport error).
 *
 * @internal
 */
export const readText = <E>(
  response: HttpClientResponse.HttpClientResponse,
  maxBytes: number,
  context: BodyContext,
  onError: (error: HttpClientError.ResponseError) => E
): Effect.Effect<string, RunsError.ResponseTooLargeError | E> =>
  Effect.suspend(() => {
    // A compressed body's `content-length` is its compressed size, and a transport that inflates it (`fetch`) hands
    // over many times that: only an uncompressed body's announced length says what will be read.
    const announced = isEncoded(response.headers) ? undefined : announcedLength(response.headers)
    // An announced length within the bound is read as is: HTTP/1.1 reads exactly that many bytes.
    if (announced !== undefined && announced <= maxBytes) return Effect.mapError(response.text, onError)
    if (announced !== undefined) {
      // Taking the first piece of the body and stopping there aborts the request: the connection is not reused.
      return Effect.zipRight(
        Effect.ignore(Stream.runHead(response.stream)),
        Effect.fail(tooLarge(context, maxBytes, announced))
      )
    }
    // Pulled by hand rather than run with a sink: the same reading at about three quarters of the CPU. Failing
    // (past the bound, or the transport's error) closes the scope, which ends the stream and aborts the request.
    const chunks: Array<Uint8Array> = []
    let received = 0
    return Effect.scoped(Effect.flatMap(Stream.toPull(response.stream), (pull) => {
      const next: Effect.Effect<string, RunsError.ResponseTooLargeError | E> = Effect.matchEffect(pull, {
        onFailure: (error) =>
          Option.isNone(error)
            // As `response.text` decodes: invalid sequences replaced, a leading byte order mark dropped.
            ? Effect.sync(() => new TextDecoder().decode(Buffer.concat(chunks, received)))
            : Effect.fail(onError(error.value)),
        onSuccess: (pulled) => {
          for (const chunk of pulled) {
            received += chunk.length
            if (received > maxBytes) return Effect.fail(tooLarge(context, maxBytes, undefined))
            chunks.push(chunk)
          }
          return next
        }
      })
      return next
    }))
  })
