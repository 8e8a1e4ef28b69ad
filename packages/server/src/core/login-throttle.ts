import { sha256Hex } from './secrets.ts'
import type { RateLimitStore } from './stores.ts'

/**
 * Throttling of password guessing (OWASP Authentication Cheat Sheet, ASVS 5.0 V6.3.1):
 * - per client IP, a fixed budget of attempts on login, register and password change;
 * - per account (any email string, known or not, so the answer reveals nothing), after
 *   `freeFailures` failures a growing delay (1 s, 2 s, 4 s, … capped) before the next
 *   attempt is even checked. Never a permanent lockout: the failure count resets with
 *   its window and on success.
 */
export interface ThrottleOptions {
  ipAttempts: number
  ipWindowMs: number
  freeFailures: number
  failureWindowMs: number
  maxDelayMs: number
}

export const DEFAULT_THROTTLE: ThrottleOptions = {
  ipAttempts: 30,
  ipWindowMs: 5 * 60_000,
  freeFailures: 5,
  // Longer than the delay cap, so the delay does reach its cap and stays there: with the defaults
  // one account can be tried at most ~110 times a day, however many IPs the attacker has.
  failureWindowMs: 24 * 60 * 60_000,
  maxDelayMs: 15 * 60_000,
}

/** Seconds to wait, or 0 to go ahead. */
export type Wait = number

export class LoginThrottle {
  readonly #store: RateLimitStore
  readonly #options: ThrottleOptions

  constructor(store: RateLimitStore, options: Partial<ThrottleOptions> = {}) {
    this.#store = store
    this.#options = Object.freeze({ ...DEFAULT_THROTTLE, ...options })
  }

  /** Counts one attempt from `ip` on `action`; answers the wait when over budget. */
  async attempt(ip: string, action: string, now: number): Promise<Wait> {
    const { count, resetAt } = await this.#store.hit(`ip:${action}:${ip}`, this.#options.ipWindowMs, now)
    return count > this.#options.ipAttempts ? seconds(resetAt - now) : 0
  }

  /** The wait the account is under after earlier failures, without counting anything. */
  async accountWait(emailKey: string, now: number): Promise<Wait> {
    const delay = await this.#store.peek(delayKey(emailKey), now)
    return delay === undefined ? 0 : seconds(delay.resetAt - now)
  }

  /** Records a failure; answers the failure count and the delay it starts (0 while free). */
  async failure(emailKey: string, now: number): Promise<{ failures: number; wait: Wait }> {
    const { count } = await this.#store.hit(failureKey(emailKey), this.#options.failureWindowMs, now)
    const over = count - this.#options.freeFailures - 1
    if (over < 0) return { failures: count, wait: 0 }
    const delayMs = Math.min(1000 * 2 ** over, this.#options.maxDelayMs)
    const { resetAt } = await this.#store.hit(delayKey(emailKey), delayMs, now)
    return { failures: count, wait: seconds(resetAt - now) }
  }

  /** Clears the account's failures after a success; answers how many there were. */
  async success(emailKey: string, now: number): Promise<number> {
    const failures = (await this.#store.peek(failureKey(emailKey), now))?.count ?? 0
    if (failures > 0)
      await Promise.all([this.#store.reset(failureKey(emailKey)), this.#store.reset(delayKey(emailKey))])
    return failures
  }
}

// Hashed so the counters table holds no email addresses.
function failureKey(emailKey: string): string {
  return `acct-fail:${sha256Hex(emailKey)}`
}

function delayKey(emailKey: string): string {
  return `acct-delay:${sha256Hex(emailKey)}`
}

function seconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000))
}
