import * as client from 'openid-client'
import type { SetCookie } from '../cookies.ts'
import { ProblemError } from '../errors.ts'
import { internals } from '../internals.ts'
import { randomToken, sha256Hex } from '../secrets.ts'
import type { Tessera } from '../tessera.ts'
import { sameOriginPath } from './return-to.ts'

export interface OidcStartRequest {
  provider: string
  mode: 'web' | 'mobile'
  /** Web: the path to land on afterwards (default `/`). Mobile: one of `mobileRedirectUris`. */
  returnTo?: string
  /** Mobile: BASE64URL(SHA-256(the app's own verifier)), 43 characters. */
  appChallenge?: string
  /** Ask the provider for a fresh authentication (`max_age=0`, `prompt=login`): step-up. */
  reauthenticate?: boolean
}

export interface OidcStart {
  authorizationUrl: string
  /** Web: binds the callback to this browser (SameSite=Lax, so the provider's redirect carries it). */
  cookie?: SetCookie
}

/**
 * Begins a sign-in: a new state, nonce and PKCE verifier (S256), kept server-side in the
 * store as one single-use row keyed by the state's hash, so the callback may land on any
 * instance. Answers the provider's authorization URL.
 */
export async function startOidcSignIn(
  tessera: Tessera,
  request: OidcStartRequest,
  now: number,
  ip: string | null = null,
): Promise<OidcStart> {
  const rp = requireOidc(tessera)
  const provider = rp.provider(request.provider)
  let returnTo: string
  try {
    returnTo = checkedReturnTo(tessera, request)
  } catch (error) {
    // An off-site return target is how an open redirect would be tried: on the record.
    await internals(tessera).audit.record('input_validation_fail', {
      ip,
      detail: { method: 'oidc', field: 'returnTo' },
    })
    throw error
  }
  const { config } = await rp.clients.configuration(provider)
  const state = client.randomState()
  const nonce = client.randomNonce()
  const codeVerifier = client.randomPKCECodeVerifier()
  const binding = request.mode === 'web' ? randomToken() : undefined
  const maxAge = request.reauthenticate ? 0 : null
  await rp.store.saveFlow({
    id: sha256Hex(state),
    provider: provider.id,
    nonce,
    codeVerifier,
    browserHash: binding === undefined ? null : sha256Hex(binding),
    mode: request.mode,
    returnTo,
    appChallenge: request.appChallenge ?? null,
    maxAge,
    expiresAt: now + rp.settings.flowTtlMs,
  })
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: rp.redirectUri(internals(tessera).config.publicOrigin, provider.id),
    scope: ['openid', 'email', 'profile', ...(provider.scopes ?? [])].join(' '),
    state,
    nonce,
    code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
    ...(maxAge !== null && { max_age: '0', prompt: 'login' }),
  })
  const result: OidcStart = { authorizationUrl: url.href }
  if (binding !== undefined) result.cookie = bindingCookie(tessera, binding, rp.settings.flowTtlMs)
  return result
}

export function requireOidc(tessera: Tessera) {
  const { oidc } = internals(tessera)
  if (oidc === undefined) throw new ProblemError('not_found')
  return oidc
}

function checkedReturnTo(tessera: Tessera, request: OidcStartRequest): string {
  const rp = requireOidc(tessera)
  if (request.mode === 'mobile') {
    const uri = request.returnTo ?? ''
    if (!rp.settings.mobileRedirectUris.has(uri))
      throw invalid('/body/returnTo', 'is not a registered app redirect URI')
    if (request.appChallenge === undefined)
      throw invalid('/body/appChallenge', 'is required for a mobile sign-in')
    return uri
  }
  if (request.appChallenge !== undefined) throw invalid('/body/appChallenge', 'is only for a mobile sign-in')
  const path = sameOriginPath(request.returnTo ?? '/')
  if (path === undefined) throw invalid('/body/returnTo', 'must be a path on this site')
  return path
}

function invalid(path: string, message: string): ProblemError {
  return new ProblemError('validation_failed', { errors: [{ path, message }] })
}

/** The browser-binding cookie's name: `__Host-` on https, as the session cookie. */
export function bindingCookieName(tessera: Tessera): string {
  return internals(tessera).config.secureCookies ? '__Host-tessera-oidc' : 'tessera-oidc'
}

export function bindingCookie(tessera: Tessera, value: string, ttlMs: number): SetCookie {
  const secure = internals(tessera).config.secureCookies
  return {
    name: bindingCookieName(tessera),
    value,
    httpOnly: true,
    secure,
    sameSite: 'Lax',
    path: '/',
    maxAge: Math.ceil(ttlMs / 1000),
  }
}
