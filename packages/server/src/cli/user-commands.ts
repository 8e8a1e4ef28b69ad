import { randomBytes } from 'node:crypto'
import { notifyOwner } from '../core/accounts/notifications.ts'
import { publicUser } from '../core/credentials.ts'
import { displayNameProblem } from '../core/display-name.ts'
import { emailKey, emailProblem } from '../core/email.ts'
import { checkPassword } from '../core/password-policy.ts'
import type { UserRecord } from '../core/stores.ts'
import { ROLES, type Role } from '../core/types.ts'
import type { CliContext } from './cli-context.ts'
import { CliError } from './cli-error.ts'

/** A generated password: 20 random bytes as base64url (160 bits), printed once. */
export function generatePassword(): string {
  return randomBytes(20).toString('base64url')
}

export async function findUser(ctx: CliContext, email: string): Promise<UserRecord> {
  const user = await ctx.tessera.stores.users.findByEmailKey(emailKey(email))
  if (user === undefined) throw new CliError(`no user with email ${email}`)
  return user
}

export function parseRole(value: string | undefined): Role {
  if (!ROLES.includes(value as Role)) throw new CliError(`role must be one of: ${ROLES.join(', ')}`)
  return value as Role
}

async function acceptablePassword(password: string, email: string, name: string): Promise<string> {
  const check = checkPassword(password, { email, name })
  if (!check.ok) throw new CliError(`password refused: ${check.reason}`)
  return check.password
}

export async function addUser(ctx: CliContext, email: string, name: string, role: Role, password?: string) {
  const { tessera } = ctx
  const refusal = emailProblem(email) ?? displayNameProblem(name)
  if (refusal !== undefined) throw new CliError(`${email} / ${name}: ${refusal}`)
  const chosen = password ?? generatePassword()
  const hash = await tessera.hasher.hash(await acceptablePassword(chosen, email, name))
  const created = await tessera.stores.users.create(
    // An administrator vouches for the address: it counts as verified.
    { email, emailKey: emailKey(email), name, role, passwordHash: hash, emailVerifiedAt: tessera.now() },
    tessera.now(),
  )
  if (created === 'email_taken') throw new CliError(`a user with email ${email} exists already`)
  await tessera.audit.record('user_created', { userId: created.id, detail: { via: 'cli', role } })
  ctx.out(`created ${JSON.stringify(publicUser(created))}`)
  if (password === undefined) ctx.out(`password (shown once): ${chosen}`)
  return created
}

export async function setRole(ctx: CliContext, email: string, role: Role) {
  await changeUser(ctx, email, { role })
}

export async function setDisabled(ctx: CliContext, email: string, disabled: boolean) {
  await changeUser(ctx, email, { disabled })
}

async function changeUser(ctx: CliContext, email: string, changes: { role?: Role; disabled?: boolean }) {
  const { tessera } = ctx
  const user = await findUser(ctx, email)
  const now = tessera.now()
  await tessera.stores.users.update(user.id, changes, now)
  const revoked = await tessera.stores.credentials.revokeAllForUser(user.id, now)
  await tessera.audit.record('privilege_permissions_changed', {
    userId: user.id,
    detail: { via: 'cli', ...changes, revoked },
  })
  // The owner hears of it (the mail leaves before the CLI exits: closing drains the outbox).
  if (changes.disabled === true && !user.disabled) notifyOwner(tessera, user, 'disabled')
  else if (changes.role !== undefined && changes.role !== user.role)
    notifyOwner(tessera, user, 'role_changed', changes.role)
  ctx.out(`updated ${email}: ${JSON.stringify(changes)}; ${revoked} credential(s) revoked`)
}

export async function resetPassword(ctx: CliContext, email: string, password?: string) {
  const { tessera } = ctx
  const user = await findUser(ctx, email)
  const chosen = password ?? generatePassword()
  const hash = await tessera.hasher.hash(await acceptablePassword(chosen, user.email, user.name))
  const now = tessera.now()
  await tessera.stores.users.update(user.id, { passwordHash: hash }, now)
  const revoked = await tessera.stores.credentials.revokeAllForUser(user.id, now)
  await tessera.audit.record('authn_password_change', { userId: user.id, detail: { via: 'cli', revoked } })
  notifyOwner(tessera, user, 'password_changed')
  ctx.out(`password of ${email} reset; ${revoked} credential(s) revoked`)
  if (password === undefined) ctx.out(`password (shown once): ${chosen}`)
}

export async function listUsers(ctx: CliContext) {
  const users = await ctx.tessera.stores.users.list({ limit: 1000, offset: 0 })
  for (const u of users)
    ctx.out(`${u.id}\t${u.role}\t${u.disabled ? 'disabled' : 'active'}\t${u.email}\t${u.name}`)
}

export async function revokeAll(ctx: CliContext, email: string) {
  const user = await findUser(ctx, email)
  const revoked = await ctx.tessera.stores.credentials.revokeAllForUser(user.id, ctx.tessera.now())
  await ctx.tessera.audit.record('authn_token_revoked', { userId: user.id, detail: { via: 'cli', revoked } })
  ctx.out(`${revoked} credential(s) of ${email} revoked`)
}
