import type { AuditLog } from './audit-log.ts'
import type { TesseraConfig, TesseraOptions } from './config.ts'
import { CachingCredentialStore } from './credential-cache.ts'
import type { KeyRing } from './key-ring.ts'
import { publishingStores } from './publishing-stores.ts'
import { createSignatureVerifier } from './signatures/verify-request-signature.ts'
import type { CredentialWithUser, NonceStore, RevocationEvent, RevocationReceipt, Stores } from './stores.ts'

/** How a Tessera is put together at start-up: which stores it reads through, and its verifier. */

/**
 * Credential lookups are cached only where invalidation can reach every reader: with a
 * revocation bus shared by the instances (Redis), or on a single SQLite host, where the
 * database's change counter reveals other processes' writes. Otherwise every lookup reads
 * the database, which is always correct.
 */
export function cacheFor(
  options: TesseraOptions,
  now: () => number,
  onUnconfirmed: (event: RevocationEvent, receipt: RevocationReceipt) => Promise<void>,
): CachingCredentialStore | undefined {
  const { stores, credentialCache } = options
  if (credentialCache === false) return undefined
  if (stores.revocations === undefined && stores.changeCounter === undefined) return undefined
  return new CachingCredentialStore(stores.credentials, {
    now,
    onUnconfirmed,
    ...(credentialCache?.ttlMs !== undefined && { ttlMs: credentialCache.ttlMs }),
    ...(stores.revocations && { bus: stores.revocations }),
    ...(stores.changeCounter && { changeCounter: stores.changeCounter }),
  })
}

/** The stores as the verbs use them: cached where it is safe, and publishing every revocation. */
export function wireStores(
  stores: Stores,
  cache: CachingCredentialStore | undefined,
  onUnconfirmed: (event: RevocationEvent, receipt: RevocationReceipt) => Promise<void>,
): Stores {
  if (cache !== undefined)
    return {
      ...stores,
      credentials: cache,
      users: cache.watchUsers(stores.users),
      close: () => stores.close(),
    }
  return stores.revocations ? publishingStores(stores, stores.revocations, onUnconfirmed) : stores
}

/** The request-signature verifier, resolving keys through the key ring. */
export function createVerifier(
  config: TesseraConfig,
  nonces: NonceStore,
  keyRing: KeyRing,
  now: () => number,
) {
  return createSignatureVerifier<CredentialWithUser>({
    authorities: [...config.authorities],
    scheme: config.scheme,
    maxSkewSeconds: config.maxSkewSeconds,
    maxFutureSkewSeconds: config.maxFutureSkewSeconds,
    now,
    nonces,
    async resolveKey(keyId) {
      const found = await keyRing.resolve(keyId)
      return found && { id: found.id, algorithm: found.algorithm, key: found.key, payload: found.record }
    },
  })
}

/**
 * A revocation that some instance did not confirm in time (or that could not be published):
 * the revoking call was answered only once those instances had stopped trusting their memory,
 * but an operator should know which ones lag or are cut off from Redis.
 */
export function auditUnconfirmed(
  audit: AuditLog,
  event: RevocationEvent,
  receipt: RevocationReceipt,
): Promise<void> {
  return audit.record('revocation_unconfirmed', {
    ...('userId' in event ? { userId: event.userId } : { credentialId: event.credentialId }),
    detail: {
      published: receipt.published,
      expected: receipt.expected,
      confirmed: receipt.confirmed,
      unconfirmed: receipt.unconfirmed.join(',').slice(0, 1_000),
    },
  })
}
