import { generateAuthenticationOptions, verifyAuthenticationResponse } from '@simplewebauthn/server'
import { publicUser } from '../credentials.ts'
import { ProblemError } from '../errors.ts'
import { internals } from '../internals.ts'
import type { PasskeyRecord } from '../passkey-store.ts'
import { finishCeremony, startCeremony } from '../passkeys/ceremony.ts'
import { handleFits } from '../passkeys/passkey-view.ts'
import { singleHeader } from '../request-headers.ts'
import { type Endpoint, type EndpointContext, objectSchema, STRING } from './endpoint.ts'
import { requireIpBudget, requireOrigin } from './guards.ts'
import { issueKey, issueSession } from './issue-credential.ts'
import { revokePresentedSession } from './login.ts'
import { PASSKEY_RESPONSE, reason } from './passkey-registration.ts'

/** Passkey login, step 1: options for a discoverable credential (no user named), UV required. */
export const passkeyLoginOptions: Endpoint = {
  method: 'POST',
  path: '/auth/passkeys/login/options',
  access: 'public',
  summary: 'Start a passkey login: WebAuthn request options and a ceremony token',
  errors: ['csrf_failed', 'rate_limited'],
  async handle(ctx) {
    await requireOrigin(ctx, true)
    await requireIpBudget(ctx, 'login')
    const options = await generateAuthenticationOptions({
      rpID: internals(ctx.tessera).config.passkeys.rpId,
      userVerification: 'required',
    })
    const ceremony = await startCeremony(ctx.tessera, 'passkey-login', null, options.challenge, ctx.now)
    return { status: 200, body: { options, ceremony } }
  },
}

interface PasskeyLoginBody {
  ceremony: string
  response: { id?: unknown; response?: { userHandle?: unknown } }
  credential?: 'session' | 'key'
  publicKey?: Record<string, unknown>
  label?: string
}

/**
 * Passkey login, step 2: a verified assertion (user verification required, so it is both
 * factors) gives the usual session, or with `credential: "key"` and a P-256 public key a device
 * key: the mobile client starts signing with no password and no bearer secret ever.
 */
export const passkeyLogin: Endpoint = {
  method: 'POST',
  path: '/auth/passkeys/login',
  access: 'public',
  summary: 'Log in with a passkey: a session, or (credential: "key") a device key',
  body: objectSchema(
    {
      ceremony: STRING(43, 43),
      response: PASSKEY_RESPONSE,
      credential: { type: 'string', enum: ['session', 'key'] },
      publicKey: { type: 'object', maxProperties: 16 },
      label: STRING(1, 100),
    },
    ['ceremony', 'response'],
  ),
  errors: [
    'validation_failed',
    'invalid_challenge',
    'invalid_passkey',
    'unknown_passkey',
    'passkey_cloned',
    'csrf_failed',
    'rate_limited',
  ],
  async handle(ctx) {
    const body = ctx.body as PasskeyLoginBody
    const wantsKey = body.credential === 'key'
    if (!wantsKey && body.publicKey !== undefined)
      throw new ProblemError('validation_failed', {
        errors: [{ path: '/body/publicKey', message: 'needs credential "key"' }],
      })
    await requireOrigin(ctx, wantsKey)
    await requireIpBudget(ctx, 'login')
    const { challenge } = await finishCeremony(ctx.tessera, 'passkey-login', body.ceremony, ctx.now)
    const { passkey, user } = await verifiedOwner(ctx, body, challenge)
    const label = body.label ?? singleHeader(ctx.request.headers, 'user-agent')?.slice(0, 100) ?? 'passkey'
    await internals(ctx.tessera).audit.record('authn_login_success', {
      userId: user.id,
      ip: ctx.request.ip,
      detail: { method: 'passkey', credential: body.credential ?? 'session', backedUp: passkey.backedUp },
    })
    if (wantsKey) {
      if (body.publicKey === undefined)
        throw new ProblemError('validation_failed', {
          errors: [{ path: '/body/publicKey', message: 'a passkey login gives a device key only' }],
        })
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
 * A passkey proof for step-up or a second login step: the ceremony used up, the assertion
 * verified and recorded; answers the user whose passkey it is.
 */
export async function passkeyProofOwner(
  ctx: EndpointContext,
  proof: { ceremony: string; response: unknown },
) {
  const { challenge } = await finishCeremony(ctx.tessera, 'passkey-login', proof.ceremony, ctx.now)
  const response = (
    typeof proof.response === 'object' && proof.response !== null ? proof.response : {}
  ) as PasskeyLoginBody['response']
  return (await verifiedOwner(ctx, { ceremony: proof.ceremony, response }, challenge)).user
}

/** The passkey, its user, the assertion verified and its use recorded; each failure audited. */
async function verifiedOwner(ctx: EndpointContext, body: PasskeyLoginBody, challenge: string) {
  const { tessera, request, now } = ctx
  const fail = async (
    code: 'unknown_passkey' | 'invalid_passkey' | 'passkey_cloned',
    userId: number | null,
    detail?: string,
  ) => {
    await internals(tessera).audit.record(
      code === 'passkey_cloned' ? 'authn_token_reuse' : 'authn_login_fail',
      {
        userId,
        ip: request.ip,
        detail: { method: 'passkey', reason: code },
      },
    )
    return new ProblemError(code, detail === undefined ? {} : { detail })
  }
  const id = typeof body.response.id === 'string' ? body.response.id : ''
  const passkey = id === '' ? undefined : await internals(tessera).stores.passkeys.findById(id)
  const user = passkey && (await internals(tessera).stores.users.findById(passkey.userId))
  if (passkey === undefined || user === undefined || user.disabled) throw await fail('unknown_passkey', null)
  // A user handle that is not this passkey's owner: a credential of another user.
  const handle = body.response.response?.userHandle
  if (handle !== undefined && (typeof handle !== 'string' || !handleFits(handle, user.id)))
    throw await fail('unknown_passkey', user.id)
  const { rpId, origins } = internals(tessera).config.passkeys
  let info: Awaited<ReturnType<typeof verifyAuthenticationResponse>>['authenticationInfo']
  try {
    const verified = await verifyAuthenticationResponse({
      response: body.response as never,
      expectedChallenge: challenge,
      expectedOrigin: [...origins],
      expectedRPID: rpId,
      credential: credentialOf(passkey),
      requireUserVerification: true,
    })
    if (!verified.verified) throw new Error('signature not verified')
    info = verified.authenticationInfo
  } catch (error) {
    const cloned = /counter/i.test(reason(error))
    throw await fail(cloned ? 'passkey_cloned' : 'invalid_passkey', user.id, reason(error))
  }
  const use = { signCount: info.newCounter, backedUp: info.credentialBackedUp, now }
  // Claimed at the counter it was checked against: of two assertions racing, one wins.
  if (!(await internals(tessera).stores.passkeys.recordUse(passkey.id, passkey.signCount, use)))
    throw await fail('passkey_cloned', user.id)
  return { passkey, user }
}

function credentialOf(p: PasskeyRecord) {
  return {
    id: p.id,
    publicKey: new Uint8Array(Buffer.from(p.publicKey, 'base64url')),
    counter: p.signCount,
    transports: p.transports as never,
  }
}
