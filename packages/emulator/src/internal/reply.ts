/**
 * What the server does with a request: answer it, or drop the connection. Streaming answers (SSE) and the
 * fault plan's slow or truncated bodies will be more cases of this union.
 *
 * @internal
 */
export type Reply = Send | Reset

/** @internal */
export interface Send {
  readonly _tag: "Send"
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  readonly body: string
}

/** @internal */
export interface Reset {
  readonly _tag: "Reset"
}

/**
 * A complete answer; `content-type` is `application/json` unless `headers` say otherwise.
 *
 * @internal
 */
export const send = (status: number, body: string, headers: Readonly<Record<string, string>> = {}): Send => ({
  _tag: "Send",
  status,
  headers: { "content-type": "application/json", ...headers },
  body
})

/**
 * A JSON answer, pretty-printed as the real API prints it.
 *
 * @internal
 */
export const json = (status: number, value: unknown, headers: Readonly<Record<string, string>> = {}): Send =>
  send(status, JSON.stringify(value, null, 2), headers)

/** @internal */
export const reset: Reset = { _tag: "Reset" }
