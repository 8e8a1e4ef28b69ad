import { randomId, randomToken, sha256Hex } from './secrets.ts'
import type { CredentialRecord, CredentialWithUser } from './stores.ts'
import type { CredentialType, Principal, SignatureAlgorithm, User } from './types.ts'

/** When a credential dies: the earliest of its absolute limit, its idle limit and a rotation's retirement. */
export function expiresAt(credential: CredentialRecord): number {
  const idle = credential.lastUsedAt + credential.idleTimeoutMs
  return Math.min(credential.absoluteExpiresAt, idle, credential.retiresAt ?? Number.POSITIVE_INFINITY)
}

export type Liveness = 'live' | 'expired' | 'revoked'

/**
 * A disabled account's credentials count as revoked: disabling takes effect on the next request.
 * So does a credential issued against an older credential epoch than the user's: one a login
 * issued from a password (or role, or enabled state) that changed while it ran.
 */
export function liveness({ credential, user }: CredentialWithUser, now: number): Liveness {
  if (credential.revokedAt !== null || user.disabled) return 'revoked'
  if (credential.credentialEpoch !== user.credentialEpoch) return 'revoked'
  return now < expiresAt(credential) ? 'live' : 'expired'
}

export function publicUser(user: User): User {
  return { id: user.id, email: user.email, name: user.name, role: user.role }
}

export function toPrincipal({ credential, user }: CredentialWithUser): Principal {
  return {
    user: publicUser(user),
    credential: {
      id: credential.id,
      type: credential.type,
      expiresAt: expiresAt(credential),
      authenticatedAt: credential.authenticatedAt,
    },
  }
}

export interface NewCredential {
  userId: number
  type: CredentialType
  label: string
  now: number
  idleMs: number
  absoluteMs: number
  algorithm?: SignatureAlgorithm
  keyMaterial?: string
  tokenHash?: string
  /** The user's credential epoch as read before the password was checked (or of the credential it replaces). */
  credentialEpoch: number
  /** The last proof of the user, when not this login (a rotation keeps its predecessor's). */
  authenticatedAt?: number
}

export function credentialRecord(input: NewCredential): CredentialRecord {
  return {
    id: randomId(input.type === 'session' ? 'ses' : 'key'),
    userId: input.userId,
    type: input.type,
    tokenHash: input.tokenHash ?? null,
    algorithm: input.algorithm ?? null,
    keyMaterial: input.keyMaterial ?? null,
    label: input.label.slice(0, 255),
    createdAt: input.now,
    lastUsedAt: input.now,
    absoluteExpiresAt: input.now + input.absoluteMs,
    idleTimeoutMs: input.idleMs,
    revokedAt: null,
    retiresAt: null,
    credentialEpoch: input.credentialEpoch,
    authenticatedAt: input.authenticatedAt ?? input.now,
  }
}

/** A new session token (256 bits) and its record; only the token's SHA-256 is stored. */
export function newSession(input: Omit<NewCredential, 'type' | 'tokenHash'>): {
  token: string
  record: CredentialRecord
} {
  const token = randomToken(32)
  return { token, record: credentialRecord({ ...input, type: 'session', tokenHash: sha256Hex(token) }) }
}
