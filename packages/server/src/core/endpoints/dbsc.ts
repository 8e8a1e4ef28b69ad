import { liveness } from '../credentials.ts'
import { clearedBoundCookie } from '../dbsc/bound-cookie.ts'
import { DBSC_REFRESH_PATH, DBSC_REGISTER_PATH, type DeviceBinding } from '../dbsc/device-binding.ts'
import { verifyRefreshProof, verifyRegistrationProof } from '../dbsc/session-proof.ts'
import { ProblemError, toProblem } from '../errors.ts'
import { internals } from '../internals.ts'
import { cookieValues, singleHeader } from '../request-headers.ts'
import { sha256Hex } from '../secrets.ts'
import type { Endpoint, EndpointContext, EndpointResult } from './endpoint.ts'

/**
 * DBSC registration: the browser answers the login's challenge with a JWT signed by its new
 * key (`Secure-Session-Response`), sent with the session cookie. The key is stored with the
 * session once, and the first bound cookie comes back with the session configuration.
 */
export const dbscRegister: Endpoint = {
  method: 'POST',
  path: DBSC_REGISTER_PATH,
  access: 'public',
  summary: 'DBSC: bind the session to the browser key that signed the registration challenge',
  errors: ['invalid_session_proof', 'invalid_session_challenge', 'not_found'],
  async handle(ctx) {
    const binding = enabled(ctx)
    const jwt = proofHeader(ctx)
    if (jwt === undefined) throw refusal(ctx, 'invalid_session_proof', 'no Secure-Session-Response')
    const proof = await verifyRegistrationProof(jwt)
    if (!proof.ok) throw refusal(ctx, 'invalid_session_proof', proof.reason)
    const redeemed = await binding.challenges.redeem(proof.jti, 'register', ctx.now)
    if (!redeemed.ok) throw refusal(ctx, 'invalid_session_challenge', `challenge ${redeemed.reason}`)
    const sessionId = redeemed.sessionId
    const found = await internals(ctx.tessera).stores.credentials.findById(sessionId)
    const tokens = cookieValues(ctx.request.headers, internals(ctx.tessera).config.cookieName)
    // The challenge was handed to this session's browser: it must come with this session's cookie.
    const sameSession = tokens.length === 1 && found?.credential.tokenHash === sha256Hex(tokens[0] as string)
    if (found === undefined || !sameSession || liveness(found, ctx.now) !== 'live')
      throw refusal(ctx, 'invalid_session_challenge', 'not the live session the challenge was issued to')
    if (!(await binding.bind(sessionId, proof.algorithm, JSON.stringify(proof.jwk), ctx.now)))
      throw refusal(ctx, 'invalid_session_challenge', 'session already bound')
    await internals(ctx.tessera).audit.record('authn_token_created', {
      userId: found.user.id,
      credentialId: sessionId,
      ip: ctx.request.ip,
      detail: { type: 'dbsc', algorithm: proof.algorithm },
    })
    return configured(binding, sessionId, ctx.now)
  },
}

/**
 * DBSC refresh. Without a proof: `403` and a fresh `Secure-Session-Challenge`. With one signed by
 * the stored key over a fresh challenge of this session: a new bound cookie. A session that has
 * ended (logout, revocation, expiry) answers `{"continue": false}`, ending the browser's binding.
 */
export const dbscRefresh: Endpoint = {
  method: 'POST',
  path: DBSC_REFRESH_PATH,
  access: 'public',
  summary: 'DBSC: renew the bound cookie with a proof of the session key (challenge first)',
  errors: ['validation_failed', 'invalid_session_proof', 'invalid_session_challenge', 'not_found'],
  async handle(ctx) {
    const binding = enabled(ctx)
    const sessionId = singleHeader(ctx.request.headers, 'sec-secure-session-id')
    if (typeof sessionId !== 'string' || !/^ses_[A-Za-z0-9_-]{1,60}$/.test(sessionId))
      throw new ProblemError('validation_failed', {
        errors: [{ path: '/headers/sec-secure-session-id', message: 'must be one session identifier' }],
      })
    const [found, bound] = await Promise.all([
      internals(ctx.tessera).stores.credentials.findById(sessionId),
      binding.store.find(sessionId),
    ])
    if (
      found === undefined ||
      bound?.publicJwk == null ||
      bound.algorithm === null ||
      liveness(found, ctx.now) !== 'live'
    ) {
      void internals(ctx.tessera).audit.record('session_expired', {
        userId: found?.user.id ?? null,
        credentialId: found ? sessionId : null,
        ip: ctx.request.ip,
        detail: { via: 'dbsc_refresh' },
      })
      return { status: 200, body: { continue: false }, cookies: [clearedBoundCookie(binding.config)] }
    }
    const jwt = proofHeader(ctx)
    if (jwt === undefined) {
      const challenge = binding.challenges.issue('refresh', sessionId, ctx.now)
      const problem = toProblem('forbidden', { detail: 'sign the challenge with the session key' })
      const headers = { ...problem.headers, 'secure-session-challenge': `"${challenge}";id="${sessionId}"` }
      return { status: 403, headers, body: problem.body }
    }
    const who = { userId: found.user.id, credentialId: sessionId, ip: ctx.request.ip }
    const proof = await verifyRefreshProof(jwt, bound.algorithm, bound.publicJwk)
    if (!proof.ok) {
      if (proof.wrongKey)
        await internals(ctx.tessera).audit.record('authn_token_reuse', {
          ...who,
          detail: { reason: 'dbsc_wrong_key' },
        })
      throw refusal(ctx, 'invalid_session_proof', proof.reason, !proof.wrongKey)
    }
    const redeemed = await binding.challenges.redeem(proof.jti, 'refresh', ctx.now, sessionId)
    if (!redeemed.ok) {
      if (redeemed.reason === 'reused')
        await internals(ctx.tessera).audit.record('authn_token_reuse', {
          ...who,
          detail: { reason: 'dbsc_challenge_reused' },
        })
      throw refusal(
        ctx,
        'invalid_session_challenge',
        `challenge ${redeemed.reason}`,
        redeemed.reason !== 'reused',
      )
    }
    await internals(ctx.tessera).stores.credentials.touch(sessionId, ctx.now)
    await internals(ctx.tessera).audit.record('session_renewed', { ...who, detail: { via: 'dbsc' } })
    return configured(binding, sessionId, ctx.now)
  },
}

function enabled(ctx: EndpointContext): DeviceBinding {
  const binding = internals(ctx.tessera).deviceBinding
  if (binding === undefined) throw new ProblemError('not_found')
  return binding
}

function proofHeader(ctx: EndpointContext): string | undefined {
  const value = singleHeader(ctx.request.headers, 'secure-session-response')
  if (value === null) throw refusal(ctx, 'invalid_session_proof', 'more than one Secure-Session-Response')
  return value
}

function configured(binding: DeviceBinding, sessionId: string, now: number): EndpointResult {
  return {
    status: 200,
    body: binding.sessionConfiguration(sessionId),
    cookies: [binding.boundCookie(sessionId, now)],
  }
}

/** A refused proof or challenge, audited as bad input unless the caller audited it already. */
function refusal(
  ctx: EndpointContext,
  code: 'invalid_session_proof' | 'invalid_session_challenge',
  detail: string,
  audit = true,
): ProblemError {
  if (audit)
    void internals(ctx.tessera).audit.record('input_validation_fail', {
      ip: ctx.request.ip,
      detail: { code, reason: detail.slice(0, 100), path: ctx.request.target.split('?')[0] ?? '' },
    })
  return new ProblemError(code, { detail })
}
