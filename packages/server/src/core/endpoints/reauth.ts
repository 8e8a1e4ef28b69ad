import { ProblemError } from '../errors.ts'
import { internals } from '../internals.ts'
import { verifySecondFactor } from '../mfa/second-factor.ts'
import { normalizePassword } from '../password-policy.ts'
import { type Endpoint, type EndpointContext, objectSchema, STRING } from './endpoint.ts'
import { iso, requireIpBudget } from './guards.ts'
import { passkeyProofOwner } from './passkey-login.ts'
import { PASSKEY_RESPONSE } from './passkey-registration.ts'
import { throttledCheck } from './throttled-check.ts'

interface ReauthBody {
  password?: string
  code?: string
  recoveryCode?: string
  passkey?: { ceremony: string; response: unknown }
}

/**
 * Step-up: a fresh proof of the user (password, TOTP code, recovery code or passkey) refreshes the
 * calling credential's `authenticatedAt`, so routes guarded with `recentAuth` let it through
 * again. Works the same for a session and a signed-mode key. Throttled like a login.
 */
export const reauthenticate: Endpoint = {
  method: 'POST',
  path: '/auth/reauth',
  access: 'authenticated',
  allowUnenrolled: true,
  summary: 'Prove it is you again (password, second factor or passkey) before a critical action',
  body: {
    ...objectSchema(
      {
        password: STRING(1, 1024),
        code: STRING(1, 16),
        recoveryCode: STRING(1, 64),
        passkey: objectSchema({ ceremony: STRING(43, 43), response: PASSKEY_RESPONSE }, [
          'ceremony',
          'response',
        ]),
      },
      [],
    ),
    minProperties: 1,
    maxProperties: 1,
  },
  errors: [
    'unauthenticated',
    'validation_failed',
    'reauth_failed',
    'invalid_challenge',
    'invalid_passkey',
    'unknown_passkey',
    'passkey_cloned',
    'csrf_failed',
    'rate_limited',
  ],
  async handle(ctx) {
    const { tessera, principal, request, now } = ctx
    await requireIpBudget(ctx, 'reauth')
    const passed = await proofPasses(ctx, ctx.body as ReauthBody)
    const audit = { userId: principal.user.id, credentialId: principal.credential.id, ip: request.ip }
    if (!passed) {
      await internals(tessera).audit.record('authn_reauth_fail', audit)
      throw new ProblemError('reauth_failed')
    }
    if (!(await internals(tessera).stores.credentials.markAuthenticated(principal.credential.id, now)))
      throw new ProblemError('unauthenticated')
    await internals(tessera).audit.record('authn_reauth_success', audit)
    return { status: 200, body: { authenticatedAt: iso(now) } }
  },
}

async function proofPasses(ctx: EndpointContext, body: ReauthBody): Promise<boolean> {
  const { tessera, principal, request, now } = ctx
  const user = await internals(tessera).stores.users.findById(principal.user.id)
  if (user === undefined) throw new ProblemError('unauthenticated')
  if (body.password !== undefined) {
    // The password's own per-account budget, shared with logins and password changes.
    const password = body.password
    const { ok } = await throttledCheck(ctx, 'password', user.emailKey, (lane) =>
      internals(tessera).hasher.verify(user.passwordHash, normalizePassword(password), lane),
    )
    return ok
  }
  if (body.passkey !== undefined) {
    // Someone else's (valid) passkey is no proof of this user.
    return (await passkeyProofOwner(ctx, body.passkey)).id === user.id
  }
  const proof = { code: body.code, recoveryCode: body.recoveryCode }
  const context = { now, ip: request.ip, credentialId: principal.credential.id }
  return (await verifySecondFactor(tessera, user.id, proof, context)) !== undefined
}
