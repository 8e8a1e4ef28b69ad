import { ProblemError } from './errors.ts'
import type { Principal } from './types.ts'

/** Options of the route guard beyond the role. */
export interface GuardOptions {
  /**
   * Step-up: the credential's last proof of the user (login or re-authentication) must be at
   * most this many seconds old, else `401 reauth_required` (OWASP ASVS 5.0 V6.5 / V7.5.1).
   */
  recentAuth?: number
  /** Let a role that must enrol a second factor (`mfaRequiredRoles`) through before it has. */
  allowUnenrolled?: boolean
}

/** Checked once, when a guard is made: a typo must not switch step-up off. */
export function checkGuardOptions(options: GuardOptions): GuardOptions {
  const { recentAuth } = options
  if (recentAuth !== undefined && !(Number.isFinite(recentAuth) && recentAuth > 0))
    throw new Error('recentAuth must be a positive number of seconds')
  return options
}

/** Throws `reauth_required` unless the caller proved who they are within `seconds`. */
export function requireRecentAuth(principal: Principal, seconds: number, now: number): void {
  if (now - principal.credential.authenticatedAt <= seconds * 1000) return
  throw new ProblemError('reauth_required', { detail: `needs a proof of the user within ${seconds} s` })
}

/** How fresh the proof must be for Tessera's own critical endpoints (second factor, passkeys). */
export const CRITICAL_RECENT_AUTH_SECONDS = 300
