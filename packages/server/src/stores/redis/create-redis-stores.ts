import type { Redis } from 'ioredis'
import type { NonceStore, RateLimitStore, Stores } from '../../core/stores.ts'
import { type ConnectRedisOptions, connectRedis } from './connect-redis.ts'
import { RedisNonceStore } from './redis-nonce-store.ts'
import { RedisRateLimitStore } from './redis-rate-limit-store.ts'
import { RedisRevocationBus, type RedisRevocationBusOptions } from './redis-revocation-bus.ts'
import type { RedisStoreOptions } from './redis-store-options.ts'

export interface RedisStores {
  nonces: NonceStore
  rateLimits: RateLimitStore
  revocations: RedisRevocationBus
  /** Closes the bus's subscriber connection, then the client (once). */
  close(): Promise<void>
}

/** Where the keys live, how the connection behaves, and how long revocations wait for acknowledgements. */
export interface WithRedisOptions
  extends ConnectRedisOptions,
    RedisStoreOptions,
    Pick<RedisRevocationBusOptions, 'ackTimeoutMs' | 'instanceId'> {}

/** The Redis-backed stores on `client` (best made by `connectRedis`), which they own and close. */
export function createRedisStores(
  client: Redis,
  options: RedisStoreOptions & Pick<WithRedisOptions, 'onError' | 'ackTimeoutMs' | 'instanceId'> = {},
): RedisStores {
  const revocations = new RedisRevocationBus(client, options)
  let closed: Promise<void> | undefined
  return {
    nonces: new RedisNonceStore(client, options),
    rateLimits: new RedisRateLimitStore(client, options),
    revocations,
    close() {
      closed ??= revocations.close().then(() => closeClient(client))
      return closed
    },
  }
}

/**
 * Several instances sharing the load: the SQL stores, with the short-lived shared state
 * (nonces, rate-limit counters) in Redis and revocations fanned out over Redis pub/sub.
 * `close()` closes the Redis connections, then the SQL stores.
 */
export function withRedis(sqlStores: Stores, redisUrl: string, options: WithRedisOptions = {}): Stores {
  const redis = createRedisStores(connectRedis(redisUrl, options), options)
  return {
    ...sqlStores,
    nonces: redis.nonces,
    rateLimits: redis.rateLimits,
    revocations: redis.revocations,
    async close() {
      try {
        await redis.close()
      } finally {
        await sqlStores.close()
      }
    },
  }
}

/** QUIT lets replies in flight arrive; when Redis is not there to answer, just drop the socket. */
async function closeClient(client: Redis): Promise<void> {
  if (client.status === 'ready') {
    try {
      await client.quit()
      return
    } catch {
      // Fall through: the connection is going anyway.
    }
  }
  client.disconnect()
}
