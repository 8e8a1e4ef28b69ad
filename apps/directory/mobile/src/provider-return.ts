import { indexedDbKeyStore } from '@tessera/client'
import { VERIFIER_KEY } from '../../web/src/lib/provider-sign-in.ts'

/**
 * Back from the identity provider with `?code=…` (RFC 8252): makes this device's P-256 key
 * (private half non-extractable), redeems the one-time code with the verifier kept in this tab,
 * and stores the issued device key where the client looks for it. No bearer token is ever held.
 * Answers a message for the login page when the sign-in failed, else undefined.
 */
export async function redeemProviderCode(apiOrigin: string): Promise<string | undefined> {
  const code = new URLSearchParams(window.location.search).get('code')
  if (code === null) return undefined
  window.history.replaceState(null, '', window.location.pathname + window.location.hash)
  const verifier = sessionStorage.getItem(VERIFIER_KEY)
  sessionStorage.removeItem(VERIFIER_KEY)
  if (verifier === null) return 'That sign-in was not started on this device. Please try again.'
  const pair = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, [
    'sign',
    'verify',
  ])) as CryptoKeyPair
  const { kty, crv, x, y } = await crypto.subtle.exportKey('jwk', pair.publicKey)
  const answer = await fetch(`${apiOrigin}/auth/oidc/exchange`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      code,
      codeVerifier: verifier,
      publicKey: { kty, crv, x, y },
      label: 'Directory mobile',
    }),
  }).catch(() => undefined)
  if (!answer?.ok) return 'The sign-in could not be completed. Please try again.'
  const { key } = (await answer.json()) as { key: { id: string; algorithm: string; expiresAt: string } }
  await indexedDbKeyStore({ name: new URL(apiOrigin).origin }).save({
    id: key.id,
    algorithm: key.algorithm as 'ecdsa-p256-sha256',
    key: pair.privateKey,
    expiresAt: key.expiresAt,
  })
  return undefined
}
