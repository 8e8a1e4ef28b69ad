import type { ErrorCode } from '../errors.ts'
import { type JsonSchema, objectSchema } from './endpoint.ts'

/** A mailed account token (reset, invitation, email change): 32 random bytes, base64url. */
export const TOKEN: JsonSchema = { type: 'string', pattern: '^[A-Za-z0-9_-]{43}$' }

/** A body of just a token. */
export const TOKEN_BODY = objectSchema({ token: TOKEN }, ['token'])

/** What every endpoint that spends or reads a token may answer, besides its own codes. */
export const TOKEN_ERRORS: readonly ErrorCode[] = Object.freeze([
  'validation_failed',
  'token_invalid',
  'token_expired',
  'token_used',
  'csrf_failed',
  'rate_limited',
])
