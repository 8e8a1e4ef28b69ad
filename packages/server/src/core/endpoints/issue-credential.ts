import { type SetCookie, sessionCookie } from '../cookies.ts'
import { credentialRecord, expiresAt, newSession } from '../credentials.ts'
import { ProblemError } from '../errors.ts'
import { internals } from '../internals.ts'
import { parsePublicJwk } from '../signatures/keys.ts'
import type { UserRecord } from '../stores.ts'
import type { Tessera } from '../tessera.ts'
import { iso } from './guards.ts'

/**
 * A new session for the user: 200 `{user, csrfToken, expiresAt}` and the cookie. It belongs to
 * `user.credentialEpoch` as the caller read it before checking the password, so if the password,
 * role or enabled state changed since, it is born dead (the insert itself needs no lock).
 */
export interface IssuedSession {
  credentialId: string
  csrfToken: string
  expiresAt: string
  /** The `Set-Cookie` to send: the session token is in it and nowhere else. */
  cookie: SetCookie
}

export async function issueSession(
  tessera: Tessera,
  user: UserRecord,
  label: string,
  now: number,
  /** When the user last proved who they are, if not now (a provider sign-in's `auth_time`). */
  authenticatedAt?: number,
): Promise<IssuedSession> {
  const { config, stores, audit } = internals(tessera)
  const { session, cookieName, secureCookies } = config
  const { token, record } = newSession({
    userId: user.id,
    label,
    now,
    idleMs: session.idleMs,
    absoluteMs: session.absoluteMs,
    credentialEpoch: user.credentialEpoch,
    ...(authenticatedAt !== undefined && { authenticatedAt }),
  })
  await stores.credentials.create(record)
  await audit.record('session_created', { userId: user.id, credentialId: record.id })
  return {
    credentialId: record.id,
    csrfToken: tessera.csrfToken(record.id),
    expiresAt: iso(expiresAt(record)),
    cookie: sessionCookie(cookieName, token, secureCookies),
  }
}

export interface IssuedKey {
  id: string
  secret?: string
  algorithm: string
  expiresAt: string
}

/**
 * A new signing key for the user. With a public JWK, a device key: only the public key
 * is stored. Without, an HMAC key whose secret is derived (HKDF) from the master secret
 * and the key id, shown here once and never stored. Like a session, it belongs to
 * `user.credentialEpoch` as the caller read it.
 */
export async function issueKey(
  tessera: Tessera,
  user: UserRecord,
  label: string,
  publicKey: unknown,
  now: number,
  /**
   * A rotation passes its predecessor's absolute limit (rotating never extends a key's life)
   * and its last proof of the user (rotating is not re-authenticating).
   */
  predecessor?: { absoluteExpiresAt?: number; authenticatedAt: number },
): Promise<IssuedKey> {
  const absoluteExpiresAt = predecessor?.absoluteExpiresAt
  const { config, stores, audit, keyRing } = internals(tessera)
  const { keys, secrets } = config
  const absoluteMs = absoluteExpiresAt === undefined ? keys.absoluteMs : absoluteExpiresAt - now
  const base = {
    userId: user.id,
    label,
    now,
    idleMs: keys.idleMs,
    absoluteMs,
    credentialEpoch: user.credentialEpoch,
    ...(predecessor && { authenticatedAt: predecessor.authenticatedAt }),
  }
  let record: ReturnType<typeof credentialRecord>
  if (publicKey === undefined) {
    record = credentialRecord({
      ...base,
      type: 'hmac',
      algorithm: 'hmac-sha256',
      keyMaterial: secrets.currentId,
    })
  } else {
    const parsed = parsePublicJwk(publicKey)
    if (!parsed.ok) {
      throw new ProblemError('validation_failed', {
        errors: [{ path: '/body/publicKey', message: parsed.reason }],
      })
    }
    record = credentialRecord({
      ...base,
      type: 'device',
      algorithm: parsed.algorithm,
      keyMaterial: JSON.stringify(parsed.jwk),
    })
  }
  await stores.credentials.create(record)
  await audit.record('authn_token_created', {
    userId: user.id,
    credentialId: record.id,
    detail: { type: record.type, algorithm: record.algorithm },
  })
  const key: IssuedKey = {
    id: record.id,
    algorithm: record.algorithm as string,
    expiresAt: iso(expiresAt(record)),
  }
  if (record.type === 'hmac') key.secret = keyRing.hmacSecret(record.id).toString('base64url')
  return key
}
