import { mailTo } from '../accounts/account-mail.ts'
import { mailVerification } from '../accounts/email-verification.ts'
import { mailResetLink } from '../accounts/password-reset.ts'
import { displayNameProblem } from '../display-name.ts'
import { emailKey, emailProblem } from '../email.ts'
import { ProblemError } from '../errors.ts'
import { requirePasswordAllowed } from '../oidc/require-password-allowed.ts'
import { checkPassword } from '../password-policy.ts'
import { type Endpoint, type EndpointContext, objectSchema, STRING } from './endpoint.ts'
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
  errors: ['validation_failed', 'registration_closed', 'csrf_failed', 'rate_limited', 'sso_required'],
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
    const key = emailKey(email)
    const admitted = await tessera.mail.admit('register', key, ctx.request.ip, ctx.now)
    const verified = tessera.config.emailVerification === 'off' ? ctx.now : null
    const created = await tessera.stores.users.create(
      {
        email: email.trim(),
        emailKey: key,
        name: trimmedName,
        role: 'user',
        passwordHash,
        emailVerifiedAt: verified,
      },
      ctx.now,
    )
    // The same answer for a taken address (no enumeration): the mail tells its owner instead.
    if (created === 'email_taken') {
      // Audited like a creation (one write either way), so the two answers take the same time too.
      await tessera.audit.record('input_validation_fail', {
        ip: ctx.request.ip,
        detail: { via: 'register', reason: 'email_taken' },
      })
      if (admitted)
        tessera.mail.later('register existing', () => mailExistingOwner(ctx.tessera, key, ctx.now))
      return { status: 202, body: REGISTER_ANSWER }
    }
    await tessera.audit.record('user_created', {
      userId: created.id,
      ip: ctx.request.ip,
      detail: { via: 'register' },
    })
    if (admitted)
      tessera.mail.later('register', async () => {
        if (verified === null) await mailVerification(tessera, created, ctx.now)
        else mailTo(tessera, 'welcome', created)
      })
    return { status: 202, body: REGISTER_ANSWER }
  },
}

/** The one answer to a registration, whether the address was free or taken. */
export const REGISTER_ANSWER = Object.freeze({ status: 'accepted', message: 'Check your inbox.' })

async function mailExistingOwner(
  tessera: EndpointContext['tessera'],
  key: string,
  now: number,
): Promise<void> {
  const owner = await tessera.stores.users.findByEmailKey(key)
  if (owner !== undefined && !owner.disabled) await mailResetLink(tessera, owner, 'register_existing', now)
}
