import type { Redis } from 'ioredis'
import { StoreUnavailableError } from '../../core/errors.ts'
import { whenReady } from './when-ready.ts'

/** Fallback bound on waiting for a connection attempt, when the client does not say its own. */
const DEFAULT_READY_TIMEOUT_MS = 2_000

/**
 * Runs one store operation on `client` once it is ready, and turns any failure (refused or
 * lost connection, command timeout, Redis error) into StoreUnavailableError, so callers
 * answer 503 and never let a request through. The client's error stays as `cause` for the
 * logs; the message names only the operation.
 */
export async function failClosed<T>(client: Redis, operation: string, work: () => Promise<T>): Promise<T> {
  try {
    await whenReady(client, client.options.connectTimeout ?? DEFAULT_READY_TIMEOUT_MS)
    return await work()
  } catch (error) {
    if (error instanceof StoreUnavailableError) throw error
    throw new StoreUnavailableError(`Redis store failed: ${operation}`, { cause: error })
  }
}
