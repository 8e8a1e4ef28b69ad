/**
 * The server's stable problem codes (DESIGN §5, `packages/server/src/core/errors.ts`), so
 * callers can `switch` on `error.code`. A test keeps this list equal to the server's.
 */
export const PROBLEM_CODES = [
  'unauthenticated',
  'invalid_credentials',
  'session_expired',
  'invalid_signature',
  'stale_signature',
  'replayed_signature',
  'unknown_key',
  'session_refresh_required',
  'invalid_session_proof',
  'invalid_session_challenge',
  'reauth_required',
  'reauth_failed',
  'mfa_required',
  'invalid_mfa_code',
  'invalid_challenge',
  'invalid_passkey',
  'unknown_passkey',
  'passkey_cloned',
  'passkey_taken',
  'mfa_enrolment_required',
  'mfa_already_enabled',
  'mfa_not_enabled',
  'forbidden',
  'csrf_failed',
  'registration_closed',
  'validation_failed',
  'token_invalid',
  'email_unverified',
  'token_expired',
  'token_used',
  'not_found',
  'user_disabled',
  'method_not_allowed',
  'email_taken',
  'payload_too_large',
  'unsupported_media_type',
  'rate_limited',
  'sso_state_invalid',
  'sso_token_invalid',
  'sso_account_refused',
  'sso_required',
  'sso_exchange_invalid',
  'sso_unavailable',
  'internal_error',
  'service_unavailable',
] as const

export type ProblemCode = (typeof PROBLEM_CODES)[number]

/** Failures the client detects itself: no answer at all, or an answer that is not what the API sends. */
export type ClientCode = 'network_error' | 'invalid_response'

export type TesseraErrorCode = ProblemCode | ClientCode
