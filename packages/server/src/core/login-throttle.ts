import { pauseAfter } from './attempt-rule.ts'
import { ProblemError } from './errors.ts'
import { sha256Hex } from './secrets.ts'
import type { Lane } from './slots.ts'
import type { AttemptRule, RateLimitStore, Reservation } from './stores.ts'

/**
 * Throttling of password guessing (OWASP Authentication Cheat Sheet, ASVS 5.0 V6.3.1):
 * - per client IP and action, a large flood guard on every attempt, and a smaller budget of
 *   failures (successes give theirs back), so an office behind one NAT is not locked out;
 * - per account (any email string, known or not, so the answer reveals nothing), after
 *   `freeFailures` failures a growing delay (1 s, 2 s, 4 s, … capped) before the next
 *   attempt is even checked. Never a permanent lockout: the count resets with its window
 *   and on success.
 * Both are reserved before the password is hashed, in one atomic store step: an attempt counts
 * as a failure until it succeeds, so parallel guesses cost exactly what sequential ones cost.
 */
export interface ThrottleOptions {
  /** Flood guard: attempts, good or bad, from one IP on login or password change per `ipWindowMs`. */
  ipAttempts: number
  /** Registrations from one IP per `ipWindowMs`: each answer tells whether an email has an account. */
  registerAttempts: number
  ipWindowMs: number
  /** Failed attempts (and attempts still being checked) from one IP on one action per `ipFailureWindowMs`. */
  ipFailures: number
  ipFailureWindowMs: number
  freeFailures: number
  failureWindowMs: number
  maxDelayMs: number
}

export const DEFAULT_THROTTLE: ThrottleOptions = {
  // A whole office behind one NAT logging in at 9:00 fits; one address still cannot keep the
  // hashing busy (1,000 verifications are about 10 s of one core per 5 minutes).
  ipAttempts: 1000,
  // `409 email_taken` answers whether an address has an account: keep that slow (docs/security.md §7).
  registerAttempts: 30,
  ipWindowMs: 5 * 60_000,
  // Far above an office's typos, far below a credential-stuffing run (at most 9,600 a day per address).
  ipFailures: 100,
  ipFailureWindowMs: 15 * 60_000,
  freeFailures: 5,
  // Longer than the delay cap, so the delay does reach its cap and stays there: with the defaults
  // one account can be tried at most ~110 times a day, however many IPs the attacker has.
  failureWindowMs: 24 * 60 * 60_000,
  maxDelayMs: 15 * 60_000,
}

/** Seconds to wait, or 0 to go ahead. */
export type Wait = number

/** A password attempt let through to the hash; it counts as a failure until `succeeded` is called. */
export interface PasswordAttempt {
  /** 'suspect' when the account, or the address past a tenth of its failure budget, has attempts no success cleared. */
  lane: Lane
  /** The account's attempts in its window, this one included: its failure count should it fail. */
  failures: number
  /** The delay in seconds this attempt starts should it fail (0 while failures are free). */
  delay: Wait
}

export class LoginThrottle {
  readonly #store: RateLimitStore
  readonly #options: ThrottleOptions
  readonly #accountRule: AttemptRule
  readonly #ipRule: AttemptRule

  constructor(store: RateLimitStore, options: Partial<ThrottleOptions> = {}) {
    this.#store = store
    this.#options = Object.freeze({ ...DEFAULT_THROTTLE, ...options })
    const o = this.#options
    this.#accountRule = {
      windowMs: o.failureWindowMs,
      limit: Number.MAX_SAFE_INTEGER,
      free: o.freeFailures,
      pausesMs: doublingPauses(o.maxDelayMs),
    }
    this.#ipRule = { windowMs: o.ipFailureWindowMs, limit: o.ipFailures, free: o.ipFailures, pausesMs: [] }
  }

  /** The flood guard: counts one attempt from `ip` on `action`; answers the wait when over budget. */
  async attempt(ip: string, action: string, now: number): Promise<Wait> {
    const { count, resetAt } = await this.#store.hit(`ip:${action}:${ip}`, this.#options.ipWindowMs, now)
    const budget = action === 'register' ? this.#options.registerAttempts : this.#options.ipAttempts
    return count > budget ? seconds(resetAt - now) : 0
  }

  /**
   * Reserves a password check for `emailKey` from `ip`: one failure on the address's budget, one
   * attempt on the account (which starts its next delay). Throws `rate_limited` with the wait
   * when either refuses; nothing is hashed then.
   */
  async reserve(ip: string, action: string, emailKey: string, now: number): Promise<PasswordAttempt> {
    const address = await this.#store.reserve(ipFailureKey(action, ip), this.#ipRule, now)
    if (!address.granted) throw refused(address, now)
    const account = await this.#store.reserve(accountKey(emailKey), this.#accountRule, now)
    if (!account.granted) {
      await this.#store.release(ipFailureKey(action, ip), now)
      throw refused(account, now)
    }
    const suspect = account.count > 1 || address.count > this.#options.ipFailures / 10
    const delayMs = pauseAfter(this.#accountRule, account.count)
    return {
      lane: suspect ? 'suspect' : 'fresh',
      failures: account.count,
      delay: delayMs === 0 ? 0 : seconds(delayMs),
    }
  }

  /** The password was right: the address gets its failure back and the account's count is cleared. */
  async succeeded(ip: string, action: string, emailKey: string, now: number): Promise<void> {
    await Promise.all([
      this.#store.release(ipFailureKey(action, ip), now),
      this.#store.reset(accountKey(emailKey)),
    ])
  }

  /**
   * The password was never checked (the hashing queue was full): the address gets its failure
   * back, so an office is not locked out by a storm. The account keeps the attempt: a flood on
   * it stays in the suspect lane, and its owner's retries are held to the same delay as anyone's.
   */
  async unchecked(ip: string, action: string, now: number): Promise<void> {
    await this.#store.release(ipFailureKey(action, ip), now)
  }
}

/** 1 s, 2 s, 4 s, … up to `maxMs`, which is the last pause (and every later one). */
function doublingPauses(maxMs: number): number[] {
  const pauses: number[] = []
  for (let ms = 1000; ms < maxMs; ms *= 2) pauses.push(ms)
  pauses.push(maxMs)
  return pauses
}

function refused(reservation: Reservation & { granted: false }, now: number): ProblemError {
  return new ProblemError('rate_limited', { retryAfter: seconds(reservation.retryAt - now) })
}

// Hashed so the counters table holds no email addresses.
function accountKey(emailKey: string): string {
  return `acct:${sha256Hex(emailKey)}`
}

function ipFailureKey(action: string, ip: string): string {
  return `ip-fail:${action}:${ip}`
}

function seconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000))
}
