import type { Redis } from 'ioredis'
import type { AttemptRule, RateLimitState, RateLimitStore, Reservation } from '../../core/stores.ts'
import { failClosed } from './fail-closed.ts'
import { RedisScript } from './redis-script.ts'
import { DEFAULT_KEY_PREFIX, EXPIRY_GRACE_MS, type RedisStoreOptions } from './redis-store-options.ts'

/**
 * One fixed window per key: a hash `{count, resetAt}` where `resetAt` is absolute, on the
 * caller's clock. A hit counts in the live window, or opens a new one once `resetAt <= now`.
 * The key's TTL is housekeeping only (with a grace beyond the window), re-armed if it was lost.
 * ARGV: now, the new window's resetAt, the TTL in ms. Answers {count, resetAt}.
 */
const HIT = new RedisScript(`
local state = redis.call('HMGET', KEYS[1], 'count', 'resetAt')
local resetAt = tonumber(state[2])
if state[1] and resetAt and resetAt > tonumber(ARGV[1]) then
  local count = redis.call('HINCRBY', KEYS[1], 'count', 1)
  if redis.call('PTTL', KEYS[1]) < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[3]) end
  return {count, state[2]}
end
redis.call('HSET', KEYS[1], 'count', 1, 'resetAt', ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return {1, ARGV[2]}
`)

/**
 * `reserve` (the same step as `nextAttempt` in core/attempt-rule.ts), on the same hash plus
 * `blockedUntil`. ARGV: now, windowMs, limit, free, TTL grace in ms, then the pauses in ms.
 * Answers {1, count} when granted, {0, retryAt} when refused (nothing written).
 */
const RESERVE = new RedisScript(`
local now = tonumber(ARGV[1])
local state = redis.call('HMGET', KEYS[1], 'count', 'resetAt', 'blockedUntil')
local count = tonumber(state[1]) or 0
local resetAt = tonumber(state[2]) or 0
local blockedUntil = tonumber(state[3]) or 0
local live = resetAt > now
if not live then count = 0; resetAt = now + tonumber(ARGV[2]) end
local retryAt = blockedUntil
if live and count >= tonumber(ARGV[3]) and resetAt > retryAt then retryAt = resetAt end
if retryAt > now then return {0, retryAt} end
count = count + 1
local over = count - tonumber(ARGV[4])
local pauses = #ARGV - 5
local pause = 0
if over > 0 and pauses > 0 then pause = tonumber(ARGV[5 + math.min(over, pauses)]) end
local blocked = 0
if pause > 0 then blocked = now + pause end
redis.call('HSET', KEYS[1], 'count', count, 'resetAt', resetAt, 'blockedUntil', blocked)
redis.call('PEXPIRE', KEYS[1], math.max(resetAt, now + pause) - now + tonumber(ARGV[5]))
return {1, count}
`)

/** `release`: one fewer in a live window, never below 0. ARGV: now. */
const RELEASE = new RedisScript(`
local state = redis.call('HMGET', KEYS[1], 'count', 'resetAt')
local count = tonumber(state[1]) or 0
if count > 0 and (tonumber(state[2]) or 0) > tonumber(ARGV[1]) then redis.call('HINCRBY', KEYS[1], 'count', -1) end
return 0
`)

function toState(count: unknown, resetAt: unknown): RateLimitState {
  return { count: Number(count), resetAt: Number(resetAt) }
}

/** Fixed-window counters in Redis (`tessera:rate:<key>`), exact under concurrent hits from any instance. */
export class RedisRateLimitStore implements RateLimitStore {
  readonly #client: Redis
  readonly #prefix: string

  constructor(client: Redis, options: RedisStoreOptions = {}) {
    this.#client = client
    this.#prefix = `${options.keyPrefix ?? DEFAULT_KEY_PREFIX}rate:`
  }

  hit(key: string, windowMs: number, now: number): Promise<RateLimitState> {
    const args = [String(now), String(now + windowMs), windowMs + EXPIRY_GRACE_MS]
    return failClosed(this.#client, 'rateLimits.hit', async () => {
      const reply = (await HIT.run(this.#client, [this.#prefix + key], args)) as [unknown, unknown]
      return toState(reply[0], reply[1])
    })
  }

  reserve(key: string, rule: AttemptRule, now: number): Promise<Reservation> {
    const args = [now, rule.windowMs, rule.limit, rule.free, EXPIRY_GRACE_MS, ...rule.pausesMs].map(String)
    return failClosed(this.#client, 'rateLimits.reserve', async () => {
      const [granted, value] = (await RESERVE.run(this.#client, [this.#prefix + key], args)) as [
        number,
        number,
      ]
      return granted === 1
        ? { granted: true, count: Number(value) }
        : { granted: false, retryAt: Number(value) }
    })
  }

  release(key: string, now: number): Promise<void> {
    return failClosed(this.#client, 'rateLimits.release', async () => {
      await RELEASE.run(this.#client, [this.#prefix + key], [String(now)])
    })
  }

  peek(key: string, now: number): Promise<RateLimitState | undefined> {
    return failClosed(this.#client, 'rateLimits.peek', async () => {
      const [count, resetAt] = await this.#client.hmget(this.#prefix + key, 'count', 'resetAt')
      if (count === null || resetAt === null || Number(resetAt) <= now) return undefined
      return toState(count, resetAt)
    })
  }

  reset(key: string): Promise<void> {
    return failClosed(this.#client, 'rateLimits.reset', async () => {
      await this.#client.del(this.#prefix + key)
    })
  }
}
