import { timingSafeEqual } from 'node:crypto'
import * as client from 'openid-client'
import { clearedSessionCookie } from '../cookies.ts'
import type { EndpointResult } from '../endpoints/endpoint.ts'
import { issueSession } from '../endpoints/issue-credential.ts'
import { ProblemError } from '../errors.ts'
import { internals } from '../internals.ts'
import { cookieValues, singleHeader } from '../request-headers.ts'
import { randomToken, sha256Hex } from '../secrets.ts'
import type { UserRecord } from '../stores.ts'
import type { Tessera } from '../tessera.ts'
import type { RequestView } from '../types.ts'
import { accountForSignIn } from './oidc-account.ts'
import { isProviderOutage } from './oidc-clients.ts'
import type { OidcFlow, OidcProof } from './oidc-store.ts'
import { refuseSignIn } from './refuse-sign-in.ts'
import { bindingCookieName, requireOidc } from './start-oidc-sign-in.ts'

/** A mobile exchange code lives one minute: the app redeems it at once. */
export const GRANT_TTL_MS = 60_000

/**
 * The provider's redirect back: takes the flow by its state (once, on any instance), checks the
 * browser binding, lets openid-client redeem the code (PKCE) and validate the ID token, checks
 * its signature, finds or provisions the user, and answers 303 to where the sign-in began:
 * the web path with a new session, or the mobile app with a one-minute exchange code.
 */
export async function finishOidcSignIn(
  tessera: Tessera,
  providerId: string,
  request: RequestView,
  now: number,
): Promise<EndpointResult> {
  const rp = requireOidc(tessera)
  const provider = rp.provider(providerId)
  const refusal = { tessera, provider, ip: request.ip }
  const callbackUrl = new URL(request.target, internals(tessera).config.publicOrigin)
  const state = callbackUrl.searchParams.get('state') ?? ''
  const flow = state ? await rp.store.takeFlow(sha256Hex(state), now) : undefined
  if (flow === undefined || flow.provider !== provider.id)
    return refuseSignIn(refusal, 'sso_state_invalid', 'unknown_state')
  if (!browserMatches(tessera, flow, request))
    return refuseSignIn(refusal, 'sso_state_invalid', 'other_browser')
  const discovered = await rp.clients.configuration(provider)
  let claims: client.IDToken
  try {
    const tokens = await client.authorizationCodeGrant(
      discovered.config,
      callbackUrl,
      {
        pkceCodeVerifier: flow.codeVerifier,
        expectedState: state,
        expectedNonce: flow.nonce,
        ...(flow.maxAge !== null && { maxAge: flow.maxAge }),
      },
      { redirect_uri: rp.redirectUri(internals(tessera).config.publicOrigin, provider.id) },
    )
    await rp.clients.verifySignature(discovered, tokens.id_token ?? '')
    claims = tokens.claims() as client.IDToken
  } catch (error) {
    if (isProviderOutage(error)) throw new ProblemError('sso_unavailable', { retryAfter: 30 })
    return refuseSignIn(refusal, 'sso_token_invalid', reasonOf(error))
  }
  const user = await accountForSignIn({ tessera, provider, claims, ip: request.ip, now })
  const proof = proofOf(provider.id, claims, now)
  await internals(tessera).audit.record('authn_login_success', {
    userId: user.id,
    ip: request.ip,
    detail: { method: 'oidc', provider: provider.id, mode: flow.mode, acr: proof.acr },
  })
  if (flow.mode === 'mobile') return redirectToApp(tessera, flow, user, proof, now)
  return startWebSession(tessera, flow, user, proof, request, now)
}

async function startWebSession(
  tessera: Tessera,
  flow: OidcFlow,
  user: UserRecord,
  proof: OidcProof,
  request: RequestView,
  now: number,
): Promise<EndpointResult> {
  await revokePresentedSessions(tessera, request, now)
  const label = singleHeader(request.headers, 'user-agent')?.slice(0, 100) ?? 'browser'
  // The provider's auth_time is the last proof of the user: a silent sign-in on an old provider
  // session is not a fresh authentication for step-up (`recentAuth`).
  const issued = await issueSession(tessera, user, label, now, proof.authenticatedAt)
  await internals(tessera).oidc?.store.recordSignIn({
    credentialId: issued.credentialId,
    userId: user.id,
    ...proof,
  })
  const cleared = {
    ...clearedSessionCookie(bindingCookieName(tessera), internals(tessera).config.secureCookies),
    sameSite: 'Lax' as const,
  }
  return { status: 303, headers: { location: flow.returnTo }, cookies: [issued.cookie, cleared] }
}

async function redirectToApp(
  tessera: Tessera,
  flow: OidcFlow,
  user: UserRecord,
  proof: OidcProof,
  now: number,
): Promise<EndpointResult> {
  const code = randomToken()
  await internals(tessera).oidc?.store.saveGrant({
    id: sha256Hex(code),
    userId: user.id,
    appChallenge: flow.appChallenge ?? '',
    credentialEpoch: user.credentialEpoch,
    expiresAt: now + GRANT_TTL_MS,
    ...proof,
  })
  const target = new URL(flow.returnTo)
  target.searchParams.set('code', code)
  return { status: 303, headers: { location: target.href } }
}

/** A web flow must come back to the browser that began it (its binding cookie), so a forged callback fails. */
function browserMatches(tessera: Tessera, flow: OidcFlow, request: RequestView): boolean {
  if (flow.browserHash === null) return true
  const expected = Buffer.from(flow.browserHash)
  return cookieValues(request.headers, bindingCookieName(tessera)).some((value) => {
    const got = Buffer.from(sha256Hex(value))
    return got.length === expected.length && timingSafeEqual(got, expected)
  })
}

async function revokePresentedSessions(tessera: Tessera, request: RequestView, now: number): Promise<void> {
  for (const token of cookieValues(request.headers, internals(tessera).config.cookieName)) {
    const found = await internals(tessera).stores.credentials.findByTokenHash(sha256Hex(token))
    if (found !== undefined) await internals(tessera).stores.credentials.revoke(found.credential.id, now)
  }
}

/** `auth_time` (when the user last proved themselves at the provider), `amr` and `acr`, bounded in size. */
export function proofOf(provider: string, claims: client.IDToken, now: number): OidcProof {
  const authTime = typeof claims.auth_time === 'number' ? claims.auth_time * 1000 : now
  const amr = Array.isArray(claims.amr)
    ? claims.amr
        .filter((v): v is string => typeof v === 'string')
        .map((v) => v.slice(0, 32))
        .slice(0, 6)
    : []
  const acr = typeof claims.acr === 'string' ? claims.acr.slice(0, 255) : null
  return { provider, authenticatedAt: Math.min(authTime, now), amr, acr }
}

/** A secret-free reason for the audit trail: the library's error code, never the token. */
function reasonOf(error: unknown): string {
  if (error instanceof client.AuthorizationResponseError) return `provider_error:${error.error}`.slice(0, 64)
  if (error instanceof client.ResponseBodyError) return `token_endpoint:${error.error}`.slice(0, 64)
  const code = (error as { code?: unknown }).code
  return typeof code === 'string' ? code.slice(0, 64) : 'invalid_id_token'
}
