import { ProblemError } from '../errors.ts'
import { internals } from '../internals.ts'
import type { ChallengeRecord } from '../mfa-store.ts'
import { randomToken, sha256Hex } from '../secrets.ts'
import type { Tessera } from '../tessera.ts'

/** How long a WebAuthn ceremony (options → response) may take. */
export const CEREMONY_TTL_MS = 5 * 60_000

export type CeremonyPurpose = 'passkey-register' | 'passkey-login' | 'passkey-invite'

/**
 * A WebAuthn ceremony in progress: its challenge stored server-side under the SHA-256 of a
 * random token the client sends back with the response. Answers the token.
 */
export async function startCeremony(
  tessera: Tessera,
  purpose: CeremonyPurpose,
  userId: number | null,
  challenge: string,
  now: number,
  /** Secret-free facts the response must match (an invitation ceremony: the SHA-256 of its token). */
  bound: Record<string, string> = {},
): Promise<string> {
  const token = randomToken(32)
  const record: ChallengeRecord = {
    userId,
    purpose,
    detail: { ...bound, challenge },
    failures: 0,
    expiresAt: now + CEREMONY_TTL_MS,
  }
  await internals(tessera).stores.mfa.createChallenge(sha256Hex(token), record)
  return token
}

/**
 * Uses the ceremony up (once, atomically, before the response is even checked: a replayed or
 * late response finds nothing) and answers its challenge and user; `invalid_challenge` otherwise.
 */
export async function finishCeremony(tessera: Tessera, purpose: CeremonyPurpose, token: string, now: number) {
  const id = sha256Hex(token)
  const found = await internals(tessera).stores.mfa.findChallenge(id, now, 1)
  if (found === undefined || found.purpose !== purpose) throw new ProblemError('invalid_challenge')
  if (!(await internals(tessera).stores.mfa.consumeChallenge(id, now, 1)))
    throw new ProblemError('invalid_challenge')
  return { challenge: String(found.detail.challenge), userId: found.userId, detail: found.detail }
}
