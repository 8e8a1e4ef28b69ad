import { randomBytes } from 'node:crypto'
import { publicUser } from '../core/credentials.ts'
import { displayNameProblem } from '../core/display-name.ts'
import { emailProblem } from '../core/email.ts'
import { ProblemError } from '../core/errors.ts'
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
  const user = await ctx.tessera.findUser(email)
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
  const refusal = emailProblem(email) ?? displayNameProblem(name)
  if (refusal !== undefined) throw new CliError(`${email} / ${name}: ${refusal}`)
  const chosen = password ?? generatePassword()
  await acceptablePassword(chosen, email, name)
  const created = await ctx.tessera
    .register({ email, name, role, password: chosen, emailVerified: true }, { via: 'cli' })
    .catch((error: unknown) => {
      if (error instanceof ProblemError && error.code === 'email_taken')
        throw new CliError(`a user with email ${email} exists already`)
      throw error
    })
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
  const user = await findUser(ctx, email)
  const updated = await ctx.tessera.updateUser(user.id, changes, { via: 'cli' })
  const revoked = updated?.revoked ?? 0
  ctx.out(`updated ${email}: ${JSON.stringify(changes)}; ${revoked} credential(s) revoked`)
}

export async function resetPassword(ctx: CliContext, email: string, password?: string) {
  const user = await findUser(ctx, email)
  const chosen = password ?? generatePassword()
  await acceptablePassword(chosen, user.email, user.name)
  const revoked = await ctx.tessera.resetPassword(user, chosen, { via: 'cli' })
  ctx.out(`password of ${email} reset; ${revoked} credential(s) revoked`)
  if (password === undefined) ctx.out(`password (shown once): ${chosen}`)
}

export async function listUsers(ctx: CliContext) {
  const users = await ctx.tessera.listUsers({ limit: 1000, offset: 0 })
  for (const u of users)
    ctx.out(`${u.id}\t${u.role}\t${u.disabled ? 'disabled' : 'active'}\t${u.email}\t${u.name}`)
}

export async function revokeAll(ctx: CliContext, email: string) {
  const user = await findUser(ctx, email)
  const revoked = await ctx.tessera.revokeUser(user.id, { via: 'cli' })
  ctx.out(`${revoked} credential(s) of ${email} revoked`)
}
