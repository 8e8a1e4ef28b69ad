import { throttledCheck } from '../endpoints/throttled-check.ts'
import { ProblemError } from '../errors.ts'
import { internals } from '../internals.ts'
import { normalizePassword } from '../password-policy.ts'
import type { Tessera } from '../tessera.ts'
import type { Principal } from '../types.ts'
import { setPassword } from './account-verbs.ts'

/**
 * The holder's own password change: the current password is checked under the throttle
 * (reserved before hashing, like a login), then the new one is set and every other
 * credential revoked. Answers how many were revoked.
 */
export async function changeOwnPassword(
  tessera: Tessera,
  principal: Principal,
  passwords: { currentPassword: string; newPassword: string },
  request: { ip: string },
): Promise<number> {
  const { stores, hasher, audit, now } = internals(tessera)
  const user = await stores.users.findById(principal.user.id)
  if (user === undefined) throw new ProblemError('unauthenticated')
  const ctx = { tessera, request, now: now() }
  const { ok } = await throttledCheck(ctx, 'password', user.emailKey, (lane) =>
    hasher.verify(user.passwordHash, normalizePassword(passwords.currentPassword), lane),
  )
  if (!ok) {
    await audit.record('authn_password_change_fail', { userId: user.id, ip: request.ip })
    throw new ProblemError('validation_failed', {
      errors: [{ path: '/body/currentPassword', message: 'is not your current password' }],
    })
  }
  return setPassword(tessera, user, passwords.newPassword, { keep: principal.credential.id, ip: request.ip })
}
