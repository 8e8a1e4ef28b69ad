import { publicUser } from '../credentials.ts'
import { ProblemError } from '../errors.ts'
import { internals } from '../internals.ts'
import { cookieValues, singleHeader } from '../request-headers.ts'
import { sha256Hex } from '../secrets.ts'
import { type Endpoint, type EndpointContext, objectSchema, STRING } from './endpoint.ts'
import { requireIpBudget, requireOrigin } from './guards.ts'

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
  errors: ['validation_failed', 'invalid_credentials', 'csrf_failed', 'rate_limited', 'service_unavailable'],
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
    const label =
      body.label ??
      singleHeader(ctx.request.headers, 'user-agent')?.slice(0, 100) ??
      (wantsKey ? 'key' : 'browser')
    const result = await ctx.tessera.login({ ...body, label, ip: ctx.request.ip })
    const user = publicUser(result.user)
    if ('key' in result) return { status: 200, body: { user, key: result.key } }
    await revokePresentedSession(ctx, result.session.credentialId)
    const { csrfToken, expiresAt, cookie } = result.session
    return { status: 200, body: { user, csrfToken, expiresAt }, cookies: [cookie] }
  },
}

/** A login over an existing session ends that session: the new one gets a new token (no fixation). */
async function revokePresentedSession(ctx: EndpointContext, newSessionId: string): Promise<void> {
  const { config, stores } = internals(ctx.tessera)
  for (const token of cookieValues(ctx.request.headers, config.cookieName)) {
    const found = await stores.credentials.findByTokenHash(sha256Hex(token))
    if (found !== undefined && found.credential.id !== newSessionId)
      await ctx.tessera.revoke(found.credential.id, { reason: 'logout', ip: ctx.request.ip })
  }
}
