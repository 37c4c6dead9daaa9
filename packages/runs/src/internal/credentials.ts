/**
 * The key sent with every request: a fixed one, or one an Effect gives (a token provider), asked once, kept, and
 * asked again after a `401`.
 *
 * @internal
 */
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import * as RunsError from "../RunsError.js"
import { makeScrubber } from "./redact.js"

/**
 * What requests need of the credentials.
 *
 * @internal
 */
export interface Credentials {
  /** The key, when it is fixed: requests then skip asking for it. */
  readonly fixed: string | undefined
  /** The key to send: the fixed one, or the kept one (asked for on first use). */
  readonly current: Effect.Effect<string, RunsError.CredentialsError>
  /**
   * Asks the provider again unless another caller already replaced `stale`; `undefined` for a fixed key, which a
   * `401` cannot change.
   */
  readonly refresh: ((stale: string) => Effect.Effect<string, RunsError.CredentialsError>) | undefined
  /** Removes every trace of every key seen (the last few) from a text. */
  readonly scrub: (text: string) => string
}

/** How many past keys stay scrubbed after a provider replaced them. */
const keptScrubbers = 8

const reveal = (key: Redacted.Redacted | string): string => Redacted.isRedacted(key) ? Redacted.value(key) : key

/**
 * Credentials for a fixed key.
 *
 * @internal
 */
export const fixed = (key: string): Credentials => ({
  fixed: key,
  current: Effect.succeed(key),
  refresh: undefined,
  scrub: makeScrubber(key)
})

/**
 * Credentials from a provider: the first request asks it (concurrent requests wait for that one answer), later ones
 * use what it gave until `refresh`.
 *
 * @internal
 */
export const fromProvider = <E>(
  provider: Effect.Effect<Redacted.Redacted | string, E>
): Effect.Effect<Credentials> =>
  Effect.map(Effect.makeSemaphore(1), (lock) => {
    let kept: string | undefined
    let scrubbers: ReadonlyArray<(text: string) => string> = []
    const ask = Effect.matchEffect(provider, {
      onFailure: (cause) =>
        Effect.fail(
          new RunsError.CredentialsError({ message: scrub(`The apiKey Effect failed: ${describe(cause)}`), cause })
        ),
      onSuccess: (given) => {
        const key = reveal(given)
        if (key.trim() === "") {
          return Effect.fail(new RunsError.CredentialsError({ message: "The apiKey Effect gave an empty key" }))
        }
        kept = key
        scrubbers = [makeScrubber(key), ...scrubbers].slice(0, keptScrubbers)
        return Effect.succeed(key)
      }
    })
    const scrub = (text: string): string => scrubbers.reduce((scrubbed, next) => next(scrubbed), text)
    return {
      fixed: undefined,
      current: Effect.suspend(() =>
        kept !== undefined
          ? Effect.succeed(kept)
          : lock.withPermits(1)(Effect.suspend(() => kept !== undefined ? Effect.succeed(kept) : ask))
      ),
      refresh: (stale) =>
        lock.withPermits(1)(
          Effect.suspend(() => kept === stale || kept === undefined ? ask : Effect.succeed(kept))
        ),
      scrub
    }
  })

const describe = (cause: unknown): string =>
  cause instanceof Error
    ? cause.message
    : typeof cause === "object" && cause !== null && "message" in cause && typeof cause.message === "string"
    ? cause.message
    : String(cause)
