import { issueKey } from '../endpoints/issue-credential.ts'
import { ProblemError } from '../errors.ts'
import { internals } from '../internals.ts'
import type { CredentialWithUser } from '../stores.ts'
import type { Tessera } from '../tessera.ts'

/** Who asked, for the audit trail. */
export interface Actor {
  /** The user id of whoever made the change (an admin, or the user themself). */
  by?: number
  ip?: string
  /** Where it came from when not over HTTP, e.g. `'cli'`. */
  via?: string
}

function auditDetail(actor: Actor): Record<string, string | number> {
  return {
    ...(actor.by !== undefined && { by: actor.by }),
    ...(actor.via !== undefined && { via: actor.via }),
  }
}

export interface RevokeOptions extends Actor {
  /** Revoke only when the credential belongs to this user (else answer undefined, changing nothing). */
  ownedBy?: number
  /** `'logout'` when the holder ends the credential they are using. */
  reason?: 'logout'
}

/**
 * Revokes one credential: the store, the revocation bus (every instance drops it before this
 * answers) and the audit trail. Undefined for an unknown, dead or someone else's credential.
 */
export async function revokeCredential(
  tessera: Tessera,
  id: string,
  options: RevokeOptions = {},
): Promise<CredentialWithUser | undefined> {
  const { stores, audit, now } = internals(tessera)
  const found = await stores.credentials.findById(id)
  if (found === undefined) return undefined
  if (options.ownedBy !== undefined && found.credential.userId !== options.ownedBy) return undefined
  if (!(await stores.credentials.revoke(id, now()))) return undefined
  const context = { userId: found.credential.userId, credentialId: id, ip: options.ip ?? null }
  if (options.reason === 'logout') await audit.record('logout', context)
  else await audit.record('authn_token_revoked', { ...context, detail: auditDetail(options) })
  return found
}

/** Revokes every credential of a user (but `except`), published and audited; answers the count. */
export async function revokeUserCredentials(
  tessera: Tessera,
  userId: number,
  options: Actor = {},
): Promise<number> {
  const { stores, audit, now } = internals(tessera)
  const revoked = await stores.credentials.revokeAllForUser(userId, now())
  await audit.record('authn_token_revoked', {
    userId,
    ip: options.ip ?? null,
    detail: { ...auditDetail(options), revoked },
  })
  return revoked
}

export interface RotateKeyOptions {
  /** A device key rotates to a new public JWK; an HMAC key rotates without one. */
  publicKey?: Record<string, unknown>
  label?: string
  ip?: string
}

/**
 * Rotation: a new key for the rest of the old one's absolute life (rotating never extends
 * it: after the absolute limit the user logs in again); the old one keeps working for the
 * configured overlap (default 60 s) so requests already in flight are not refused, then dies,
 * and it cannot be rotated a second time. A device key rotates to a new public key.
 */
export async function rotateSigningKey(tessera: Tessera, keyId: string, options: RotateKeyOptions = {}) {
  const { stores, audit, config, now: clock } = internals(tessera)
  const { publicKey, label, ip } = options
  const now = clock()
  const current = await stores.credentials.findById(keyId)
  if (current === undefined || current.credential.type === 'session')
    throw new ProblemError('unauthenticated')
  const wasDevice = current.credential.type === 'device'
  if (wasDevice !== (publicKey !== undefined)) {
    const message = wasDevice
      ? 'a device key rotates to a new public key'
      : 'an HMAC key rotates without a public key'
    throw new ProblemError('validation_failed', { errors: [{ path: '/body/publicKey', message }] })
  }
  // Claim the old key first: of two rotations racing, only one gets a successor.
  const retiresAt = now + config.keys.rotationOverlapMs
  if (!(await stores.credentials.retire(current.credential.id, retiresAt))) {
    throw new ProblemError('forbidden', { detail: 'this key was already rotated' })
  }
  const { label: oldLabel, absoluteExpiresAt, authenticatedAt } = current.credential
  // The successor inherits the old key's epoch: a key made stale by a password change stays dead.
  const owner = { ...current.user, credentialEpoch: current.credential.credentialEpoch }
  // …and its last proof of the user: rotating is not re-authenticating.
  const key = await issueKey(tessera, owner, label ?? oldLabel, publicKey, now, {
    absoluteExpiresAt,
    authenticatedAt,
  })
  await audit.record('authn_token_revoked', {
    userId: current.user.id,
    credentialId: current.credential.id,
    ip: ip ?? null,
    detail: { reason: 'rotated', successor: key.id },
  })
  return key
}
