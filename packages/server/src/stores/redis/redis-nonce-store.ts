import type { Redis } from 'ioredis'
import type { NonceStore } from '../../core/stores.ts'
import { failClosed } from './fail-closed.ts'
import { RedisScript } from './redis-script.ts'
import { DEFAULT_KEY_PREFIX, EXPIRY_GRACE_MS, type RedisStoreOptions } from './redis-store-options.ts'

/**
 * Every nonce of one event-loop turn in one call: KEYS are the records, ARGV holds
 * `expiresAt, now, ttlMs` per key; answers 1 (consumed) or 0 (replay) per key, in order.
 * Each record holds its expiry (the caller's epoch ms). A live record makes a replay; an
 * expired one is renewed; a nonce whose expiry has already come is accepted without a record,
 * as the SQL stores would keep only a dead row. Keys are handled in order, so the same nonce
 * twice in a batch is a replay of the first.
 */
const CONSUME_BATCH = new RedisScript(`
local answers = {}
for i, key in ipairs(KEYS) do
  local expires = tonumber(ARGV[3 * i - 2])
  local now = tonumber(ARGV[3 * i - 1])
  local stored = redis.call('GET', key)
  if stored and tonumber(stored) > now then
    answers[i] = 0
  elseif expires <= now then
    if stored then redis.call('DEL', key) end
    answers[i] = 1
  else
    redis.call('SET', key, ARGV[3 * i - 2], 'PX', ARGV[3 * i])
    answers[i] = 1
  end
end
return answers
`)

/** Nonces per script call: bounds one call's work and arguments. */
const MAX_BATCH = 500

interface PendingNonce {
  key: string
  expiresAt: number
  ttlMs: number
  now: number
  settle: (consumed: boolean) => void
  fail: (error: unknown) => void
}

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
 * Nonces per key in Redis, one key each (`tessera:nonce:<keyId>:<nonce>`), consumed by an
 * atomic script: exactly one of any number of concurrent callers, on any instance, gets true.
 * The consumes of one event-loop turn go to Redis together, in one script call, so a busy
 * server pays a fraction of a round trip per request.
 */
export class RedisNonceStore implements NonceStore {
  readonly #client: Redis
  readonly #prefix: string
  #pending: PendingNonce[] = []

  constructor(client: Redis, options: RedisStoreOptions = {}) {
    this.#client = client
    this.#prefix = `${options.keyPrefix ?? DEFAULT_KEY_PREFIX}nonce:`
  }

  consume(keyId: string, nonce: string, expiresAt: number, now: number): Promise<boolean> {
    const ttlMs = Math.max(1, expiresAt - now + EXPIRY_GRACE_MS)
    const key = `${this.#prefix}${keyId}:${nonce}`
    return new Promise((settle, fail) => {
      if (this.#pending.length === 0) setImmediate(() => this.#flush())
      this.#pending.push({ key, expiresAt, ttlMs, now, settle, fail })
    })
  }

  #flush(): void {
    const batch = this.#pending
    this.#pending = []
    for (let i = 0; i < batch.length; i += MAX_BATCH) this.#consumeBatch(batch.slice(i, i + MAX_BATCH))
  }

  #consumeBatch(batch: PendingNonce[]): void {
    const keys: string[] = []
    const args: (string | number)[] = []
    for (const item of batch) {
      keys.push(item.key)
      args.push(String(item.expiresAt), String(item.now), item.ttlMs)
    }
    failClosed(this.#client, 'nonces.consume', () => CONSUME_BATCH.run(this.#client, keys, args)).then(
      (answers) => {
        const consumed = answers as number[]
        for (let i = 0; i < batch.length; i++) batch[i]!.settle(consumed[i] === 1)
      },
      (error: unknown) => {
        for (const item of batch) item.fail(error)
      },
    )
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
