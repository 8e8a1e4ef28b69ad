import { notifyOwner } from '../accounts/notifications.ts'
import { displayNameProblem } from '../display-name.ts'
import { emailKey, emailProblem } from '../email.ts'
import { ProblemError } from '../errors.ts'
import { internals } from '../internals.ts'
import { checkPassword } from '../password-policy.ts'
import type { UserRecord } from '../stores.ts'
import type { Tessera } from '../tessera.ts'
import type { Role } from '../types.ts'
import type { Actor } from './credential-verbs.ts'

export interface NewUser {
  email: string
  password: string
  name: string
  /** Default `'user'`. */
  role?: Role
  /**
   * Whether the address counts as verified (an operator vouching for it). Default: only
   * when `emailVerification` is `'off'`.
   */
  emailVerified?: boolean
}

function refuse(path: string, message: string): never {
  throw new ProblemError('validation_failed', { errors: [{ path, message }] })
}

/** Checks the password against the policy (length, breached/obvious ones, the user's own name). */
function acceptablePassword(password: string, path: string, user: { email: string; name: string }): string {
  const check = checkPassword(password, user)
  if (!check.ok) refuse(path, check.reason)
  return check.password
}

/**
 * Checks and creates an account: 422 for a bad email, name or password; `'email_taken'` when
 * the address has an account (the caller decides what to answer); `user_created` audited.
 * `emailVerified` defaults to true only when email verification is off.
 */
export async function createAccount(
  tessera: Tessera,
  input: NewUser,
  actor: Actor = {},
): Promise<UserRecord | 'email_taken'> {
  const { stores, hasher, audit, config, now: clock } = internals(tessera)
  const { email, password, name } = input
  const emailRefusal = emailProblem(email)
  if (emailRefusal !== undefined) refuse('/body/email', emailRefusal)
  const accepted = acceptablePassword(password, '/body/password', { email, name })
  const trimmedName = name.normalize('NFKC').trim()
  const nameRefusal = trimmedName === '' ? 'must not be blank' : displayNameProblem(trimmedName)
  if (nameRefusal !== undefined) refuse('/body/name', nameRefusal)
  const role = input.role ?? 'user'
  const passwordHash = await hasher.hash(accepted)
  const now = clock()
  const verified = input.emailVerified ?? config.emailVerification === 'off'
  const created = await stores.users.create(
    {
      email: email.trim(),
      emailKey: emailKey(email),
      name: trimmedName,
      role,
      passwordHash,
      emailVerifiedAt: verified ? now : null,
    },
    now,
  )
  if (created === 'email_taken') return created
  await audit.record('user_created', {
    userId: created.id,
    ip: actor.ip ?? null,
    detail: { via: actor.via ?? 'register', ...(role !== 'user' && { role }) },
  })
  return created
}

/** Creates an account: 422 for a bad email, name or password, 409 `email_taken`; audited. */
export async function registerUser(tessera: Tessera, input: NewUser, actor: Actor = {}): Promise<UserRecord> {
  const created = await createAccount(tessera, input, actor)
  if (created === 'email_taken') throw new ProblemError('email_taken')
  return created
}

export interface UserUpdate {
  role?: Role
  disabled?: boolean
  name?: string
}

/**
 * Changes a user's role, disabled flag or name. A role or disabled change revokes every
 * credential of the user (published on the bus) and is audited as a permission change.
 * Undefined for an unknown user.
 */
export async function updateUser(
  tessera: Tessera,
  id: number,
  changes: UserUpdate,
  actor: Actor = {},
): Promise<{ user: UserRecord; revoked: number } | undefined> {
  const { stores, audit, now: clock } = internals(tessera)
  const nameRefusal = changes.name === undefined ? undefined : displayNameProblem(changes.name)
  if (nameRefusal !== undefined) refuse('/body/name', nameRefusal)
  const now = clock()
  const before = await stores.users.findById(id)
  if (before === undefined) return undefined
  const after = await stores.users.update(id, changes, now)
  if (after === undefined) return undefined
  const privilegeChanged = after.role !== before.role || after.disabled !== before.disabled
  const revoked = privilegeChanged ? await stores.credentials.revokeAllForUser(id, now) : 0
  await audit.record(privilegeChanged ? 'privilege_permissions_changed' : 'user_updated', {
    userId: id,
    ip: actor.ip ?? null,
    detail: {
      ...(actor.by !== undefined && { by: actor.by }),
      ...(actor.via !== undefined && { via: actor.via }),
      role: after.role,
      disabled: after.disabled,
      revoked,
    },
  })
  if (after.disabled && !before.disabled) notifyOwner(tessera, after, 'disabled')
  else if (after.role !== before.role) notifyOwner(tessera, after, 'role_changed', after.role)
  return { user: after, revoked }
}

/**
 * Sets a new password (policy-checked) and revokes every credential of the user but `keep`
 * (the one the user is changing it with); audited. Answers the number revoked.
 */
export async function setPassword(
  tessera: Tessera,
  user: UserRecord,
  newPassword: string,
  options: Actor & { keep?: string; path?: string } = {},
): Promise<number> {
  const { stores, hasher, audit, now: clock } = internals(tessera)
  const accepted = acceptablePassword(newPassword, options.path ?? '/body/newPassword', user)
  const passwordHash = await hasher.hash(accepted)
  const now = clock()
  const { keep } = options
  await stores.users.update(
    user.id,
    { passwordHash, ...(keep !== undefined && { keepCredentialId: keep }) },
    now,
  )
  const revoked = await stores.credentials.revokeAllForUser(user.id, now, keep)
  await audit.record('authn_password_change', {
    userId: user.id,
    credentialId: keep ?? null,
    ip: options.ip ?? null,
    detail: { ...(options.via !== undefined && { via: options.via }), revoked },
  })
  notifyOwner(tessera, user, 'password_changed')
  return revoked
}
