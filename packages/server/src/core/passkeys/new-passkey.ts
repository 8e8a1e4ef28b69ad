import { verifyRegistrationResponse } from '@simplewebauthn/server'
import { ProblemError } from '../errors.ts'
import { internals } from '../internals.ts'
import type { PasskeyRecord } from '../passkey-store.ts'
import type { Tessera } from '../tessera.ts'

/** The library's reason, in a sentence about the response (never about the server). */
export function reason(error: unknown): string {
  return error instanceof Error ? error.message.slice(0, 200) : 'the response could not be verified'
}

/**
 * A WebAuthn registration response checked against our challenge, origins and RP ID, user
 * verification required: the passkey it creates, owner still to be set (`invalid_passkey` else).
 */
export async function verifiedNewPasskey(
  tessera: Tessera,
  response: unknown,
  challenge: string,
  name: string,
  now: number,
): Promise<Omit<PasskeyRecord, 'userId'>> {
  const { rpId, origins } = internals(tessera).config.passkeys
  const verified = await verifyRegistrationResponse({
    response: response as never,
    expectedChallenge: challenge,
    expectedOrigin: [...origins],
    expectedRPID: rpId,
    requireUserVerification: true,
  }).catch((error: unknown) => {
    throw new ProblemError('invalid_passkey', { detail: reason(error) })
  })
  if (!verified.verified) throw new ProblemError('invalid_passkey')
  const info = verified.registrationInfo
  return {
    id: info.credential.id,
    publicKey: Buffer.from(info.credential.publicKey).toString('base64url'),
    signCount: info.credential.counter,
    backedUp: info.credentialBackedUp,
    deviceType: info.credentialDeviceType,
    transports: (info.credential.transports ?? []).slice(0, 8),
    name,
    createdAt: now,
    lastUsedAt: null,
  }
}
