import { ProblemError } from '@tessera/server'
import { MAX_ID } from './employee-schemas.ts'
import { parseTimestamp } from './parse-timestamp.ts'

/**
 * The id from a path already matched against `^[1-9][0-9]{0,9}$` by the schema; the range is
 * checked here because a pattern for "at most 2147483647" would be unreadable in an error.
 */
export function idFrom(text: string): number {
  const id = Number(text)
  if (!Number.isSafeInteger(id) || id < 1 || id > MAX_ID) {
    throw new ProblemError('validation_failed', {
      errors: [{ path: '/params/id', message: `must be an integer from 1 to ${MAX_ID}` }],
    })
  }
  return id
}

/** Epoch milliseconds from the `:timestamp` segment, or a 400 that says what is accepted. */
export function timestampFrom(text: string): number {
  const ms = parseTimestamp(text)
  if (ms === undefined) {
    throw new ProblemError('validation_failed', {
      errors: [{ path: '/params/timestamp', message: 'must be Unix seconds or an ISO-8601 date-time' }],
    })
  }
  return ms
}
