import { StoreUnavailableError } from '@tessera/server'

/** Driver error codes that mean "the database is not reachable or not answering", not "bad query". */
const OUTAGE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'ER_CON_COUNT_ERROR',
  'ERR_INVALID_STATE',
  // PostgreSQL SQLSTATE classes 08 (connection) and 57P (operator intervention), 53300 too many connections.
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
  '57P01',
  '57P02',
  '57P03',
  '53300',
])

/** SQLITE_BUSY and SQLITE_LOCKED: another connection held the lock past the busy timeout. */
const SQLITE_OUTAGE_ERRCODES = new Set([5, 6])

/** pg, mysql2 and Kysely report pool, connect and shutdown failures without a code. */
const OUTAGE_MESSAGES =
  /timeout exceeded when trying to connect|connection terminated|queue limit reached|database is (not open|locked)|pool is closed|driver has already been destroyed/i

function isOutage(error: unknown): boolean {
  if (!(error instanceof Error)) return false
  const code = (error as NodeJS.ErrnoException).code
  if (typeof code === 'string' && OUTAGE_CODES.has(code)) return true
  if (SQLITE_OUTAGE_ERRCODES.has((error as { errcode?: number }).errcode ?? -1)) return true
  if (error instanceof AggregateError) return error.errors.some(isOutage)
  return OUTAGE_MESSAGES.test(error.message)
}

/** Runs a database call; an outage becomes StoreUnavailableError (answered 503: fail closed). */
export async function guardOutage<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work()
  } catch (error) {
    if (isOutage(error)) throw new StoreUnavailableError('employee store unavailable', { cause: error })
    throw error
  }
}
