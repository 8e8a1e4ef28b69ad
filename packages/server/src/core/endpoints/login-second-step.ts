import { publicUser } from '../credentials.ts'
import { ProblemError } from '../errors.ts'
import { internals } from '../internals.ts'
import { verifySecondFactor } from '../mfa/second-factor.ts'
import { hasSecondFactor } from '../mfa-policy.ts'
import { randomToken, sha256Hex } from '../secrets.ts'
import { parsePublicJwk } from '../signatures/keys.ts'
import type { UserRecord } from '../stores.ts'
import { type Endpoint, type EndpointContext, objectSchema, STRING } from './endpoint.ts'
import { iso, requireIpBudget, requireOrigin } from './guards.ts'
import { issueKey, issueSession } from './issue-credential.ts'
import { revokePresentedSession } from './login.ts'
import { passkeyProofOwner } from './passkey-login.ts'
import { PASSKEY_RESPONSE } from './passkey-registration.ts'

/** The second step must follow the first within this time. */
export const LOGIN_CHALLENGE_TTL_MS = 5 * 60_000
/** Wrong answers a challenge survives; then the password step starts over. */
export const LOGIN_CHALLENGE_MAX_FAILURES = 5

/** What the first step asked for, carried to the second by the challenge. */
interface PendingLogin {
  credential: 'session' | 'key'
  publicKey?: Record<string, unknown>
  label: string
  /** The user's credential epoch when the password was checked: a change in between kills the login. */
  epoch: number
}

/**
 * After a correct password, a user with a second factor gets no credential yet: `401
 * mfa_required` with a short-lived, single-use challenge that stands for this login.
 */
export async function requireSecondStep(ctx: EndpointContext, user: UserRecord, pending: PendingLogin) {
  const { tessera, now } = ctx
  if (!(await hasSecondFactor(internals(tessera).stores, user.id))) return
  if (pending.publicKey !== undefined && !parsePublicJwk(pending.publicKey).ok) {
    throw new ProblemError('validation_failed', {
      errors: [{ path: '/body/publicKey', message: 'is invalid' }],
    })
  }
  const challenge = randomToken(32)
  const expiresAt = now + LOGIN_CHALLENGE_TTL_MS
  await internals(tessera).stores.mfa.createChallenge(sha256Hex(challenge), {
    userId: user.id,
    purpose: 'login',
    detail: { ...pending },
    failures: 0,
    expiresAt,
  })
  throw new ProblemError('mfa_required', { challenge, challengeExpiresAt: iso(expiresAt), detail: 'totp' })
}

export const loginSecondStep: Endpoint = {
  method: 'POST',
  path: '/auth/login/mfa',
  access: 'public',
  summary: 'Second login step: the mfa_required challenge with a TOTP, a recovery code or a passkey',
  body: {
    ...objectSchema(
      {
        challenge: STRING(43, 43),
        code: STRING(1, 16),
        recoveryCode: STRING(1, 64),
        passkey: objectSchema({ ceremony: STRING(43, 43), response: PASSKEY_RESPONSE }, [
          'ceremony',
          'response',
        ]),
      },
      ['challenge'],
    ),
    minProperties: 2,
    maxProperties: 2,
  },
  errors: [
    'validation_failed',
    'invalid_challenge',
    'invalid_mfa_code',
    'invalid_passkey',
    'unknown_passkey',
    'passkey_cloned',
    'csrf_failed',
    'rate_limited',
  ],
  async handle(ctx) {
    const { tessera, now, request } = ctx
    const body = ctx.body as {
      challenge: string
      code?: string
      recoveryCode?: string
      passkey?: { ceremony: string; response: unknown }
    }
    const id = sha256Hex(body.challenge)
    const { mfa, users } = internals(tessera).stores
    const found = await mfa.findChallenge(id, now, LOGIN_CHALLENGE_MAX_FAILURES)
    if (found === undefined || found.purpose !== 'login' || found.userId === null)
      throw new ProblemError('invalid_challenge')
    const pending = found.detail as unknown as PendingLogin
    await requireOrigin(ctx, pending.credential === 'key')
    await requireIpBudget(ctx, 'login')
    const proof = { code: body.code, recoveryCode: body.recoveryCode }
    const passed =
      body.passkey === undefined
        ? (await verifySecondFactor(tessera, found.userId, proof, { now, ip: request.ip })) !== undefined
        : (await passkeyProofOwner(ctx, body.passkey)).id === found.userId
    if (!passed) {
      await mfa.failChallenge(id)
      throw new ProblemError('invalid_mfa_code')
    }
    // Claimed only now, atomically: of two answers racing, one gets the credential.
    if (!(await mfa.consumeChallenge(id, now, LOGIN_CHALLENGE_MAX_FAILURES)))
      throw new ProblemError('invalid_challenge')
    const stored = await users.findById(found.userId)
    if (stored === undefined || stored.disabled) throw new ProblemError('invalid_challenge')
    const user = { ...stored, credentialEpoch: pending.epoch }
    if (pending.credential === 'key') {
      const key = await issueKey(tessera, user, pending.label, pending.publicKey, now)
      return { status: 200, body: { user: publicUser(user), key } }
    }
    await revokePresentedSession(ctx)
    const issued = await issueSession(tessera, user, pending.label, now)
    return {
      status: 200,
      body: { user: publicUser(user), csrfToken: issued.csrfToken, expiresAt: issued.expiresAt },
      cookies: [issued.cookie],
    }
  },
}
