import { createRemoteJWKSet, importJWK, type JWTVerifyGetKey, jwtVerify } from 'jose'
import * as client from 'openid-client'
import { ProblemError } from '../errors.ts'
import type { OidcProviderOptions, ResolvedOidc } from './oidc-options.ts'

interface Discovered {
  config: client.Configuration
  jwks: JWTVerifyGetKey
}

/**
 * One discovered `openid-client` Configuration per provider, read from its issuer at first
 * use and kept; a failed discovery is forgotten, so the next sign-in tries again. Every
 * request to a provider is bounded by `timeoutMs`; a provider that is down or too slow
 * becomes `sso_unavailable` (503), and nothing else is affected.
 */
export class OidcClients {
  readonly #oidc: ResolvedOidc
  readonly #discovered = new Map<string, Promise<Discovered>>()

  constructor(oidc: ResolvedOidc) {
    this.#oidc = oidc
  }

  async configuration(provider: OidcProviderOptions): Promise<Discovered> {
    let found = this.#discovered.get(provider.id)
    if (found === undefined) {
      found = this.#discover(provider)
      this.#discovered.set(provider.id, found)
      found.catch(() => this.#discovered.delete(provider.id))
    }
    try {
      return await found
    } catch {
      throw new ProblemError('sso_unavailable', { retryAfter: 30, detail: `${provider.name} did not answer` })
    }
  }

  async #discover(provider: OidcProviderOptions): Promise<Discovered> {
    const issuer = new URL(provider.issuer)
    const insecure = issuer.protocol === 'http:' && this.#oidc.allowLoopbackHttp
    const config = await client.discovery(issuer, provider.clientId, {}, await clientAuth(provider), {
      timeout: Math.max(1, Math.ceil(this.#oidc.timeoutMs / 1000)),
      ...(insecure && { execute: [client.allowInsecureRequests] }),
    })
    const jwksUri = config.serverMetadata().jwks_uri
    if (jwksUri === undefined) throw new Error(`${provider.id}: the provider publishes no jwks_uri`)
    const jwks = createRemoteJWKSet(new URL(jwksUri), {
      timeoutDuration: this.#oidc.timeoutMs,
      cooldownDuration: this.#oidc.jwksCooldownMs,
    })
    return { config, jwks }
  }

  /**
   * Checks the ID token's signature against the provider's JWKS (jose: an unknown key id
   * makes it download the set again, so a key rotation at the provider keeps working).
   * openid-client has already checked issuer, audience, expiry, nonce and algorithm.
   */
  async verifySignature(discovered: Discovered, idToken: string): Promise<void> {
    await jwtVerify(idToken, discovered.jwks, { algorithms: ASYMMETRIC })
  }
}

const ASYMMETRIC = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA']

/** The WebCrypto key type openid-client signs client assertions with (no DOM lib in the build). */
type SigningKey = Extract<Parameters<typeof client.PrivateKeyJwt>[0], { key: unknown }>['key']

async function clientAuth(provider: OidcProviderOptions): Promise<client.ClientAuth> {
  if (provider.clientSecret) return client.ClientSecretBasic(provider.clientSecret)
  if (provider.privateKeyJwk) {
    const alg = provider.privateKeyJwk.alg ?? 'ES256'
    const key = (await importJWK(provider.privateKeyJwk, alg)) as SigningKey
    return client.PrivateKeyJwt({
      key,
      ...(provider.privateKeyJwk.kid && { kid: provider.privateKeyJwk.kid }),
    })
  }
  return client.None()
}

/** A provider that cannot be reached or answers 5xx is an outage; anything else is a refused response. */
export function isProviderOutage(error: unknown): boolean {
  if (error instanceof TypeError) return true
  if (error instanceof DOMException) return error.name === 'TimeoutError' || error.name === 'AbortError'
  const code = (error as { code?: unknown }).code
  return code === 'OAUTH_RESPONSE_IS_NOT_CONFORM' || code === 'OAUTH_RESPONSE_IS_NOT_JSON'
}
