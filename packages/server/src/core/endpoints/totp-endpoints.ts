import QRCode from 'qrcode'
import { ProblemError } from '../errors.ts'
import { internals } from '../internals.ts'
import { newRecoveryCodes, recoveryCodeHash } from '../mfa/recovery-codes.ts'
import { openSecret, sealSecret } from '../mfa/sealed-secret.ts'
import { throttleKey } from '../mfa/second-factor.ts'
import { matchingStep, newTotpSecret, totpUri } from '../mfa/totp.ts'
import { hasSecondFactor } from '../mfa-policy.ts'
import { CRITICAL_RECENT_AUTH_SECONDS } from '../step-up.ts'
import type { Tessera } from '../tessera.ts'
import { type Endpoint, objectSchema, STRING } from './endpoint.ts'

export const mfaStatus: Endpoint = {
  method: 'GET',
  path: '/auth/mfa',
  access: 'authenticated',
  allowUnenrolled: true,
  summary: 'Your second factor: enabled or not, recovery codes left, whether your role requires one',
  errors: ['unauthenticated'],
  async handle({ tessera, principal }) {
    const { id, role } = principal.user
    const totp = await internals(tessera).stores.mfa.findTotp(id)
    return {
      status: 200,
      body: {
        totp: totp?.confirmedAt != null,
        recoveryCodesLeft: await internals(tessera).stores.mfa.countRecoveryCodes(id),
        required: internals(tessera).config.mfaRequiredRoles.has(role),
      },
    }
  },
}

/** Enrolment, step 1: a new seed, as a QR code (rendered here, no third party sees it) and as text. */
export const beginTotp: Endpoint = {
  method: 'POST',
  path: '/auth/mfa/totp',
  access: 'authenticated',
  allowUnenrolled: true,
  recentAuth: CRITICAL_RECENT_AUTH_SECONDS,
  summary: 'Start TOTP enrolment: a new secret, its otpauth URI and QR code',
  errors: ['unauthenticated', 'reauth_required', 'mfa_already_enabled', 'csrf_failed'],
  async handle({ tessera, principal, now }) {
    const secret = newTotpSecret()
    const sealed = sealSecret(internals(tessera).config.secrets, principal.user.id, secret)
    if (!(await internals(tessera).stores.mfa.beginTotp(principal.user.id, sealed, now)))
      throw new ProblemError('mfa_already_enabled')
    const uri = totpUri(secret, principal.user.email, new URL(internals(tessera).config.publicOrigin).host)
    const svg = await QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 })
    const qrCode = `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`
    return { status: 200, body: { secret, uri, qrCode } }
  },
}

/** Enrolment, step 2: the first code proves the app has the seed; ten recovery codes, shown once. */
export const confirmTotp: Endpoint = {
  method: 'POST',
  path: '/auth/mfa/totp/confirm',
  access: 'authenticated',
  allowUnenrolled: true,
  summary: 'Confirm TOTP enrolment with a first code; answers 10 single-use recovery codes',
  body: objectSchema({ code: STRING(1, 16) }, ['code']),
  errors: ['unauthenticated', 'invalid_mfa_code', 'mfa_not_enabled', 'csrf_failed', 'rate_limited'],
  async handle({ tessera, principal, body, request, now }) {
    const userId = principal.user.id
    // Reserved before the check, like any code guess (mfa/second-factor.ts).
    await internals(tessera).throttle.reserve(request.ip, 'mfa', throttleKey(userId), now)
    const pending = await internals(tessera).stores.mfa.findTotp(userId)
    if (pending === undefined || pending.confirmedAt !== null) throw new ProblemError('mfa_not_enabled')
    const secret = openSecret(internals(tessera).config.secrets, userId, pending.sealedSecret)
    const step = secret === undefined ? undefined : matchingStep(secret, (body as { code: string }).code, now)
    if (
      step === undefined ||
      !(await internals(tessera).stores.mfa.acceptTotpStep(userId, step, now, true))
    ) {
      throw new ProblemError('invalid_mfa_code')
    }
    await internals(tessera).throttle.succeeded(request.ip, 'mfa', throttleKey(userId), now)
    const recoveryCodes = await replaceRecoveryCodes(tessera, userId)
    await internals(tessera).audit.record('mfa_enrolled', {
      userId,
      credentialId: principal.credential.id,
      ip: request.ip,
      detail: { factor: 'totp' },
    })
    return { status: 200, body: { recoveryCodes } }
  },
}

export const disableTotp: Endpoint = {
  method: 'DELETE',
  path: '/auth/mfa/totp',
  access: 'authenticated',
  allowUnenrolled: true,
  recentAuth: CRITICAL_RECENT_AUTH_SECONDS,
  summary: 'Turn the second factor off (needs a recent re-authentication)',
  errors: ['unauthenticated', 'reauth_required', 'mfa_not_enabled', 'csrf_failed'],
  async handle({ tessera, principal, request }) {
    if (!(await internals(tessera).stores.mfa.deleteTotp(principal.user.id)))
      throw new ProblemError('mfa_not_enabled')
    await internals(tessera).audit.record('mfa_disabled', {
      userId: principal.user.id,
      credentialId: principal.credential.id,
      ip: request.ip,
      detail: { factor: 'totp' },
    })
    return { status: 204 }
  },
}

export const newRecoveryCodeSet: Endpoint = {
  method: 'POST',
  path: '/auth/mfa/recovery-codes',
  access: 'authenticated',
  recentAuth: CRITICAL_RECENT_AUTH_SECONDS,
  summary: 'Replace your recovery codes with 10 new ones (the old ones stop working)',
  errors: ['unauthenticated', 'reauth_required', 'mfa_not_enabled', 'csrf_failed'],
  async handle({ tessera, principal, request }) {
    if (!(await hasSecondFactor(internals(tessera).stores, principal.user.id)))
      throw new ProblemError('mfa_not_enabled')
    const recoveryCodes = await replaceRecoveryCodes(tessera, principal.user.id)
    await internals(tessera).audit.record('mfa_recovery_codes_created', {
      userId: principal.user.id,
      credentialId: principal.credential.id,
      ip: request.ip,
    })
    return { status: 200, body: { recoveryCodes } }
  },
}

async function replaceRecoveryCodes(tessera: Tessera, userId: number): Promise<string[]> {
  const codes = newRecoveryCodes()
  const hashes = codes.map((code) => recoveryCodeHash(internals(tessera).config.secrets, userId, code))
  await internals(tessera).stores.mfa.replaceRecoveryCodes(userId, hashes)
  return codes
}
