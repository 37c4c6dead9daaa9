/**
 * Running an operation under a capturing logger and tracer, and searching everything it left for the API key.
 */
import { Cause, Effect, Exit, Inspectable, Logger } from "effect"
import { makeRecordingTracer } from "../../packages/runs/test/support/tracer.js"

/** A key no text would contain by chance: any trace of it is a leak. */
export const recognisableKey = "sk-leakcheck-7d1e9a2b4c6f8e0a1b3c5d7e9f"

/** The forms of the key that count as a leak: a prefix of 8 characters, its tail, its base64. */
const needles: ReadonlyArray<readonly [string, string]> = [
  ["an 8-character prefix", recognisableKey.slice(0, 8)],
  ["its tail", recognisableKey.slice(-12)],
  ["its base64", Buffer.from(recognisableKey).toString("base64").slice(0, 16)]
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
