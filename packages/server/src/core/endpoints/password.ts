import { notifyOwner } from '../accounts/notifications.ts'
import { ProblemError } from '../errors.ts'
import { checkPassword, normalizePassword } from '../password-policy.ts'
import { type Endpoint, objectSchema, STRING } from './endpoint.ts'
import { requireIpBudget } from './guards.ts'
import { throttledCheck } from './throttled-check.ts'

export const changePassword: Endpoint = {
  method: 'POST',
  path: '/auth/password',
  access: 'authenticated',
  summary: 'Change your password; every other session and key is revoked',
  body: objectSchema({ currentPassword: STRING(1, 1024), newPassword: STRING(1, 1024) }, [
    'currentPassword',
    'newPassword',
  ]),
  errors: ['unauthenticated', 'validation_failed', 'csrf_failed', 'rate_limited', 'service_unavailable'],
  async handle(ctx) {
    const { tessera, principal, body, request, now } = ctx
    const { currentPassword, newPassword } = body as { currentPassword: string; newPassword: string }
    await requireIpBudget(ctx, 'password')
    const user = await tessera.stores.users.findById(principal.user.id)
    if (user === undefined) throw new ProblemError('unauthenticated')
    const { ok } = await throttledCheck(ctx, 'password', user.emailKey, (lane) =>
      tessera.hasher.verify(user.passwordHash, normalizePassword(currentPassword), lane),
    )
    if (!ok) {
      await tessera.audit.record('authn_password_change_fail', { userId: user.id, ip: request.ip })
      throw new ProblemError('validation_failed', {
        errors: [{ path: '/body/currentPassword', message: 'is not your current password' }],
      })
    }
    const check = checkPassword(newPassword, { email: user.email, name: user.name })
    if (!check.ok)
      throw new ProblemError('validation_failed', {
        errors: [{ path: '/body/newPassword', message: check.reason }],
      })
    await tessera.stores.users.update(
      user.id,
      { passwordHash: await tessera.hasher.hash(check.password), keepCredentialId: principal.credential.id },
      now,
    )
    const revoked = await tessera.stores.credentials.revokeAllForUser(user.id, now, principal.credential.id)
    await tessera.audit.record('authn_password_change', {
      userId: user.id,
      credentialId: principal.credential.id,
      ip: request.ip,
      detail: { revoked },
    })
    notifyOwner(tessera, user, 'password_changed')
    return { status: 204 }
  },
}
