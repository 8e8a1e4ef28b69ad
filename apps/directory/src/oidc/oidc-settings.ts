import { readFileSync } from 'node:fs'
import type { OidcOptions, OidcProviderOptions } from '@tessera/server'

function list(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
}

/**
 * One provider from `<PREFIX>_ISSUER`, `_CLIENT_ID`, `_CLIENT_SECRET` or `_PRIVATE_KEY_FILE`
 * (a private JWK, for private_key_jwt), `_NAME`, `_ID`, `_ALLOWED_DOMAINS`, `_ADMIN_GROUP`, `_EMAIL_VERIFIED_CLAIM`, `_SCOPES`.
 */
function providerFrom(
  env: NodeJS.ProcessEnv,
  prefix: string,
  fallbackId: string,
): OidcProviderOptions | undefined {
  const issuer = env[`${prefix}_ISSUER`]
  if (!issuer) return undefined
  const clientId = env[`${prefix}_CLIENT_ID`]
  if (!clientId) throw new Error(`${prefix}_ISSUER is set: ${prefix}_CLIENT_ID is required too`)
  const keyFile = env[`${prefix}_PRIVATE_KEY_FILE`]
  const secret = env[`${prefix}_CLIENT_SECRET`]
  const adminGroup = env[`${prefix}_ADMIN_GROUP`]
  const verifiedClaim = env[`${prefix}_EMAIL_VERIFIED_CLAIM`]
  return {
    id: env[`${prefix}_ID`] || fallbackId,
    name: env[`${prefix}_NAME`] || 'your company account',
    issuer,
    clientId,
    ...(secret && { clientSecret: secret }),
    ...(keyFile && { privateKeyJwk: JSON.parse(readFileSync(keyFile, 'utf8')) }),
    allowedDomains: list(env[`${prefix}_ALLOWED_DOMAINS`]),
    ...(adminGroup && { adminGroup }),
    ...(verifiedClaim && { emailVerifiedClaim: verifiedClaim }),
    scopes: list(env[`${prefix}_SCOPES`]),
  }
}

/**
 * Sign-in with one or two identity providers (OIDC_* and OIDC2_*), SSO_ONLY domains, and where
 * the mobile client may return (OIDC_MOBILE_REDIRECT_URIS, plus the local mobile origin in
 * development). Undefined when no OIDC_ISSUER is set.
 */
export function loadOidcSettings(
  env: NodeJS.ProcessEnv,
  mobileReturnUris: string[] = [],
): OidcOptions | undefined {
  const providers = [providerFrom(env, 'OIDC', 'sso'), providerFrom(env, 'OIDC2', 'sso2')].filter(
    (p): p is OidcProviderOptions => p !== undefined,
  )
  if (providers.length === 0) {
    if (env.SSO_ONLY) throw new Error('SSO_ONLY needs an identity provider: set OIDC_ISSUER')
    return undefined
  }
  return {
    providers,
    ssoOnlyDomains: list(env.SSO_ONLY),
    mobileRedirectUris: [...list(env.OIDC_MOBILE_REDIRECT_URIS), ...mobileReturnUris],
    allowLoopbackHttp: env.NODE_ENV !== 'production',
    // The web app's login page reads `?sso_error=` and says what went wrong.
    errorPage: '/#login',
  }
}
