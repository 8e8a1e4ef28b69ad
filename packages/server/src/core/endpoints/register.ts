import { mailTo } from '../accounts/account-mail.ts'
import { mailVerification } from '../accounts/email-verification.ts'
import { mailResetLink } from '../accounts/password-reset.ts'
import { emailKey } from '../email.ts'
import { ProblemError } from '../errors.ts'
import { internals } from '../internals.ts'
import { requirePasswordAllowed } from '../oidc/require-password-allowed.ts'
import { createAccount } from '../verbs/account-verbs.ts'
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
    if (!internals(tessera).config.openRegistration) throw new ProblemError('registration_closed')
    await requireOrigin(ctx, true)
    await requireIpBudget(ctx, 'register')
    const { email, password, name } = ctx.body as { email: string; password: string; name: string }
    await requirePasswordAllowed(tessera, email, ctx.request.ip)
    const { audit, mail } = internals(tessera)
    const created = await createAccount(tessera, { email, password, name }, { ip: ctx.request.ip })
    const key = emailKey(email)
    const admitted = await mail.admit('register', key, ctx.request.ip, ctx.now)
    // The same answer for a taken address (no enumeration): the mail tells its owner instead.
    if (created === 'email_taken') {
      // Audited like a creation (one write either way), so the two answers take the same time too.
      await audit.record('input_validation_fail', {
        ip: ctx.request.ip,
        detail: { via: 'register', reason: 'email_taken' },
      })
      if (admitted) mail.later('register existing', () => mailExistingOwner(ctx.tessera, key, ctx.now))
      return { status: 202, body: REGISTER_ANSWER }
    }
    if (admitted)
      mail.later('register', async () => {
        if (created.emailVerifiedAt === null) await mailVerification(tessera, created, ctx.now)
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
  const owner = await internals(tessera).stores.users.findByEmailKey(key)
  if (owner !== undefined && !owner.disabled) await mailResetLink(tessera, owner, 'register_existing', now)
}
