import { publicUser } from '../credentials.ts'
import { emailKey } from '../email.ts'
import { ProblemError } from '../errors.ts'
import { normalizePassword } from '../password-policy.ts'
import { cookieValues, singleHeader } from '../request-headers.ts'
import { sha256Hex } from '../secrets.ts'
import type { UserRecord } from '../stores.ts'
import { type Endpoint, type EndpointContext, objectSchema, STRING } from './endpoint.ts'
import { requireIpBudget, requireOrigin } from './guards.ts'
import { issueKey, issueSession } from './issue-credential.ts'
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
  errors: ['validation_failed', 'invalid_credentials', 'mfa_required', 'csrf_failed', 'rate_limited'],
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
    const user = await checkPassword(ctx, body)
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
      const key = await issueKey(ctx.tessera, user, label, body.publicKey, ctx.now)
      return { status: 200, body: { user: publicUser(user), key } }
    }
    await revokePresentedSession(ctx)
    const issued = await issueSession(ctx.tessera, user, label, ctx.now)
    return {
      status: 200,
      body: { user: publicUser(user), csrfToken: issued.csrfToken, expiresAt: issued.expiresAt },
      cookies: [issued.cookie],
    }
  },
}

/**
 * The one answer for unknown email, wrong password and disabled account: same status,
 * body and (through a dummy hash) timing (OWASP Authentication Cheat Sheet). Throttled
 * per account before the hash is even computed.
 */
async function checkPassword(ctx: EndpointContext, body: LoginBody): Promise<UserRecord> {
  const { tessera, now, request } = ctx
  const key = emailKey(body.email)
  const wait = await tessera.throttle.accountWait(key, now)
  if (wait > 0) throw new ProblemError('rate_limited', { retryAfter: wait })
  const password = normalizePassword(body.password)
  const user = await tessera.stores.users.findByEmailKey(key)
  const ok =
    user !== undefined && !user.disabled
      ? await tessera.hasher.verify(user.passwordHash, password)
      : await tessera.hasher.verifyDummy(password)
  if (!ok || user === undefined) {
    const { failures, wait: delay } = await tessera.throttle.failure(key, now)
    await tessera.audit.record(delay > 0 ? 'authn_login_lock' : 'authn_login_fail', {
      userId: user?.id ?? null,
      ip: request.ip,
      detail: { failures, delaySeconds: delay },
    })
    throw new ProblemError('invalid_credentials')
  }
  if (tessera.hasher.needsRehash(user.passwordHash)) {
    // Guarded by the epoch: a rehash must not undo a password change that raced this login.
    const passwordHash = await tessera.hasher.hash(password)
    await tessera.stores.users.update(user.id, { passwordHash, rehashAtEpoch: user.credentialEpoch }, now)
  }
  const failures = await tessera.throttle.success(key, now)
  await tessera.audit.record(failures > 0 ? 'authn_login_successafterfail' : 'authn_login_success', {
    userId: user.id,
    ip: request.ip,
    detail: { failures, credential: body.credential ?? 'session' },
  })
  return user
}

/** A login over an existing session ends that session: the new one gets a new token (no fixation). */
export async function revokePresentedSession(ctx: EndpointContext): Promise<void> {
  const { tessera } = ctx
  for (const token of cookieValues(ctx.request.headers, tessera.config.cookieName)) {
    const found = await tessera.stores.credentials.findByTokenHash(sha256Hex(token))
    if (found !== undefined) await tessera.stores.credentials.revoke(found.credential.id, ctx.now)
  }
}
