import { publicUser } from '../credentials.ts'
import { ProblemError } from '../errors.ts'
import { internals } from '../internals.ts'
import { CRITICAL_RECENT_AUTH_SECONDS } from '../step-up.ts'
import { type Endpoint, objectSchema } from './endpoint.ts'

/**
 * An admin removes a user's second factor (lost phone and codes): audited as `mfa_reset`,
 * and the user is told through the `onSecondFactorReset` hook (the mail sender plugs in there).
 */
export const resetSecondFactor: Endpoint = {
  method: 'DELETE',
  path: '/auth/admin/users/:id/mfa',
  access: 'admin',
  recentAuth: CRITICAL_RECENT_AUTH_SECONDS,
  summary: "Reset a user's second factor (audited; the user is notified)",
  params: objectSchema({ id: { type: 'string', pattern: '^[1-9][0-9]{0,9}$' } }, ['id']),
  errors: ['unauthenticated', 'forbidden', 'reauth_required', 'not_found', 'mfa_not_enabled', 'csrf_failed'],
  async handle({ tessera, principal, params, request }) {
    const user = await internals(tessera).stores.users.findById(Number(params.id))
    if (user === undefined) throw new ProblemError('not_found')
    if (!(await internals(tessera).stores.mfa.deleteTotp(user.id))) throw new ProblemError('mfa_not_enabled')
    await internals(tessera).audit.record('mfa_reset', {
      userId: user.id,
      credentialId: principal.credential.id,
      ip: request.ip,
      detail: { by: principal.user.id },
    })
    try {
      await internals(tessera).config.onSecondFactorReset?.({ user: publicUser(user), by: principal.user })
    } catch (error) {
      // The reset stands; a failed notice is logged, not turned into a failed reset.
      internals(tessera).logger?.warn({ err: error, userId: user.id }, 'second-factor reset notice failed')
    }
    return { status: 204 }
  },
}
