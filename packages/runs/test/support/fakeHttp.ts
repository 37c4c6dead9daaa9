/**
 * A fake `HttpClient` for unit tests: answers from a script and records every request it was sent.
 */
import { HttpClient, type HttpClientRequest, HttpClientResponse } from "@effect/platform"
import * as HttpClientError from "@effect/platform/HttpClientError"
import { Clock, Effect, Layer, Redacted } from "effect"
import { OpenAiClient } from "../../src/index.js"

/** What the fake answers one request with. */
export type FakeReply =
  | { readonly status: number; readonly body?: unknown; readonly headers?: Record<string, string> }
  | { readonly transportError: unknown }
  | { readonly hang: true }

/** A request as the fake received it. */
export interface SentRequest {
  readonly method: string
  readonly url: string
  readonly headers: Record<string, string>
  readonly body: string | undefined
  /** When it was sent, in (test) clock milliseconds. */
  readonly at: number
}

/** The API key every unit test uses: distinctive, so a leak is easy to find. */
export const testApiKey = "sk-test-SECRETKEY0123456789abcdefghijklmnop"

const bodyText = (request: HttpClientRequest.HttpClientRequest): string | undefined =>
  request.body._tag === "Uint8Array" ? new TextDecoder().decode(request.body.body) : undefined

const toResponse = (request: HttpClientRequest.HttpClientRequest, reply: FakeReply) => {
  if ("transportError" in reply) {
    return Effect.fail(new HttpClientError.RequestError({ request, reason: "Transport", cause: reply.transportError }))
  }
  if ("hang" in reply) return Effect.never
  const text = reply.body === undefined ? "" : typeof reply.body === "string" ? reply.body : JSON.stringify(reply.body)
  const headers = { "content-type": "application/json", "x-request-id": "req_fake", ...reply.headers }
  return Effect.succeed(HttpClientResponse.fromWeb(request, new Response(text, { status: reply.status, headers })))
}

/**
 * A fake client answering the n-th request with `replies[n]` (the last reply repeats), and the list of what it
 * received.
 */
export const makeFakeHttp = (replies: ReadonlyArray<FakeReply>) => {
  const sent: Array<SentRequest> = []
  const client = HttpClient.make((request, url) =>
    Effect.flatMap(Clock.currentTimeMillis, (at) => {
      const headers = { ...request.headers }
      sent.push({ method: request.method, url: url.toString(), headers, body: bodyText(request), at })
      return toResponse(request, replies[Math.min(sent.length, replies.length) - 1]!)
    })
  )
  return { sent, layer: Layer.succeed(HttpClient.HttpClient, client) }
}

/** `OpenAiClient` over a fake HTTP client, with the test key and the given options. */
export const fakeClientLayer = (
  replies: ReadonlyArray<FakeReply>,
  options: Partial<OpenAiClient.OpenAiClientOptions> = {}
) => {
  const fake = makeFakeHttp(replies)
  const layer = OpenAiClient.layer({
    apiKey: Redacted.make(testApiKey),
    apiUrl: "http://api.test/v1",
    ...options
  }).pipe(Layer.provide(fake.layer))
  return { sent: fake.sent, layer }
}
