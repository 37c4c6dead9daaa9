/**
 * The errors of starting an emulator.
 *
 * @since 0.2.0
 */
import * as Schema from "effect/Schema"

/**
 * The emulator could not listen on `host`:`port`: the port is in use (`code: "EADDRINUSE"`), the address is not
 * this machine's (`"EADDRNOTAVAIL"`), the port is out of range (`"ERR_SOCKET_BAD_PORT"`), and the like.
 *
 * @example
 * ```ts
 * import { Emulator } from "@effect-openai/runs-emulator"
 * import { Console, Effect } from "effect"
 *
 * const program = Emulator.make({ port: 4010 }).pipe(
 *   Effect.catchTag("ListenError", (error) => Console.error(`port ${error.port}: ${error.code}`)),
 *   Effect.scoped
 * )
 * ```
 *
 * @since 0.2.0
 * @category errors
 */
export class ListenError extends Schema.TaggedError<ListenError>()("ListenError", {
  host: Schema.String,
  port: Schema.Number,
  /** Node's error code, e.g. `"EADDRINUSE"`; `"UNKNOWN"` when it gave none. */
  code: Schema.String,
  message: Schema.String
}) {}
