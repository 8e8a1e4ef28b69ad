/**
 * The one catalogue of expected failures. Every code is stable (clients switch on it),
 * has one status and a generic title that reveals nothing about internals.
 * docs/errors.md lists the same codes; a test keeps the two in step.
 */
export const ERRORS = {
  unauthenticated: { status: 401, title: 'Authentication required' },
  invalid_credentials: { status: 401, title: 'Invalid email or password' },
  session_expired: { status: 401, title: 'Session expired' },
  invalid_signature: { status: 401, title: 'Invalid request signature' },
  stale_signature: { status: 401, title: 'Signature is not fresh' },
  replayed_signature: { status: 401, title: 'Request was already used' },
  unknown_key: { status: 401, title: 'Unknown or revoked key' },
  session_refresh_required: { status: 401, title: 'Device-bound session needs a refresh' },
  invalid_session_proof: { status: 401, title: 'Invalid device-bound session proof' },
  invalid_session_challenge: { status: 401, title: 'Unknown, expired or used session challenge' },
  reauth_required: { status: 401, title: 'Please confirm it is you' },
  reauth_failed: { status: 401, title: 'Re-authentication failed' },
  mfa_required: { status: 401, title: 'Second factor required' },
  invalid_mfa_code: { status: 401, title: 'Invalid or already used code' },
  invalid_challenge: { status: 401, title: 'Challenge unknown, used or expired' },
  invalid_passkey: { status: 401, title: 'Passkey not accepted' },
  unknown_passkey: { status: 401, title: 'Unknown passkey' },
  passkey_cloned: { status: 401, title: 'Passkey refused: its counter went backwards' },
  passkey_taken: { status: 409, title: 'This passkey is already registered' },
  mfa_enrolment_required: { status: 403, title: 'Set up a second factor first' },
  mfa_already_enabled: { status: 409, title: 'A second factor is already enabled' },
  mfa_not_enabled: { status: 409, title: 'No second factor is enabled' },
  forbidden: { status: 403, title: 'Access denied' },
  csrf_failed: { status: 403, title: 'Cross-site request refused' },
  registration_closed: { status: 403, title: 'Registration is closed' },
  validation_failed: { status: 400, title: 'Invalid request' },
  token_invalid: { status: 400, title: 'This link or code is not valid' },
  email_unverified: { status: 403, title: 'Email address not verified' },
  token_expired: { status: 410, title: 'This link has expired' },
  token_used: { status: 410, title: 'This link was already used' },
  not_found: { status: 404, title: 'Not found' },
  user_disabled: { status: 409, title: 'This account is disabled' },
  method_not_allowed: { status: 405, title: 'Method not allowed' },
  email_taken: { status: 409, title: 'An account with this email already exists' },
  payload_too_large: { status: 413, title: 'Request body too large' },
  unsupported_media_type: { status: 415, title: 'Unsupported media type' },
  rate_limited: { status: 429, title: 'Too many requests' },
  sso_state_invalid: { status: 400, title: 'Sign-in link is invalid, used or expired' },
  sso_token_invalid: { status: 401, title: 'The identity provider sign-in could not be verified' },
  sso_account_refused: { status: 403, title: 'This identity provider account cannot sign in here' },
  sso_required: { status: 403, title: 'Sign in with your identity provider' },
  sso_exchange_invalid: { status: 400, title: 'Sign-in code is invalid, used or expired' },
  sso_unavailable: { status: 503, title: 'Identity provider unavailable' },
  internal_error: { status: 500, title: 'Internal error' },
  service_unavailable: { status: 503, title: 'Service unavailable' },
} as const satisfies Record<string, { status: number; title: string }>

export type ErrorCode = keyof typeof ERRORS

export const ERROR_CODES = Object.keys(ERRORS) as ErrorCode[]

/** One problem in a `validation_failed` answer: where, and what is wrong, in words a user can act on. */
export interface FieldError {
  /** JSON pointer-like location, e.g. `/body/password`. */
  path: string
  message: string
}

/** Extra members a problem may carry. Never internals, never secrets. */
export interface ProblemExtras {
  detail?: string
  errors?: FieldError[]
  /** `stale_signature`: the server's clock in Unix seconds, for skew correction. */
  serverTime?: number
  /** `rate_limited` / `service_unavailable`: seconds, also sent as `Retry-After`. */
  retryAfter?: number
  /** `reauth_required`: the proofs the caller may re-authenticate with (`password`, `totp`, `passkey`). */
  methods?: string[]
  /** `mfa_required`: the short-lived, single-use challenge for the second step, and its expiry (ISO 8601). */
  challenge?: string
  challengeExpiresAt?: string
}

export interface ProblemBody extends ProblemExtras {
  type: string
  title: string
  status: number
  code: ErrorCode
}

/** A finished error response as data; adapters write it (RFC 9457 problem+json). */
export interface Problem {
  status: number
  headers: Record<string, string>
  body: ProblemBody
}

/** The challenge sent with every 401 (RFC 9110 §11.6.1): both schemes Tessera accepts. */
export const WWW_AUTHENTICATE = 'Cookie realm="tessera", Signature realm="tessera", tag="tessera"'

export function toProblem(code: ErrorCode, extras: ProblemExtras = {}): Problem {
  const { status, title } = ERRORS[code]
  const headers: Record<string, string> = {
    'content-type': 'application/problem+json; charset=utf-8',
    'cache-control': 'no-store',
  }
  if (status === 401) headers['www-authenticate'] = WWW_AUTHENTICATE
  if (extras.retryAfter !== undefined)
    headers['retry-after'] = String(Math.max(1, Math.ceil(extras.retryAfter)))
  return { status, headers, body: { type: 'about:blank', title, status, code, ...extras } }
}

/** Thrown by route code for an expected failure; adapters turn it into its problem. */
export class ProblemError extends Error {
  readonly code: ErrorCode
  readonly extras: ProblemExtras

  constructor(code: ErrorCode, extras: ProblemExtras = {}) {
    super(ERRORS[code].title)
    this.name = 'ProblemError'
    this.code = code
    this.extras = extras
  }

  get status(): number {
    return ERRORS[this.code].status
  }

  toProblem(): Problem {
    return toProblem(this.code, this.extras)
  }
}

/** A store (database, Redis) failed or timed out. Always answered 503: fail closed, never open. */
export class StoreUnavailableError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options)
    this.name = 'StoreUnavailableError'
  }
}
