import { StoreUnavailableError } from '../../core/errors.ts'

/**
 * Runs one store operation and turns any failure of the database (refused connection,
 * timeout, exhausted pool, closed handle) into StoreUnavailableError, so callers answer
 * 503 and never let a request through. The driver's error stays as `cause` for the logs;
 * the message names only the operation.
 */
export async function failClosed<T>(operation: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work()
  } catch (error) {
    if (error instanceof StoreUnavailableError) throw error
    throw new StoreUnavailableError(`SQL store failed: ${operation}`, { cause: error })
  }
}

// SQLITE_CONSTRAINT_UNIQUE and SQLITE_CONSTRAINT_PRIMARYKEY extended result codes.
const SQLITE_UNIQUE_CODES = new Set([2067, 1555])

/** A UNIQUE or PRIMARY KEY violation, in each dialect's own words. */
export function isUniqueViolation(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false
  const e = error as { code?: unknown; errno?: unknown; errcode?: unknown; message?: unknown }
  if (e.code === '23505') return true // PostgreSQL unique_violation
  if (e.code === 'ER_DUP_ENTRY' || e.errno === 1062) return true // MySQL / MariaDB
  if (typeof e.errcode === 'number' && SQLITE_UNIQUE_CODES.has(e.errcode)) return true
  return typeof e.message === 'string' && /^(UNIQUE|PRIMARY KEY) constraint failed/.test(e.message)
}

/** Runs `work`, answering `taken` instead when it hits a unique constraint; other errors pass on. */
export async function orWhenTaken<T, U>(work: () => Promise<T>, taken: U): Promise<T | U> {
  try {
    return await work()
  } catch (error) {
    if (isUniqueViolation(error)) return taken
    throw error
  }
}
