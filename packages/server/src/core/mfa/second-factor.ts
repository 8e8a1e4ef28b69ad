import { internals } from '../internals.ts'
import type { Tessera } from '../tessera.ts'
import { recoveryCodeHash } from './recovery-codes.ts'
import { openSecret } from './sealed-secret.ts'
import { matchingStep } from './totp.ts'

/** One proof of the second factor: a TOTP code or a recovery code. */
export interface SecondFactorProof {
  code?: string | undefined
  recoveryCode?: string | undefined
}

/**
 * Second-factor answers count against their own per-user budget, with the login throttle's
 * rules (LoginThrottle keyed `mfa:<user id>`, reserved before the check like a password, so
 * parallel guesses cost what sequential ones cost): guessing codes slows down exactly like
 * guessing passwords, without locking the password login.
 */
export function throttleKey(userId: number): string {
  return `mfa:${userId}`
}

/**
 * Checks the proof and uses it up: a TOTP time step is accepted once per account (one
 * conditional UPDATE, so also across instances), a recovery code once. Answers which
 * kind passed, or undefined (the failure is counted and audited).
 */
export async function verifySecondFactor(
  tessera: Tessera,
  userId: number,
  proof: SecondFactorProof,
  context: { now: number; ip: string; credentialId?: string },
): Promise<'totp' | 'recovery' | undefined> {
  const { now, ip } = context
  const { failures } = await internals(tessera).throttle.reserve(ip, 'mfa', throttleKey(userId), now)
  let kind: 'totp' | 'recovery' | undefined
  try {
    kind = await check(tessera, userId, proof, now)
  } catch (error) {
    await internals(tessera).throttle.unchecked(ip, 'mfa', now)
    throw error
  }
  const audit = { userId, ip, ...(context.credentialId && { credentialId: context.credentialId }) }
  if (kind === undefined) {
    await internals(tessera).audit.record('mfa_fail', { ...audit, detail: { failures } })
    return undefined
  }
  await internals(tessera).throttle.succeeded(ip, 'mfa', throttleKey(userId), now)
  await internals(tessera).audit.record('mfa_success', { ...audit, detail: { factor: kind } })
  return kind
}

async function check(tessera: Tessera, userId: number, proof: SecondFactorProof, now: number) {
  const { mfa } = internals(tessera).stores
  if (proof.recoveryCode !== undefined) {
    const hash = recoveryCodeHash(internals(tessera).config.secrets, userId, proof.recoveryCode)
    return (await mfa.useRecoveryCode(userId, hash, now)) ? ('recovery' as const) : undefined
  }
  if (proof.code === undefined) return undefined
  const totp = await mfa.findTotp(userId)
  if (totp?.confirmedAt == null) return undefined
  const secret = openSecret(internals(tessera).config.secrets, userId, totp.sealedSecret)
  const step = secret === undefined ? undefined : matchingStep(secret, proof.code, now)
  if (step === undefined) return undefined
  return (await mfa.acceptTotpStep(userId, step, now, false)) ? ('totp' as const) : undefined
}
