import { publicUser } from '../credentials.ts'
import { displayNameProblem } from '../display-name.ts'
import { emailKey, emailProblem } from '../email.ts'
import { ProblemError } from '../errors.ts'
import { requirePasswordAllowed } from '../oidc/require-password-allowed.ts'
import { checkPassword } from '../password-policy.ts'
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
  errors: [
    'validation_failed',
    'registration_closed',
    'email_taken',
    'csrf_failed',
    'rate_limited',
    'sso_required',
  ],
  async handle(ctx) {
    const { tessera } = ctx
    if (!tessera.config.openRegistration) throw new ProblemError('registration_closed')
    await requireOrigin(ctx, true)
    await requireIpBudget(ctx, 'register')
    const { email, password, name } = ctx.body as { email: string; password: string; name: string }
    await requirePasswordAllowed(tessera, email, ctx.request.ip)
    const emailRefusal = emailProblem(email)
    if (emailRefusal !== undefined) {
      throw new ProblemError('validation_failed', {
        errors: [{ path: '/body/email', message: emailRefusal }],
      })
    }
    const check = checkPassword(password, { email, name })
    if (!check.ok)
      throw new ProblemError('validation_failed', {
        errors: [{ path: '/body/password', message: check.reason }],
      })
    const trimmedName = name.normalize('NFKC').trim()
    const nameRefusal = trimmedName === '' ? 'must not be blank' : displayNameProblem(trimmedName)
    if (nameRefusal !== undefined) {
      throw new ProblemError('validation_failed', { errors: [{ path: '/body/name', message: nameRefusal }] })
    }
    const passwordHash = await tessera.hasher.hash(check.password)
    const created = await tessera.stores.users.create(
      { email: email.trim(), emailKey: emailKey(email), name: trimmedName, role: 'user', passwordHash },
      ctx.now,
    )
    // Registration has to say that the address is taken; the per-IP budget bounds how fast anyone can ask.
    if (created === 'email_taken') throw new ProblemError('email_taken')
    await tessera.audit.record('user_created', {
      userId: created.id,
      ip: ctx.request.ip,
      detail: { via: 'register' },
    })
    return { status: 201, body: { user: publicUser(created) } }
  },
}
