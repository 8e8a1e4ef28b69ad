import { displayNameProblem } from '../display-name.ts'
import { emailKey, emailProblem } from '../email.ts'
import { type FieldError, ProblemError } from '../errors.ts'
import { internals } from '../internals.ts'
import { checkPassword } from '../password-policy.ts'
import { sha256Hex } from '../secrets.ts'
import type { AccountTokenRecord, UserRecord } from '../stores.ts'
import type { Tessera } from '../tessera.ts'
import type { Role } from '../types.ts'
import { mailTo } from './account-mail.ts'
import { TOKEN_LIFETIMES } from './account-tokens.ts'

export interface InvitationInput {
  email: string
  name: string
  role: Role
  /** The admin who invites (audited); null from the CLI. */
  by: number | null
}

export type InvitationStatus = 'pending' | 'accepted' | 'revoked' | 'expired'

export interface Invitation {
  id: string
  email: string
  name: string
  role: Role
  status: InvitationStatus
  createdAt: string
  expiresAt: string
}

/** Invites `email`: refuses an address that has an account (admins may know), issues a 7-day token, mails the link. */
export async function inviteUser(
  tessera: Tessera,
  input: InvitationInput,
  ip: string | null,
  now: number,
): Promise<Invitation> {
  const name = input.name.normalize('NFKC').trim()
  const errors: FieldError[] = []
  const emailRefusal = emailProblem(input.email)
  if (emailRefusal !== undefined) errors.push({ path: '/body/email', message: emailRefusal })
  const nameRefusal = name === '' ? 'must not be blank' : displayNameProblem(name)
  if (nameRefusal !== undefined) errors.push({ path: '/body/name', message: nameRefusal })
  if (errors.length > 0) throw new ProblemError('validation_failed', { errors })
  const email = input.email.trim()
  if ((await internals(tessera).stores.users.findByEmailKey(emailKey(email))) !== undefined)
    throw new ProblemError('email_taken')
  const { record, token } = await internals(tessera).tokens.issue(
    'invite',
    { userId: null, email: emailKey(email), payload: { email, name, role: input.role }, createdBy: input.by },
    now,
  )
  await internals(tessera).audit.record('authz_admin', {
    userId: input.by,
    ip,
    detail: { action: 'invite', tokenId: record.id, role: input.role },
  })
  mailTo(
    tessera,
    'invite',
    { id: null, name, email },
    { link: `/#invitation/${token}`, expiresInMs: TOKEN_LIFETIMES.invite },
  )
  return toInvitation(record, now)
}

export async function listInvitations(tessera: Tessera, now: number, limit = 100): Promise<Invitation[]> {
  const records = await internals(tessera).stores.accountTokens.list('invite', { limit })
  return records.filter((r) => r.endReason !== 'superseded').map((r) => toInvitation(r, now))
}

export async function revokeInvitation(tessera: Tessera, id: string, by: number, now: number): Promise<void> {
  if (!(await internals(tessera).tokens.revoke(id, 'invite', now, by))) throw new ProblemError('not_found')
}

/** Accepts an invitation: spends the token atomically, creates the account (its address proven by the link). */
export async function acceptInvitation(
  tessera: Tessera,
  token: string,
  password: string,
  ip: string,
  now: number,
): Promise<UserRecord> {
  const invitation = await peekInvitation(tessera, token, now, ip)
  const check = checkPassword(password, { email: invitation.email, name: invitation.name })
  if (!check.ok)
    throw new ProblemError('validation_failed', {
      errors: [{ path: '/body/password', message: check.reason }],
    })
  const passwordHash = await internals(tessera).hasher.hash(check.password)
  await internals(tessera).tokens.consume(token, 'invite', now, ip)
  const created = await internals(tessera).stores.users.create(
    {
      email: invitation.email,
      emailKey: emailKey(invitation.email),
      name: invitation.name,
      role: invitation.role,
      passwordHash,
      emailVerifiedAt: now,
    },
    now,
  )
  if (created === 'email_taken') throw new ProblemError('email_taken')
  await internals(tessera).audit.record('user_created', {
    userId: created.id,
    ip,
    detail: { via: 'invitation', role: created.role },
  })
  return created
}

/** The invitation behind a live token (for the accept page), or the problem that says why not. */
export async function peekInvitation(tessera: Tessera, token: string, now: number, ip: string) {
  const found = await internals(tessera).stores.accountTokens.findByTokenHash(sha256Hex(token))
  if (found?.purpose !== 'invite' || found.endedAt !== null || found.expiresAt <= now) {
    await internals(tessera).tokens.consume(token, 'invite', now, ip)
    throw new ProblemError('token_invalid')
  }
  const payload = JSON.parse(found.payload) as { email: string; name: string; role: Role }
  return { email: payload.email, name: payload.name, role: payload.role, expiresAt: found.expiresAt }
}

function toInvitation(record: AccountTokenRecord, now: number): Invitation {
  const payload = JSON.parse(record.payload) as { email: string; name: string; role: Role }
  const status: InvitationStatus =
    record.endReason === 'used'
      ? 'accepted'
      : record.endedAt !== null
        ? 'revoked'
        : record.expiresAt <= now
          ? 'expired'
          : 'pending'
  return {
    id: record.id,
    email: payload.email,
    name: payload.name,
    role: payload.role,
    status,
    createdAt: new Date(record.createdAt).toISOString(),
    expiresAt: new Date(record.expiresAt).toISOString(),
  }
}
