import type { Redis } from 'ioredis'
import type { NonceStore } from '../../core/stores.ts'
import { failClosed } from './fail-closed.ts'
import { RedisScript } from './redis-script.ts'
import { DEFAULT_KEY_PREFIX, EXPIRY_GRACE_MS, type RedisStoreOptions } from './redis-store-options.ts'

/**
 * The record holds its expiry (the caller's epoch ms). A live record makes a replay; an expired
 * one is renewed; a nonce whose expiry has already come is accepted without a record, as the
 * SQL stores would keep only a dead row.
 */
const CONSUME = new RedisScript(`
local stored = redis.call('GET', KEYS[1])
local now = tonumber(ARGV[2])
if stored and tonumber(stored) > now then return 0 end
if tonumber(ARGV[1]) <= now then
  if stored then redis.call('DEL', KEYS[1]) end
  return 1
end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[3])
return 1
`)

/** Deletes those of the given records whose expiry has come by `now` (the caller's clock). */
const DELETE_EXPIRED = new RedisScript(`
local now = tonumber(ARGV[1])
local deleted = 0
for _, key in ipairs(KEYS) do
  local stored = tonumber(redis.call('GET', key) or '')
  if stored and stored <= now then
    redis.call('DEL', key)
    deleted = deleted + 1
  end
end
return deleted
`)

const SCAN_BATCH = 500

/** Escapes the glob characters of SCAN's MATCH, so a prefix matches only itself. */
function globEscape(text: string): string {
  return text.replace(/[\\*?[\]]/g, '\\$&')
}

/**
 * Nonces per key in Redis, one key each (`tessera:nonce:<keyId>:<nonce>`), consumed by one
 * atomic script: exactly one of any number of concurrent callers, on any instance, gets true.
 */
export class RedisNonceStore implements NonceStore {
  readonly #client: Redis
  readonly #prefix: string

  constructor(client: Redis, options: RedisStoreOptions = {}) {
    this.#client = client
    this.#prefix = `${options.keyPrefix ?? DEFAULT_KEY_PREFIX}nonce:`
  }

  consume(keyId: string, nonce: string, expiresAt: number, now: number): Promise<boolean> {
    const ttlMs = Math.max(1, expiresAt - now + EXPIRY_GRACE_MS)
    const key = `${this.#prefix}${keyId}:${nonce}`
    return failClosed(this.#client, 'nonces.consume', async () => {
      const result = await CONSUME.run(this.#client, [key], [String(expiresAt), String(now), ttlMs])
      return result === 1
    })
  }

  /**
   * Redis drops records by itself once their time is up, so on real clocks this finds little.
   * It still deletes what has expired by the caller's `now` (SCAN over this store's keys, in
   * batches), so the contract holds whatever the clock; the sweep runs it every few minutes.
   */
  deleteExpired(now: number): Promise<number> {
    return failClosed(this.#client, 'nonces.deleteExpired', async () => {
      const pattern = `${globEscape(this.#prefix)}*`
      let [cursor, deleted] = ['0', 0]
      do {
        const [next, keys] = await this.#client.scan(cursor, 'MATCH', pattern, 'COUNT', SCAN_BATCH)
        if (keys.length > 0) deleted += Number(await DELETE_EXPIRED.run(this.#client, keys, [String(now)]))
        cursor = next
      } while (cursor !== '0')
      return deleted
    })
  }
}
