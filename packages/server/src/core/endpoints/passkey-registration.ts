import { generateRegistrationOptions } from '@simplewebauthn/server'
import { ProblemError } from '../errors.ts'
import { internals } from '../internals.ts'
import { finishCeremony, startCeremony } from '../passkeys/ceremony.ts'
import { verifiedNewPasskey } from '../passkeys/new-passkey.ts'

export { reason } from '../passkeys/new-passkey.ts'

import { passkeyView, userHandle } from '../passkeys/passkey-view.ts'
import { CRITICAL_RECENT_AUTH_SECONDS } from '../step-up.ts'
import { type Endpoint, objectSchema, STRING } from './endpoint.ts'

export const PASSKEY_RESPONSE = { type: 'object', maxProperties: 16 }
const CEREMONY = STRING(43, 43)

/** Adding a passkey, step 1: WebAuthn creation options (discoverable, user verification required). */
export const passkeyRegistrationOptions: Endpoint = {
  method: 'POST',
  path: '/auth/passkeys/register/options',
  access: 'authenticated',
  allowUnenrolled: true,
  recentAuth: CRITICAL_RECENT_AUTH_SECONDS,
  summary: 'Start adding a passkey: WebAuthn creation options and a ceremony token',
  errors: ['unauthenticated', 'reauth_required', 'csrf_failed'],
  async handle({ tessera, principal, now }) {
    const { rpId, rpName } = internals(tessera).config.passkeys
    const existing = await internals(tessera).stores.passkeys.listForUser(principal.user.id)
    const options = await generateRegistrationOptions({
      rpName,
      rpID: rpId,
      userName: principal.user.email,
      userDisplayName: principal.user.name,
      userID: userHandle(principal.user.id),
      attestationType: 'none',
      excludeCredentials: existing.map((p) => ({ id: p.id, transports: p.transports })),
      authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
    })
    const ceremony = await startCeremony(
      tessera,
      'passkey-register',
      principal.user.id,
      options.challenge,
      now,
    )
    return { status: 200, body: { options, ceremony } }
  },
}

/** Adding a passkey, step 2: the authenticator's answer, checked against our challenge, origins and RP ID. */
export const passkeyRegistration: Endpoint = {
  method: 'POST',
  path: '/auth/passkeys/register',
  access: 'authenticated',
  allowUnenrolled: true,
  summary: 'Finish adding a passkey with the WebAuthn registration response',
  body: objectSchema({ ceremony: CEREMONY, response: PASSKEY_RESPONSE, name: STRING(1, 100) }, [
    'ceremony',
    'response',
  ]),
  errors: ['unauthenticated', 'invalid_challenge', 'invalid_passkey', 'passkey_taken', 'csrf_failed'],
  async handle({ tessera, principal, body, request, now }) {
    const input = body as { ceremony: string; response: unknown; name?: string }
    const { challenge, userId } = await finishCeremony(tessera, 'passkey-register', input.ceremony, now)
    if (userId !== principal.user.id) throw new ProblemError('invalid_challenge')
    const passkey = {
      ...(await verifiedNewPasskey(tessera, input.response, challenge, input.name ?? 'Passkey', now)),
      userId,
    }
    if (passkey.id.length > 255 || !(await internals(tessera).stores.passkeys.create(passkey)))
      throw new ProblemError('passkey_taken')
    await internals(tessera).audit.record('mfa_enrolled', {
      userId,
      credentialId: principal.credential.id,
      ip: request.ip,
      detail: { factor: 'passkey', backedUp: passkey.backedUp },
    })
    return { status: 201, body: { passkey: passkeyView(passkey) } }
  },
}
