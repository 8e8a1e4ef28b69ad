import { publicUser } from '../credentials.ts'
import { ProblemError } from '../errors.ts'
import { internals } from '../internals.ts'
import { type Endpoint, objectSchema, STRING } from './endpoint.ts'
import { requireIpBudget, requireOrigin } from './guards.ts'

export const register: Endpoint = {
  method: 'POST',
  path: '/auth/register',
  access: 'public',
  summary: 'Create an account (when open registration is on)',
  body: objectSchema({ email: STRING(3, 320), password: STRING(1, 1024), name: STRING(1, 200) }, [
    'email',
    'password',
    'name',
  ]),
  errors: ['validation_failed', 'registration_closed', 'email_taken', 'csrf_failed', 'rate_limited'],
  async handle(ctx) {
    const { tessera } = ctx
    if (!internals(tessera).config.openRegistration) throw new ProblemError('registration_closed')
    await requireOrigin(ctx, true)
    await requireIpBudget(ctx, 'register')
    const { email, password, name } = ctx.body as { email: string; password: string; name: string }
    const created = await tessera.register({ email, password, name }, { ip: ctx.request.ip })
    return { status: 201, body: { user: publicUser(created) } }
  },
}
