/** What the Redis stores share: where their keys live. */
export interface RedisStoreOptions {
  /** Starts every key and the revocation channel; default `tessera:`. Tests use one per run. */
  keyPrefix?: string
}

export const DEFAULT_KEY_PREFIX = 'tessera:'

/**
 * Redis keeps a record somewhat longer than asked, so that the expiry the caller gave (on its
 * own clock) decides, not Redis's clock: instances whose clocks run a little behind Redis's
 * still see a record until its stated end. The stored expiry, not the TTL, is what is judged.
 */
export const EXPIRY_GRACE_MS = 5_000
