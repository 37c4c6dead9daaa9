import type { IncomingHttpHeaders } from "node:http"
import type { RecordedRequest } from "../RecordedRequest.js"

/** @internal */
export interface RequestLog {
  readonly record: (request: RecordedRequest) => void
  readonly all: () => ReadonlyArray<RecordedRequest>
  readonly clear: () => void
}

/** @internal */
export const make = (): RequestLog => {
  const entries: Array<RecordedRequest> = []
  return {
    record: (request) => {
      entries.push(request)
    },
    all: () => entries.slice(),
    clear: () => {
      entries.length = 0
    }
  }
}

const secretHeaders: ReadonlySet<string> = new Set(["authorization", "api-key"])

/**
 * Request headers as a log keeps them: one string per name, secrets (and the `keyHeader` the emulator reads the key
 * from, if any, named in lower case) replaced by `<redacted>`.
 *
 * @internal
 */
export const redactHeaders = (
  headers: IncomingHttpHeaders,
  keyHeader?: string | undefined
): Readonly<Record<string, string>> => {
  const secret = (name: string) => secretHeaders.has(name) || name === keyHeader
  return Object.fromEntries(
    Object.entries(headers).flatMap(([name, value]) =>
      value === undefined
        ? []
        : [[name, secret(name) ? "<redacted>" : Array.isArray(value) ? value.join(", ") : value]]
    )
  )
}

/**
 * Query parameters as a log keeps them: a repeated name (`include[]`) gives an array.
 *
 * @internal
 */
export const queryOf = (params: URLSearchParams): Readonly<Record<string, string | ReadonlyArray<string>>> =>
  Object.fromEntries(
    Array.from(new Set(params.keys()), (name) => {
      const values = params.getAll(name)
      return [name, values.length === 1 ? values[0]! : values]
    })
  )
