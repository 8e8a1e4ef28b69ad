import { createHash } from 'node:crypto'
import type { CredentialRecord } from '../../src/core/stores.ts'

/** A session credential live at `now` for a minute, its token hash derived from its id. */
export function liveSession(id: string, userId: number, now: number): CredentialRecord {
  return {
    id,
    userId,
    type: 'session',
    tokenHash: createHash('sha256').update(id).digest('hex'),
    algorithm: null,
    keyMaterial: null,
    label: '',
    createdAt: now,
    lastUsedAt: now,
    absoluteExpiresAt: now + 60_000,
    idleTimeoutMs: 60_000,
    revokedAt: null,
    retiresAt: null,
    credentialEpoch: 0,
    authenticatedAt: now,
  }
}
