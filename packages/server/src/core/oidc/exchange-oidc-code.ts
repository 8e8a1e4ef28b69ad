import { createHash, timingSafeEqual } from 'node:crypto'
import { publicUser } from '../credentials.ts'
import { issueKey } from '../endpoints/issue-credential.ts'
import { internals } from '../internals.ts'
import { sha256Hex } from '../secrets.ts'
import type { Tessera } from '../tessera.ts'
import type { RequestView } from '../types.ts'
import { refuseSignIn } from './refuse-sign-in.ts'
import { requireOidc } from './start-oidc-sign-in.ts'

export interface OidcExchangeRequest {
  code: string
  /** The app's own PKCE verifier, whose S256 challenge began the sign-in. */
  codeVerifier: string
  /** The device's public JWK (P-256 or Ed25519): the app gets a device key, never a bearer token. */
  publicKey: Record<string, unknown>
  label?: string
}

/**
 * The mobile app's half of RFC 8252: the one-minute code from the callback, redeemed once
 * (on any instance; a wrong verifier burns it too) with the verifier only the app holds,
 * for a device key bound to the app's public key.
 */
export async function exchangeOidcCode(
  tessera: Tessera,
  body: OidcExchangeRequest,
  request: RequestView,
  now: number,
) {
  const rp = requireOidc(tessera)
  const grant = await rp.store.takeGrant(sha256Hex(body.code), now)
  const refusal = { tessera, provider: { id: grant?.provider ?? 'unknown' }, ip: request.ip }
  if (grant === undefined) return refuseSignIn(refusal, 'sso_exchange_invalid', 'unknown_code')
  if (!challengeMatches(body.codeVerifier, grant.appChallenge))
    return refuseSignIn(refusal, 'sso_exchange_invalid', 'wrong_verifier')
  const user = await internals(tessera).stores.users.findById(grant.userId)
  // A role change or disabling since the sign-in moved the epoch: the code died with it.
  if (user === undefined || user.disabled || user.credentialEpoch !== grant.credentialEpoch)
    return refuseSignIn(refusal, 'sso_exchange_invalid', 'account_changed')
  const { provider, authenticatedAt, amr, acr } = grant
  // The provider's auth_time is the key's last proof of the user (step-up), as for a web sign-in.
  const key = await issueKey(tessera, user, body.label ?? 'mobile app', body.publicKey, now, {
    authenticatedAt,
  })
  await rp.store.recordSignIn({ credentialId: key.id, userId: user.id, provider, authenticatedAt, amr, acr })
  return { user: publicUser(user), key }
}

function challengeMatches(verifier: string, challenge: string): boolean {
  const computed = Buffer.from(createHash('sha256').update(verifier).digest('base64url'))
  const expected = Buffer.from(challenge)
  return computed.length === expected.length && timingSafeEqual(computed, expected)
}
