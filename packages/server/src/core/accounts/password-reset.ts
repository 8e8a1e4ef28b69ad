import { emailKey } from '../email.ts'
import { ProblemError } from '../errors.ts'
import { internals } from '../internals.ts'
import { checkPassword } from '../password-policy.ts'
import { sha256Hex } from '../secrets.ts'
import type { UserRecord } from '../stores.ts'
import type { Tessera } from '../tessera.ts'
import { mailTo } from './account-mail.ts'
import { TOKEN_LIFETIMES } from './account-tokens.ts'
import { notifyOwner } from './notifications.ts'

/**
 * Forgot password. The request path does the same work whoever asks (count the send limits);
 * looking the account up, issuing the token and mailing it happen after the answer, so the
 * answer is the same in status, body and time for a known and an unknown address.
 */
export async function requestPasswordReset(
  tessera: Tessera,
  email: string,
  ip: string,
  now: number,
): Promise<void> {
  const key = emailKey(email)
  if (!(await internals(tessera).mail.admit('reset', key, ip, now))) return
  internals(tessera).mail.later('password reset', async () => {
    const user = await internals(tessera).stores.users.findByEmailKey(key)
    if (user === undefined || user.disabled) return
    await mailResetLink(tessera, user, 'reset', now)
  })
}

/** Issues a reset token (link + code) and mails it: the forgot-password mail, or the "someone tried to register" one. */
export async function mailResetLink(
  tessera: Tessera,
  user: UserRecord,
  kind: 'reset' | 'register_existing',
  now: number,
): Promise<void> {
  const { token, code } = await internals(tessera).tokens.issue(
    'reset',
    { userId: user.id, email: user.email, withCode: true },
    now,
  )
  mailTo(tessera, kind, user, {
    link: `/#reset/${token}`,
    ...(code !== undefined && { code }),
    expiresInMs: TOKEN_LIFETIMES.reset,
  })
}

export type ResetProof = { token: string } | { code: string; email: string }

/**
 * Sets a new password from a reset link or code: the password is judged before the token is
 * spent (a refused password keeps the link usable), then the token is consumed atomically,
 * the password set, every session and key of the account revoked, and the owner notified.
 */
export async function resetPassword(
  tessera: Tessera,
  proof: ResetProof,
  newPassword: string,
  ip: string,
  now: number,
): Promise<UserRecord> {
  const user = await resetTarget(tessera, proof, now, ip)
  const check = checkPassword(newPassword, {
    email: user?.email ?? ('email' in proof ? proof.email : ''),
    name: user?.name ?? '',
  })
  if (!check.ok)
    throw new ProblemError('validation_failed', {
      errors: [{ path: '/body/newPassword', message: check.reason }],
    })
  if (user === undefined) throw new ProblemError('token_invalid')
  const consumed =
    'token' in proof
      ? await internals(tessera).tokens.consume(proof.token, 'reset', now, ip)
      : await internals(tessera).tokens.consumeCode(user.id, 'reset', proof.code, now, ip)
  if (consumed.userId !== user.id) throw new ProblemError('token_invalid')
  const passwordHash = await internals(tessera).hasher.hash(check.password)
  const updated = await internals(tessera).stores.users.update(user.id, { passwordHash }, now)
  if (updated === undefined) throw new ProblemError('token_invalid')
  const revoked = await internals(tessera).stores.credentials.revokeAllForUser(user.id, now)
  // The mail reached its owner: the address is proven too.
  await internals(tessera).stores.users.markEmailVerified(user.id, now)
  await internals(tessera).audit.record('authn_password_change', {
    userId: user.id,
    ip,
    detail: { via: 'reset', revoked },
  })
  notifyOwner(tessera, updated, 'password_changed')
  return updated
}

/**
 * The account a proof is for, read without spending it. A token that cannot be consumed goes to
 * `consume` at once, which audits it and throws why (`token_invalid`, `token_expired`, `token_used`).
 */
async function resetTarget(
  tessera: Tessera,
  proof: ResetProof,
  now: number,
  ip: string,
): Promise<UserRecord | undefined> {
  if ('email' in proof) {
    const user = await internals(tessera).stores.users.findByEmailKey(emailKey(proof.email))
    return user?.disabled ? undefined : user
  }
  const found = await internals(tessera).stores.accountTokens.findByTokenHash(sha256Hex(proof.token))
  if (found?.purpose !== 'reset' || found.userId === null || found.endedAt !== null || found.expiresAt <= now)
    await internals(tessera).tokens.consume(proof.token, 'reset', now, ip)
  const user = found?.userId ? await internals(tessera).stores.users.findById(found.userId) : undefined
  return user?.disabled ? undefined : user
}
