/**
 * A mistake in how an app sets Tessera up: an unknown option, a missing secret, a store URL
 * that names no store, a driver that is not installed. Thrown at start, before any request,
 * with a one-line message that names the option and says what to do; never wraps a
 * driver's own error, so the fix is the first thing the developer reads.
 */
export class TesseraConfigError extends Error {
  override name = 'TesseraConfigError'
}
