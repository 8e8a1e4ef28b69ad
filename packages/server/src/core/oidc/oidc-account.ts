import type { IDToken } from 'openid-client'
import { displayNameProblem } from '../display-name.ts'
import { emailKey, emailProblem } from '../email.ts'
import { internals } from '../internals.ts'
import { randomToken } from '../secrets.ts'
import type { UserRecord } from '../stores.ts'
import type { Tessera } from '../tessera.ts'
import type { Role } from '../types.ts'
import { emailDomain, type OidcProviderOptions } from './oidc-options.ts'
import { refuseSignIn } from './refuse-sign-in.ts'

export interface SignInContext {
  tessera: Tessera
  provider: OidcProviderOptions
  claims: IDToken
  ip: string
  now: number
}

/**
 * The local user for a verified provider sign-in: the linked one; else the account with the
 * same email, linked now only if the provider says the email is verified; else a new user
 * (just in time) when the email's domain is allowed. Then the role is re-read from the claims.
 */
export async function accountForSignIn(ctx: SignInContext): Promise<UserRecord> {
  const { tessera, provider, claims } = ctx
  const linked = await internals(tessera).oidc?.store.findIdentity(provider.id, claims.sub)
  const user = linked
    ? await internals(tessera).stores.users.findById(linked.userId)
    : await linkOrProvision(ctx)
  if (user === undefined || user.disabled) return refuseSignIn(ctx, 'sso_account_refused', 'account_disabled')
  return syncRole(ctx, user)
}

async function linkOrProvision(ctx: SignInContext): Promise<UserRecord> {
  const { tessera, provider, claims, now } = ctx
  const email = typeof claims.email === 'string' ? claims.email : ''
  if (emailProblem(email) !== undefined) return refuseSignIn(ctx, 'sso_account_refused', 'no_usable_email')
  if (claims[provider.emailVerifiedClaim ?? 'email_verified'] !== true)
    return refuseSignIn(ctx, 'sso_account_refused', 'email_unverified')
  const key = emailKey(email)
  let user = await internals(tessera).stores.users.findByEmailKey(key)
  let created = false
  if (user === undefined) {
    if (!provider.allowedDomains?.includes(emailDomain(email)))
      return refuseSignIn(ctx, 'sso_account_refused', 'domain_not_allowed')
    // Nobody knows this password: the account signs in through its provider.
    const passwordHash = await internals(tessera).hasher.hash(randomToken())
    const made = await internals(tessera).stores.users.create(
      { email, emailKey: key, name: nameFrom(claims, email), role: 'user', passwordHash },
      now,
    )
    created = made !== 'email_taken'
    // A parallel first sign-in (another instance) created it a moment ago: use that one.
    user = made === 'email_taken' ? await internals(tessera).stores.users.findByEmailKey(key) : made
    if (user === undefined) return refuseSignIn(ctx, 'sso_account_refused', 'account_vanished')
  }
  await link(ctx, user, email, created)
  return user
}

async function link(ctx: SignInContext, user: UserRecord, email: string, created: boolean): Promise<void> {
  const { tessera, provider, claims, now, ip } = ctx
  const oidc = internals(tessera).oidc
  if (oidc === undefined) return
  const outcome = await oidc.store.linkIdentity({
    provider: provider.id,
    subject: claims.sub,
    userId: user.id,
    email,
    linkedAt: now,
  })
  if (outcome === 'taken') {
    const other = await oidc.store.findIdentity(provider.id, claims.sub)
    if (other?.userId !== user.id) return refuseSignIn(ctx, 'sso_account_refused', 'linked_elsewhere')
    return
  }
  await internals(tessera).audit.record(created ? 'user_created' : 'user_updated', {
    userId: user.id,
    ip,
    detail: { via: 'oidc', provider: provider.id, linked: true },
  })
}

/**
 * With `adminGroup`, the provider decides the role at every sign-in. A change goes through the
 * user update (which moves the credential epoch) and revokes every credential, as an admin's
 * role change does: a demotion at the provider ends the admin's other sessions and keys here.
 */
async function syncRole(ctx: SignInContext, user: UserRecord): Promise<UserRecord> {
  const { tessera, provider, claims, now, ip } = ctx
  if (provider.adminGroup === undefined) return user
  const values = [...strings(claims.groups), ...strings(claims.roles)]
  const role: Role = values.includes(provider.adminGroup) ? 'admin' : 'user'
  if (role === user.role) return user
  const after = await internals(tessera).stores.users.update(user.id, { role }, now)
  if (after === undefined) return refuseSignIn(ctx, 'sso_account_refused', 'account_vanished')
  const revoked = await internals(tessera).stores.credentials.revokeAllForUser(user.id, now)
  await internals(tessera).audit.record('privilege_permissions_changed', {
    userId: user.id,
    ip,
    detail: { by: `oidc:${provider.id}`, role, disabled: after.disabled, revoked },
  })
  return after
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []
}

function nameFrom(claims: IDToken, email: string): string {
  const name = typeof claims.name === 'string' ? claims.name.trim() : ''
  if (name && displayNameProblem(name) === undefined) return name
  return email.slice(0, email.lastIndexOf('@')).slice(0, 200)
}
