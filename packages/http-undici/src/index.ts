/**
 * A lean `HttpClient` for `@effect/platform` over undici.
 *
 * @since 0.1.0
 */

/**
 * The client over an undici `Dispatcher`: `make`, `layer`, `layerDispatcher`.
 *
 * @since 0.1.0
 */
export * as UndiciHttpClient from "./UndiciHttpClient.js"
