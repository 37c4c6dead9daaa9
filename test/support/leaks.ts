/**
 * Running an operation under a capturing logger and tracer, and searching everything it left for the API key.
 */
import { Cause, Effect, Exit, Inspectable, Logger } from "effect"
import { makeRecordingTracer } from "../../packages/runs/test/support/tracer.js"

/** A key no text would contain by chance: any trace of it is a leak. */
export const recognisableKey = "sk-leakcheck-7d1e9a2b4c6f8e0a1b3c5d7e9f"

/**
 * The base64 (or base64url) characters only the key decides when it is encoded `offset` bytes (0, 1 or 2) into a
 * 3-byte group, as in `base64("Bearer " + key)` (offset 1): worked out here independently of the scrubber.
 */
const encodedCore = (offset: number, alphabet: "base64" | "base64url"): string => {
  const encoded = Buffer.concat([Buffer.alloc(offset), Buffer.from(recognisableKey)]).toString(alphabet)
  return encoded.slice(Math.ceil((8 * offset) / 6), Math.floor((8 * (offset + recognisableKey.length)) / 6))
}

/**
 * The forms of the key that count as a leak: a prefix of 8 characters, its tail, and in base64 and base64url at each
 * byte offset, 12 characters of the start or of the middle of the encoding.
 */
const needles: ReadonlyArray<readonly [string, string]> = [
  ["an 8-character prefix", recognisableKey.slice(0, 8)],
  ["its tail", recognisableKey.slice(-12)],
  ...[0, 1, 2].flatMap((offset) =>
    (["base64", "base64url"] as const).flatMap((alphabet) => {
      const core = encodedCore(offset, alphabet)
      const middle = Math.floor(core.length / 2) - 6
      return [
        [`its ${alphabet} at offset ${offset}`, core.slice(0, 12)] as const,
        [`the middle of its ${alphabet} at offset ${offset}`, core.slice(middle, middle + 12)] as const
      ]
    })
  )
]

/** Every place the key shows in `texts`, with some context. */
export const leaksIn = (texts: ReadonlyArray<string>): Array<string> =>
  texts.flatMap((text) =>
    needles.flatMap(([form, needle]) => {
      const at = text.indexOf(needle)
      return at === -1 ? [] : [`${form} in: …${text.slice(Math.max(0, at - 120), at + 40)}`]
    })
  )

/**
 * Runs `effect` with a recording tracer and logger (logging its failure, as a program would), and gives its exit
 * and every text it left: the exit and its errors in every form, span names, attributes, events and exits, and
 * log lines.
 */
export const observe = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.gen(function*() {
    const tracer = makeRecordingTracer()
    const lines: Array<string> = []
    const logger = Logger.make(({ annotations, cause, message }) => {
      lines.push(Inspectable.format(message), Cause.pretty(cause), Inspectable.format(annotations))
    })
    const exit = yield* effect.pipe(
      Effect.tapErrorCause((cause) => Effect.logError("operation failed", cause)),
      Effect.withSpan("test"),
      Effect.provide(tracer.layer),
      Effect.provide(Logger.replace(Logger.defaultLogger, logger)),
      Effect.exit
    )
    const texts = [String(exit), JSON.stringify(exit), Inspectable.format(exit), ...lines]
    if (Exit.isFailure(exit)) {
      for (const error of Cause.failures(exit.cause)) {
        const asError = error as { readonly message?: unknown; readonly stack?: unknown }
        texts.push(String(error), JSON.stringify(error), String(asError.message ?? ""), String(asError.stack ?? ""))
      }
    }
    for (const span of tracer.spans) {
      texts.push(span.name, JSON.stringify([...span.attributes]), JSON.stringify(span.events))
      if (span.status._tag === "Ended") texts.push(String(span.status.exit), JSON.stringify(span.status.exit))
    }
    return { exit, texts, logLines: lines.length, spans: tracer.spans.length }
  })
