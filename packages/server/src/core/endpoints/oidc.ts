import * as client from 'openid-client'
import { clearedSessionCookie } from '../cookies.ts'
import { ProblemError } from '../errors.ts'
import { internals } from '../internals.ts'
import { exchangeOidcCode, type OidcExchangeRequest } from '../oidc/exchange-oidc-code.ts'
import { finishOidcSignIn } from '../oidc/finish-oidc-sign-in.ts'
import { type OidcStartRequest, requireOidc, startOidcSignIn } from '../oidc/start-oidc-sign-in.ts'
import { type Endpoint, objectSchema, STRING } from './endpoint.ts'
import { iso, requireIpBudget, requireOrigin } from './guards.ts'

const PROVIDER = objectSchema({ provider: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{0,31}$' } }, [
  'provider',
])
/** PKCE verifiers and S256 challenges (RFC 7636 §4.1–4.2). */
const VERIFIER = { type: 'string', pattern: '^[A-Za-z0-9._~-]{43,128}$' }
const CHALLENGE = { type: 'string', pattern: '^[A-Za-z0-9_-]{43}$' }

export const listOidcProviders: Endpoint = {
  method: 'GET',
  path: '/auth/oidc/providers',
  access: 'public',
  summary: 'The identity providers people can sign in with (id and name)',
  errors: [],
  async handle({ tessera }) {
    return { status: 200, body: { providers: internals(tessera).oidc?.list() ?? [] } }
  },
}

export const startOidc: Endpoint = {
  method: 'POST',
  path: '/auth/oidc/:provider/start',
  access: 'public',
  summary: "Begin a sign-in with an identity provider: answers the provider's authorization URL",
  params: PROVIDER,
  body: objectSchema(
    {
      mode: { type: 'string', enum: ['web', 'mobile'] },
      returnTo: STRING(1, 2048),
      appChallenge: CHALLENGE,
      reauthenticate: { type: 'boolean' },
    },
    [],
  ),
  errors: ['validation_failed', 'not_found', 'csrf_failed', 'rate_limited', 'sso_unavailable'],
  async handle(ctx) {
    const body = ctx.body as Omit<OidcStartRequest, 'provider'>
    const mode = body.mode ?? 'web'
    await requireOrigin(ctx, mode === 'mobile')
    await requireIpBudget(ctx, 'oidc')
    const started = await startOidcSignIn(
      ctx.tessera,
      { ...body, mode, provider: ctx.params.provider ?? '' },
      ctx.now,
      ctx.request.ip,
    )
    return {
      status: 200,
      body: { authorizationUrl: started.authorizationUrl },
      cookies: started.cookie ? [started.cookie] : [],
    }
  },
}

export const oidcCallback: Endpoint = {
  method: 'GET',
  path: '/auth/oidc/:provider/callback',
  access: 'public',
  summary: "The provider's redirect back: 303 to the page the sign-in began on (web) or to the app (mobile)",
  params: PROVIDER,
  query: { type: 'object', additionalProperties: { type: 'string', maxLength: 4096 }, maxProperties: 16 },
  errors: ['not_found', 'sso_state_invalid', 'sso_token_invalid', 'sso_account_refused', 'sso_unavailable'],
  async handle({ tessera, params, request, now }) {
    try {
      return await finishOidcSignIn(tessera, params.provider ?? '', request, now)
    } catch (error) {
      const page = internals(tessera).oidc?.settings.errorPage
      if (page === undefined || !(error instanceof ProblemError)) throw error
      // A person arrives here by a browser redirect: show the refusal on a page of the app.
      const target = new URL(page, 'https://tessera.invalid')
      target.searchParams.set('sso_error', error.code)
      return { status: 303, headers: { location: `${target.pathname}${target.search}${target.hash}` } }
    }
  },
}

export const exchangeOidc: Endpoint = {
  method: 'POST',
  path: '/auth/oidc/exchange',
  access: 'public',
  summary: "Mobile: redeem the callback's code with the app's PKCE verifier for a device key",
  body: objectSchema(
    {
      code: STRING(16, 128),
      codeVerifier: VERIFIER,
      publicKey: { type: 'object', maxProperties: 16 },
      label: STRING(1, 100),
    },
    ['code', 'codeVerifier', 'publicKey'],
  ),
  errors: ['validation_failed', 'not_found', 'rate_limited', 'sso_exchange_invalid'],
  async handle(ctx) {
    await requireIpBudget(ctx, 'oidc')
    const body = ctx.body as OidcExchangeRequest
    return { status: 200, body: await exchangeOidcCode(ctx.tessera, body, ctx.request, ctx.now) }
  },
}

export const listOidcIdentities: Endpoint = {
  method: 'GET',
  path: '/auth/oidc/identities',
  access: 'authenticated',
  summary: "The caller's linked provider accounts, and what the current credential's provider sign-in proved",
  errors: ['unauthenticated', 'not_found'],
  async handle({ tessera, principal }) {
    const { store } = requireOidc(tessera)
    const identities = await store.listIdentities(principal.user.id)
    const signIn = await store.findSignIn(principal.credential.id)
    return {
      status: 200,
      body: {
        identities: identities.map(({ provider, email, linkedAt }) => ({
          provider,
          email,
          linkedAt: iso(linkedAt),
        })),
        signIn: signIn && {
          provider: signIn.provider,
          authenticatedAt: iso(signIn.authenticatedAt),
          amr: signIn.amr,
          acr: signIn.acr,
        },
      },
    }
  },
}

export const logoutOidc: Endpoint = {
  method: 'POST',
  path: '/auth/oidc/logout',
  access: 'session',
  summary: "End the session; when it came from a provider that supports it, answer the provider's logout URL",
  errors: ['unauthenticated', 'csrf_failed', 'not_found', 'forbidden'],
  async handle({ tessera, principal, request, now }) {
    const rp = requireOidc(tessera)
    const { credential, user } = principal
    const signIn = await rp.store.findSignIn(credential.id)
    await internals(tessera).stores.credentials.revoke(credential.id, now)
    await internals(tessera).audit.record('logout', {
      userId: user.id,
      credentialId: credential.id,
      ip: request.ip,
    })
    const { cookieName, secureCookies, publicOrigin } = internals(tessera).config
    let endSessionUrl: string | null = null
    const provider = signIn && rp.settings.providers.get(signIn.provider)
    if (provider) {
      // Logout must not depend on the provider being up: without its metadata, only the local session ends.
      const discovered = await rp.clients.configuration(provider).catch(() => undefined)
      if (discovered?.config.serverMetadata().end_session_endpoint) {
        const url = client.buildEndSessionUrl(discovered.config, {
          post_logout_redirect_uri: `${publicOrigin}/`,
        })
        endSessionUrl = url.href
      }
    }
    return {
      status: 200,
      body: { endSessionUrl },
      cookies: [clearedSessionCookie(cookieName, secureCookies)],
    }
  },
}
