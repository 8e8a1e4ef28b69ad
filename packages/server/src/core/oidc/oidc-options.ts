import type { JWK } from 'jose'
import { canonicalOrigin } from '../config.ts'
import { sameOriginPath } from './return-to.ts'

/** One identity provider Tessera signs people in with (Tessera is the relying party only). */
export interface OidcProviderOptions {
  /** Short id used in URLs and audit records, e.g. `corp` → `/auth/oidc/corp/callback`. */
  id: string
  /** Shown on the button: "Sign in with <name>". */
  name: string
  /** The issuer; its `/.well-known/openid-configuration` is read at first use. */
  issuer: string
  clientId: string
  /** `client_secret_basic` when given. */
  clientSecret?: string
  /** `private_key_jwt` when given: the client's private JWK (its public half registered at the provider). */
  privateKeyJwk?: JWK
  /** First sign-in creates a user when the (verified) email's domain is one of these. */
  allowedDomains?: string[]
  /** A value of the `groups` or `roles` claim that makes the user admin; re-read at every sign-in. */
  adminGroup?: string
  /**
   * The boolean claim that says the provider verified the email (default `email_verified`; Entra ID
   * sends none, but can send `xms_edov` as an optional claim).
   */
  emailVerifiedClaim?: string
  /** Extra scopes beside `openid email profile`, e.g. `groups`. */
  scopes?: string[]
}

export interface OidcOptions {
  providers: OidcProviderOptions[]
  /** Email domains whose people must sign in with a provider: password login and registration are refused. */
  ssoOnlyDomains?: string[]
  /** Where a mobile sign-in may return (claimed https links or custom schemes), exact match. */
  mobileRedirectUris?: string[]
  /** Bound on every request to a provider, ms (default 5000): a provider that is down answers 503 in time. */
  timeoutMs?: number
  /** How long a sign-in may take at the provider, ms (default 10 minutes). */
  flowTtlMs?: number
  /** Minimum time between two JWKS downloads when an unknown key id shows up, ms (default 30 s). */
  jwksCooldownMs?: number
  /** Allow http issuers on loopback (the local development provider, tests). */
  allowLoopbackHttp?: boolean
  /**
   * A path of this site that shows a refused callback to a person: the callback answers 303 to it
   * with `?sso_error=<code>` instead of problem+json (the refusal is audited either way).
   */
  errorPage?: string
}

export interface ResolvedOidc {
  readonly providers: ReadonlyMap<string, Readonly<OidcProviderOptions>>
  readonly ssoOnlyDomains: ReadonlySet<string>
  readonly mobileRedirectUris: ReadonlySet<string>
  readonly timeoutMs: number
  readonly flowTtlMs: number
  readonly jwksCooldownMs: number
  readonly allowLoopbackHttp: boolean
  readonly errorPage: string | undefined
}

const PROVIDER_ID = /^[a-z0-9][a-z0-9-]{0,31}$/

/** Validates once at start-up; a bad provider entry stops the server, never a request. */
export function resolveOidc(options: OidcOptions): ResolvedOidc {
  const providers = new Map<string, Readonly<OidcProviderOptions>>()
  for (const provider of options.providers) {
    if (!PROVIDER_ID.test(provider.id)) throw new Error(`oidc provider id "${provider.id}": use a-z, 0-9, -`)
    if (providers.has(provider.id)) throw new Error(`oidc provider id "${provider.id}" is configured twice`)
    if (!provider.clientId) throw new Error(`oidc provider ${provider.id}: clientId is required`)
    if (provider.clientSecret && provider.privateKeyJwk)
      throw new Error(`oidc provider ${provider.id}: give clientSecret or privateKeyJwk, not both`)
    const issuer = new URL(provider.issuer)
    if (issuer.protocol !== 'https:' && !(options.allowLoopbackHttp && isLoopback(issuer.hostname)))
      throw new Error(`oidc provider ${provider.id}: the issuer must be https`)
    providers.set(
      provider.id,
      Object.freeze({ ...provider, allowedDomains: (provider.allowedDomains ?? []).map(lower) }),
    )
  }
  for (const uri of options.mobileRedirectUris ?? []) {
    const url = new URL(uri)
    if (url.hash || url.username)
      throw new Error(`oidc mobileRedirectUris: "${uri}" has a fragment or credentials`)
    if (url.protocol === 'http:') canonicalOrigin(url.origin, 'oidc mobileRedirectUris')
  }
  return Object.freeze({
    providers,
    ssoOnlyDomains: new Set((options.ssoOnlyDomains ?? []).map(lower)),
    mobileRedirectUris: new Set(options.mobileRedirectUris ?? []),
    timeoutMs: options.timeoutMs ?? 5_000,
    flowTtlMs: options.flowTtlMs ?? 10 * 60_000,
    jwksCooldownMs: options.jwksCooldownMs ?? 30_000,
    allowLoopbackHttp: options.allowLoopbackHttp ?? false,
    errorPage: options.errorPage === undefined ? undefined : errorPage(options.errorPage),
  })
}

function errorPage(path: string): string {
  const checked = sameOriginPath(path)
  if (checked === undefined) throw new Error(`oidc errorPage: "${path}" must be a path of this site`)
  return checked
}

/** The domain part of an email, lower-cased (the part that decides SSO policy). */
export function emailDomain(email: string): string {
  return lower(email.slice(email.lastIndexOf('@') + 1))
}

function lower(value: string): string {
  return value.trim().toLowerCase()
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host)
}
