import { type ThrottleContext, throttledCheck } from '../endpoints/throttled-check.ts'
import { ProblemError } from '../errors.ts'
import { internals } from '../internals.ts'
import { hasPassword } from '../password-hasher.ts'
import { normalizePassword } from '../password-policy.ts'
import type { UserRecord } from '../stores.ts'

/**
 * The current password before a password or email change (ASVS 5.0 V6.2.3), under the
 * password throttle. An account that has one must give it; a passkey-only account has none to
 * give, and relies on the endpoint's step-up (`recentAuth`) alone. A wrong one is audited and
 * answered `422`-style on `/body/currentPassword`.
 */
export async function requireCurrentPassword(
  ctx: ThrottleContext,
  user: UserRecord,
  currentPassword: string | undefined,
  purpose: 'password_change' | 'email_change',
): Promise<void> {
  if (currentPassword === undefined) {
    if (!hasPassword(user)) return
    throw new ProblemError('validation_failed', {
      errors: [{ path: '/body/currentPassword', message: 'is required' }],
    })
  }
  const { hasher, audit } = internals(ctx.tessera)
  const { ok } = await throttledCheck(ctx, 'password', user.emailKey, (lane) =>
    hasher.verify(user.passwordHash, normalizePassword(currentPassword), lane),
  )
  if (ok) return
  await audit.record('authn_password_change_fail', {
    userId: user.id,
    ip: ctx.request.ip,
    ...(purpose === 'email_change' && { detail: { for: 'email_change' } }),
  })
  throw new ProblemError('validation_failed', {
    errors: [{ path: '/body/currentPassword', message: 'is not your current password' }],
  })
}
