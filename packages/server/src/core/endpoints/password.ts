import { type Endpoint, objectSchema, STRING } from './endpoint.ts'
import { requireIpBudget } from './guards.ts'

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
    const { tessera, principal, body, request } = ctx
    await requireIpBudget(ctx, 'password')
    await tessera.changePassword(principal, body as { currentPassword: string; newPassword: string }, request)
    return { status: 204 }
  },
}
