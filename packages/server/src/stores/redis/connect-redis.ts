import type { Redis } from 'ioredis'
import { TesseraConfigError } from '../../core/config-error.ts'
import { requireOptional } from '../../node/optional-package.ts'

export interface ConnectRedisOptions {
  /** How long one connection attempt may take before it counts as failed (default 2 s). */
  connectTimeoutMs?: number
  /** How long one command may wait for its reply before it fails (default 1 s). */
  commandTimeoutMs?: number
  /** The longest pause between reconnection attempts (default 2 s). */
  maxReconnectDelayMs?: number
  /** Hears connection errors (for logs); they are never thrown: calls fail on their own. */
  onError?: (error: Error) => void
}

/** First reconnection pause; doubles per attempt up to `maxReconnectDelayMs`. */
const FIRST_RECONNECT_DELAY_MS = 50

/**
 * An ioredis client that fails closed within bounded time: no offline queue (a command sent
 * while Redis is down fails at once instead of waiting in memory), no retries or re-sends of a
 * command that failed (a late write after its caller was answered 503 helps nobody), a timeout
 * on every command, and reconnection forever with capped backoff, so it heals by itself.
 */
export function connectRedis(url: string, options: ConnectRedisOptions = {}): Redis {
  checkRedisUrl(url)
  const { Redis } = requireOptional<typeof import('ioredis')>('ioredis', 'REDIS_URL is set')
  const maxDelay = options.maxReconnectDelayMs ?? 2_000
  const client = new Redis(url, {
    connectTimeout: options.connectTimeoutMs ?? 2_000,
    commandTimeout: options.commandTimeoutMs ?? 1_000,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    autoResendUnfulfilledCommands: false,
    retryStrategy: (times) => Math.min(FIRST_RECONNECT_DELAY_MS * 2 ** Math.min(times, 16), maxDelay),
  })
  listenForErrors(client, options.onError)
  return client
}

/** Without an `error` listener ioredis reports every failed reconnection on the console. */
export function listenForErrors(client: Redis, onError: ((error: Error) => void) | undefined): void {
  client.on('error', (error: Error) => onError?.(error))
}

/** ioredis takes a mistyped URL for a host name and retries it forever: refuse it at start instead. */
function checkRedisUrl(url: string): void {
  if (!/^rediss?:\/\//i.test(url) || !URL.canParse(url)) {
    const shown = url.replace(/\/\/([^:/@]*):.*@/, '//$1:***@')
    throw new TesseraConfigError(
      `Tessera: REDIS_URL ${shown} is not a Redis URL; write redis://host:6379/0 (or rediss:// for TLS)`,
    )
  }
}
