import { emailKey, emailProblem } from '../email.ts'
import { ProblemError } from '../errors.ts'
import { internals } from '../internals.ts'
import type { UserRecord } from '../stores.ts'
import type { Tessera } from '../tessera.ts'
import { mailTo } from './account-mail.ts'
import { TOKEN_LIFETIMES } from './account-tokens.ts'

/**
 * Starts an email change (the caller has proven the current password): mails a confirmation link
 * to the new address. The answer is the same whether or not another account holds that address;
 * the confirmation then fails with `email_taken`, seen only by whoever reads that inbox.
 */
export async function requestEmailChange(
  tessera: Tessera,
  user: UserRecord,
  newEmail: string,
  ip: string,
  now: number,
): Promise<void> {
  const refusal = emailProblem(newEmail)
  if (refusal !== undefined)
    throw new ProblemError('validation_failed', { errors: [{ path: '/body/newEmail', message: refusal }] })
  const email = newEmail.trim()
  if (emailKey(email) === user.emailKey)
    throw new ProblemError('validation_failed', {
      errors: [{ path: '/body/newEmail', message: 'is your current address' }],
    })
  if (!(await internals(tessera).mail.admit('email_change', emailKey(email), ip, now))) return
  const { token } = await internals(tessera).tokens.issue(
    'email_change',
    { userId: user.id, email, payload: { from: user.email } },
    now,
  )
  mailTo(
    tessera,
    'email_change',
    { id: user.id, name: user.name, email },
    {
      link: `/#email-confirm/${token}`,
      expiresInMs: TOKEN_LIFETIMES.email_change,
    },
  )
}

/** Confirms the new address from its link; the old address gets a notice with a 72-hour undo link. */
export async function confirmEmailChange(
  tessera: Tessera,
  token: string,
  ip: string,
  now: number,
): Promise<UserRecord> {
  const record = await internals(tessera).tokens.consume(token, 'email_change', now, ip)
  if (record.userId === null) throw new ProblemError('token_invalid')
  const before = await internals(tessera).stores.users.findById(record.userId)
  if (before === undefined) throw new ProblemError('token_invalid')
  const after = await internals(tessera).stores.users.changeEmail(
    before.id,
    record.email,
    emailKey(record.email),
    now,
  )
  if (after === 'email_taken') throw new ProblemError('email_taken')
  if (after === undefined) throw new ProblemError('token_invalid')
  await internals(tessera).audit.record('user_updated', {
    userId: before.id,
    ip,
    detail: { emailChanged: true },
  })
  const undo = await internals(tessera).tokens.issue(
    'email_undo',
    { userId: before.id, email: before.email, payload: { to: after.email } },
    now,
  )
  mailTo(tessera, 'email_changed', before, {
    link: `/#email-undo/${undo.token}`,
    note: after.email,
    expiresInMs: TOKEN_LIFETIMES.email_undo,
  })
  return after
}

/**
 * Undoes a change from the old address's notice: the old address comes back and every session and
 * key of the account is revoked (whoever changed it is signed out); the owner should then reset the password.
 */
export async function undoEmailChange(
  tessera: Tessera,
  token: string,
  ip: string,
  now: number,
): Promise<UserRecord> {
  const record = await internals(tessera).tokens.consume(token, 'email_undo', now, ip)
  if (record.userId === null) throw new ProblemError('token_invalid')
  const restored = await internals(tessera).stores.users.changeEmail(
    record.userId,
    record.email,
    emailKey(record.email),
    now,
  )
  if (restored === 'email_taken') throw new ProblemError('email_taken')
  if (restored === undefined) throw new ProblemError('token_invalid')
  const revoked = await internals(tessera).stores.credentials.revokeAllForUser(restored.id, now)
  await internals(tessera).audit.record('user_updated', {
    userId: restored.id,
    ip,
    detail: { emailChangeUndone: true, revoked },
  })
  return restored
}
