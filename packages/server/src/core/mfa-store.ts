/**
 * What second factors need from storage (issue 14). Every check-then-act here is one
 * conditional statement, so it holds across instances sharing the database: a TOTP time
 * step is accepted once per account, a recovery code and a challenge are used once.
 */

export interface TotpRecord {
  userId: number
  /** The RFC 6238 seed, sealed (AES-256-GCM) under a key derived from the master secret. */
  sealedSecret: string
  /** Null while enrolment awaits its first code. */
  confirmedAt: number | null
  /** The last accepted time step (0 = none). */
  lastStep: number
  createdAt: number
}

export interface ChallengeRecord {
  userId: number | null
  /** What it is for: `login` (second step), `webauthn-register`, `webauthn-login`, … */
  purpose: string
  /** Secret-free JSON-able facts the next step needs. */
  detail: Record<string, unknown>
  failures: number
  expiresAt: number
}

export interface MfaStore {
  findTotp(userId: number): Promise<TotpRecord | undefined>
  /** Starts (or restarts) an enrolment; answers false, changing nothing, when a confirmed one exists. */
  beginTotp(userId: number, sealedSecret: string, now: number): Promise<boolean>
  /**
   * Accepts `step` for the user's TOTP when it is later than the last accepted one; with
   * `confirming`, only for an unconfirmed enrolment, which it confirms. One conditional UPDATE.
   */
  acceptTotpStep(userId: number, step: number, now: number, confirming: boolean): Promise<boolean>
  /** Removes the TOTP and every recovery code; answers false when there was none. */
  deleteTotp(userId: number): Promise<boolean>
  /** Replaces the user's recovery codes by these SHA-256 hashes (hex). */
  replaceRecoveryCodes(userId: number, codeHashes: string[]): Promise<void>
  /** Marks one unused code used; answers false when unknown or already used. */
  useRecoveryCode(userId: number, codeHash: string, now: number): Promise<boolean>
  countRecoveryCodes(userId: number): Promise<number>
  /** Stores a challenge under the SHA-256 (hex) of its token. */
  createChallenge(idHash: string, challenge: ChallengeRecord): Promise<void>
  /** The unused, unexpired challenge with fewer than `maxFailures` failures; undefined otherwise. */
  findChallenge(idHash: string, now: number, maxFailures: number): Promise<ChallengeRecord | undefined>
  /** Counts one failed answer to the challenge. */
  failChallenge(idHash: string): Promise<void>
  /** Uses the challenge up; answers false when it was already used, expired or failed too often. */
  consumeChallenge(idHash: string, now: number, maxFailures: number): Promise<boolean>
  deleteExpiredChallenges(now: number): Promise<number>
}
