import { mayLogIn } from '../accounts/email-verification.ts'
import { noticeDevice } from '../accounts/notifications.ts'
import { publicUser } from '../credentials.ts'
import { emailKey } from '../email.ts'
import { ProblemError } from '../errors.ts'
import { requirePasswordAllowed } from '../oidc/require-password-allowed.ts'
import { normalizePassword } from '../password-policy.ts'
import { cookieValues, singleHeader } from '../request-headers.ts'
import { sha256Hex } from '../secrets.ts'
import type { UserRecord } from '../stores.ts'
import { type Endpoint, type EndpointContext, objectSchema, STRING } from './endpoint.ts'
import { requireIpBudget, requireOrigin } from './guards.ts'
import { issueKey, issueSession } from './issue-credential.ts'
import { requireSecondStep } from './login-second-step.ts'
import { throttledCheck } from './throttled-check.ts'

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
    await requirePasswordAllowed(ctx.tessera, body.email, ctx.request.ip)
    const user = await checkPassword(ctx, body)
    // Only after the right password: the refusal tells nothing to someone who does not know it.
    if (!mayLogIn(ctx.tessera, user)) {
      const detail = { code: 'email_unverified' }
      await ctx.tessera.audit.record('authz_fail', { userId: user.id, ip: ctx.request.ip, detail })
      throw new ProblemError('email_unverified')
    }
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
      const key = await issueKey(ctx.tessera, user, label, body.publicKey, ctx.now)
      return { status: 200, body: { user: publicUser(user), key } }
    }
    await revokePresentedSession(ctx)
    const issued = await issueSession(ctx.tessera, user, label, ctx.now)
    const binding = ctx.tessera.deviceBinding
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

/**
 * The one answer for unknown email, wrong password and disabled account: same status,
 * body and (through a dummy hash) timing (OWASP Authentication Cheat Sheet). Throttled
 * per address and account before the hash is even computed (`throttled-check.ts`).
 */
async function checkPassword(ctx: EndpointContext, body: LoginBody): Promise<UserRecord> {
  const { tessera, now, request } = ctx
  const key = emailKey(body.email)
  const password = normalizePassword(body.password)
  let user: UserRecord | undefined
  const { ok, attempt } = await throttledCheck(ctx, 'login', key, async (lane) => {
    user = await tessera.stores.users.findByEmailKey(key)
    return user !== undefined && !user.disabled
      ? tessera.hasher.verify(user.passwordHash, password, lane)
      : tessera.hasher.verifyDummy(password, lane)
  })
  if (!ok || user === undefined) {
    await tessera.audit.record(attempt.delay > 0 ? 'authn_login_lock' : 'authn_login_fail', {
      userId: user?.id ?? null,
      ip: request.ip,
      detail: { failures: attempt.failures, delaySeconds: attempt.delay },
    })
    throw new ProblemError('invalid_credentials')
  }
  if (tessera.hasher.needsRehash(user.passwordHash)) {
    // Guarded by the epoch: a rehash must not undo a password change that raced this login.
    const passwordHash = await tessera.hasher.hash(password)
    await tessera.stores.users.update(user.id, { passwordHash, rehashAtEpoch: user.credentialEpoch }, now)
  }
  const failures = attempt.failures - 1
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
