import { emailKey } from '../email.ts'
import { ProblemError } from '../errors.ts'
import { internals } from '../internals.ts'
import type { UserRecord } from '../stores.ts'
import type { Tessera } from '../tessera.ts'
import { mailTo } from './account-mail.ts'
import { TOKEN_LIFETIMES } from './account-tokens.ts'

/** Mails a verification link for the account's current address (24 h). */
export async function mailVerification(tessera: Tessera, user: UserRecord, now: number): Promise<void> {
  const { token } = await internals(tessera).tokens.issue(
    'verify',
    { userId: user.id, email: user.email },
    now,
  )
  mailTo(tessera, 'verify', user, { link: `/#verify/${token}`, expiresInMs: TOKEN_LIFETIMES.verify })
}

/** "Send the link again": the same answer whoever asks; only an unverified account gets a mail. */
export async function resendVerification(
  tessera: Tessera,
  email: string,
  ip: string,
  now: number,
): Promise<void> {
  const key = emailKey(email)
  if (!(await internals(tessera).mail.admit('verify', key, ip, now))) return
  internals(tessera).mail.later('verification mail', async () => {
    const user = await internals(tessera).stores.users.findByEmailKey(key)
    if (user === undefined || user.disabled || user.emailVerifiedAt !== null) return
    await mailVerification(tessera, user, now)
  })
}

/** Marks the address verified; the token must be for the address the account still has. */
export async function verifyEmail(tessera: Tessera, token: string, ip: string, now: number): Promise<void> {
  const record = await internals(tessera).tokens.consume(token, 'verify', now, ip)
  const user =
    record.userId === null ? undefined : await internals(tessera).stores.users.findById(record.userId)
  if (user === undefined || emailKey(user.email) !== emailKey(record.email))
    throw new ProblemError('token_invalid')
  await internals(tessera).stores.users.markEmailVerified(user.id, now)
  await internals(tessera).audit.record('user_updated', {
    userId: user.id,
    ip,
    detail: { emailVerified: true },
  })
}

/** Whether the setting lets this account log in: only `required` refuses an unverified address. */
export function mayLogIn(tessera: Tessera, user: UserRecord): boolean {
  return internals(tessera).config.emailVerification !== 'required' || user.emailVerifiedAt !== null
}
