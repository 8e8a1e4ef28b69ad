import { ProblemError } from '../errors.ts'
import { internals } from '../internals.ts'
import type { Tessera } from '../tessera.ts'

/**
 * SSO_ONLY: people of these email domains sign in with their identity provider, so a password
 * login or registration for them is refused (decided by the domain alone: it reveals nothing
 * about whether an account exists).
 */
export async function requirePasswordAllowed(tessera: Tessera, email: string, ip: string): Promise<void> {
  if (!internals(tessera).oidc?.requiresSso(email)) return
  await internals(tessera).audit.record('authn_login_fail', {
    ip,
    detail: { method: 'password', code: 'sso_required' },
  })
  throw new ProblemError('sso_required')
}
