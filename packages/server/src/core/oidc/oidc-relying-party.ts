import { ProblemError } from '../errors.ts'
import { OidcClients } from './oidc-clients.ts'
import {
  emailDomain,
  type OidcOptions,
  type OidcProviderOptions,
  type ResolvedOidc,
  resolveOidc,
} from './oidc-options.ts'
import type { OidcStore } from './oidc-store.ts'

/** The configured providers, their discovered clients and the store: what every OIDC operation needs. */
export class OidcRelyingParty {
  readonly settings: ResolvedOidc
  readonly clients: OidcClients
  readonly store: OidcStore

  constructor(options: OidcOptions, store: OidcStore | undefined) {
    if (store === undefined) throw new Error('oidc: the stores have no `oidc` store (use the SQL stores)')
    this.settings = resolveOidc(options)
    this.clients = new OidcClients(this.settings)
    this.store = store
  }

  /** The provider, or `not_found` for an id nobody configured. */
  provider(id: string): OidcProviderOptions {
    const found = this.settings.providers.get(id)
    if (found === undefined) throw new ProblemError('not_found')
    return found
  }

  /** What the login page shows: id and name of each provider. */
  list(): Array<{ id: string; name: string }> {
    return [...this.settings.providers.values()].map(({ id, name }) => ({ id, name }))
  }

  /** True when people with this email must sign in with a provider (SSO_ONLY). */
  requiresSso(email: string): boolean {
    return this.settings.ssoOnlyDomains.has(emailDomain(email))
  }

  redirectUri(publicOrigin: string, providerId: string): string {
    return `${publicOrigin}/auth/oidc/${providerId}/callback`
  }
}
