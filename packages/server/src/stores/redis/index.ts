export { type ConnectRedisOptions, connectRedis } from './connect-redis.ts'
export {
  createRedisStores,
  type RedisStores,
  type WithRedisOptions,
  withRedis,
} from './create-redis-stores.ts'
export { failClosed } from './fail-closed.ts'
export { parseRevocationEvent, serializeRevocationEvent } from './parse-revocation-event.ts'
export { RedisNonceStore } from './redis-nonce-store.ts'
export { RedisRateLimitStore } from './redis-rate-limit-store.ts'
export { RedisRevocationBus, type RedisRevocationBusOptions } from './redis-revocation-bus.ts'
export { RedisScript } from './redis-script.ts'
export { DEFAULT_KEY_PREFIX, EXPIRY_GRACE_MS, type RedisStoreOptions } from './redis-store-options.ts'
export { whenReady } from './when-ready.ts'
