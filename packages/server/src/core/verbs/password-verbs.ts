import { requireCurrentPassword } from '../accounts/current-password.ts'
import { ProblemError } from '../errors.ts'
import { internals } from '../internals.ts'
import type { Tessera } from '../tessera.ts'
import type { Principal } from '../types.ts'
import { setPassword } from './account-verbs.ts'

/**
 * The holder's own password change: the current password is checked under the throttle
 * (reserved before hashing, like a login), then the new one is set and every other
 * credential revoked. A passkey-only account has no current password and sets its first one
 * without (the endpoint's step-up stands for it). Answers how many were revoked.
 */
export async function changeOwnPassword(
  tessera: Tessera,
  principal: Principal,
  passwords: { currentPassword?: string; newPassword: string },
  request: { ip: string },
): Promise<number> {
  const { stores, now } = internals(tessera)
  const user = await stores.users.findById(principal.user.id)
  if (user === undefined) throw new ProblemError('unauthenticated')
  const ctx = { tessera, request, now: now() }
  await requireCurrentPassword(ctx, user, passwords.currentPassword, 'password_change')
  return setPassword(tessera, user, passwords.newPassword, { keep: principal.credential.id, ip: request.ip })
}
