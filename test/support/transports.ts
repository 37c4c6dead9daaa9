/**
 * The `HttpClient` layers the library is meant to run over, as one table: a test of the whole client over a real
 * socket runs once per row (`emulatorLayer({ transport: "socket", http: transport.layer })`), and a child-process
 * script picks its row by name.
 */
import { UndiciHttpClient } from "@effect-openai/http-undici"
import { FetchHttpClient, type HttpClient } from "@effect/platform"
import { NodeHttpClient } from "@effect/platform-node"
import type { Layer } from "effect"

/** A transport: its name in test titles, and the layer that provides it. */
export interface HttpTransport {
  readonly name: TransportName
  readonly layer: Layer.Layer<HttpClient.HttpClient>
}

/** The transports by name, as test titles and child-process arguments spell them. */
export type TransportName = "FetchHttpClient" | "NodeHttpClient.layerUndici" | "UndiciHttpClient"

/** `FetchHttpClient.layer` (global fetch), `NodeHttpClient.layerUndici` and the project's own `UndiciHttpClient`. */
export const transports: ReadonlyArray<HttpTransport> = [
  { name: "FetchHttpClient", layer: FetchHttpClient.layer },
  { name: "NodeHttpClient.layerUndici", layer: NodeHttpClient.layerUndici },
  { name: "UndiciHttpClient", layer: UndiciHttpClient.layer() }
]

/** The transport of that name. */
export const transportNamed = (name: string): HttpTransport => {
  const found = transports.find((transport) => transport.name === name)
  if (found === undefined) throw new Error(`no transport named ${name}`)
  return found
}
