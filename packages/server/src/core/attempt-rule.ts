import type { AttemptRule } from './stores.ts'

/** The pause, in ms, that attempt number `count` of a window starts under `rule` (0 while free). */
export function pauseAfter(rule: AttemptRule, count: number): number {
  const over = count - rule.free
  if (over <= 0 || rule.pausesMs.length === 0) return 0
  return rule.pausesMs[Math.min(over, rule.pausesMs.length) - 1] as number
}

/** The window a key is in, after the attempt at `now` opened a new one if the old one had ended. */
export interface AttemptState {
  count: number
  resetAt: number
  blockedUntil: number
}

/**
 * One reservation, as a pure step from the stored state (count 0 for none) to the next: the rule
 * the stores run atomically, spelled out once for those that cannot say it in one statement.
 */
export function nextAttempt(
  stored: AttemptState,
  rule: AttemptRule,
  now: number,
): { granted: true; state: AttemptState } | { granted: false; retryAt: number } {
  const live = stored.resetAt > now
  const count = live ? stored.count : 0
  const resetAt = live ? stored.resetAt : now + rule.windowMs
  const retryAt = Math.max(stored.blockedUntil, live && count >= rule.limit ? resetAt : 0)
  if (retryAt > now) return { granted: false, retryAt }
  const next = count + 1
  // No pause, no block: a block of zero length from an instance whose clock runs a little ahead
  // would refuse the attempts of the others until their clocks caught up.
  const pause = pauseAfter(rule, next)
  return { granted: true, state: { count: next, resetAt, blockedUntil: pause === 0 ? 0 : now + pause } }
}
