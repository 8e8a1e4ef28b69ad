import { CRITICAL_RECENT_AUTH_SECONDS } from '../step-up.ts'
import { type Endpoint, objectSchema, STRING } from './endpoint.ts'
import { requireIpBudget } from './guards.ts'

export const changePassword: Endpoint = {
  method: 'POST',
  path: '/auth/password',
  access: 'authenticated',
  // Critical (issue 14): a recent proof of the user, besides the current password (ASVS 5.0 V6.2.3).
  recentAuth: CRITICAL_RECENT_AUTH_SECONDS,
  summary:
    'Change your password (needs a recent re-authentication and the current password, if the account has one); every other session and key is revoked',
  body: objectSchema({ currentPassword: STRING(1, 1024), newPassword: STRING(1, 1024) }, ['newPassword']),
  errors: [
    'unauthenticated',
    'reauth_required',
    'validation_failed',
    'csrf_failed',
    'rate_limited',
    'service_unavailable',
  ],
  async handle(ctx) {
    const { tessera, principal, body, request } = ctx
    await requireIpBudget(ctx, 'password')
    await tessera.changePassword(
      principal,
      body as { currentPassword?: string; newPassword: string },
      request,
    )
    return { status: 204 }
  },
}
