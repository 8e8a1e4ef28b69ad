import { noticeDevice } from '../accounts/notifications.ts'
import { publicUser } from '../credentials.ts'
import { ProblemError } from '../errors.ts'
import { internals } from '../internals.ts'
import { cookieValues, singleHeader } from '../request-headers.ts'
import { sha256Hex } from '../secrets.ts'
import { checkLogin } from '../verbs/login-verb.ts'
import { type Endpoint, type EndpointContext, objectSchema, STRING } from './endpoint.ts'
import { requireIpBudget, requireOrigin } from './guards.ts'
import { requireSecondStep } from './login-second-step.ts'

interface LoginBody {
  email: string
  password: string
  credential?: 'session' | 'key'
  publicKey?: Record<string, unknown>
  label?: string
}

export const login: Endpoint = {
  method: 'POST',
  path: '/auth/login',
  access: 'public',
  summary: 'Log in for a session cookie, or (credential: "key") for a signing key',
  body: objectSchema(
    {
      email: STRING(1, 320),
      // Long enough for 256 code points of any script; anything longer is refused before hashing.
      password: STRING(1, 1024),
      credential: { type: 'string', enum: ['session', 'key'] },
      publicKey: { type: 'object', maxProperties: 16 },
      label: STRING(1, 100),
    },
    ['email', 'password'],
  ),
  errors: [
    'validation_failed',
    'invalid_credentials',
    'mfa_required',
    'email_unverified',
    'csrf_failed',
    'rate_limited',
    'service_unavailable',
    'sso_required',
  ],
  async handle(ctx) {
    const body = ctx.body as LoginBody
    const wantsKey = body.credential === 'key'
    if (!wantsKey && body.publicKey !== undefined) {
      throw new ProblemError('validation_failed', {
        errors: [{ path: '/body/publicKey', message: 'needs credential "key"' }],
      })
    }
    await requireOrigin(ctx, wantsKey)
    await requireIpBudget(ctx, 'login')
    const user = await checkLogin(ctx.tessera, { ...body, ip: ctx.request.ip })
    noticeDevice(ctx.tessera, user, ctx.request, ctx.now)
    const label =
      body.label ??
      singleHeader(ctx.request.headers, 'user-agent')?.slice(0, 100) ??
      (wantsKey ? 'key' : 'browser')
    await requireSecondStep(ctx, user, {
      credential: wantsKey ? 'key' : 'session',
      ...(body.publicKey !== undefined && { publicKey: body.publicKey }),
      label,
      epoch: user.credentialEpoch,
    })
    if (wantsKey) {
      const key = await ctx.tessera.issueKey(user, { label, publicKey: body.publicKey })
      return { status: 200, body: { user: publicUser(user), key } }
    }
    await revokePresentedSession(ctx)
    const issued = await ctx.tessera.issueSession(user, { label })
    const binding = internals(ctx.tessera).deviceBinding
    return {
      status: 200,
      body: { user: publicUser(user), csrfToken: issued.csrfToken, expiresAt: issued.expiresAt },
      cookies: [issued.cookie],
      ...(binding && {
        headers: await binding.offer(issued.credentialId, user, ctx.request.headers, ctx.now),
      }),
    }
  },
}

/** A login over an existing session ends that session: the new one gets a new token (no fixation). */
export async function revokePresentedSession(ctx: EndpointContext): Promise<void> {
  const { config, stores } = internals(ctx.tessera)
  for (const token of cookieValues(ctx.request.headers, config.cookieName)) {
    const found = await stores.credentials.findByTokenHash(sha256Hex(token))
    if (found !== undefined)
      await ctx.tessera.revoke(found.credential.id, { reason: 'logout', ip: ctx.request.ip })
  }
}
