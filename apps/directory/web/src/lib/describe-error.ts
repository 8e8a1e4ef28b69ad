import { TesseraError } from '@tessera/client'

function seconds(error: TesseraError, fallback: number): number {
  return error.retryAfter ?? fallback
}

const MESSAGES: Record<string, string> = {
  network_error: 'Could not reach the server. Check your connection and try again.',
  invalid_credentials: 'The email address or password is not right.',
  session_expired: 'Your session expired. Please log in again.',
  session_refresh_required:
    'This session is bound to the browser that logged in and could not be renewed. Please log in again.',
  unauthenticated: 'Please log in to continue.',
  forbidden: 'You do not have permission to do that.',
  csrf_failed: 'The request was refused by the CSRF check. Reload the page and try again.',
  not_found: 'Not found: it may have been deleted.',
  validation_failed: 'Some fields need attention.',
  email_taken: 'That email address already has an account.',
  registration_closed: 'Registration is closed on this server.',
  token_invalid: 'This link or code is not valid. Ask for a new mail.',
  token_expired: 'This link has expired. Ask for a new mail.',
  token_used: 'This link was already used (or too many codes were tried). Ask for a new mail.',
  email_unverified: 'Confirm your email address first: follow the link in the mail we sent you.',
  invalid_response: 'The server sent an answer this app cannot read.',
  sso_required: 'People with this email address sign in with their identity provider: use the button below.',
  reauth_required: 'Please confirm it is you to do that.',
  reauth_failed: 'That password or code is not right.',
  invalid_mfa_code: 'That code is not right, or was already used. Wait for the next code and try again.',
  invalid_challenge: 'This sign-in took too long or was already used. Please log in again.',
  mfa_enrolment_required:
    'Your role needs a second factor: set up an authenticator app on your account page.',
  mfa_already_enabled: 'An authenticator app is already set up.',
  mfa_not_enabled: 'No authenticator app is set up.',
}

/** One sentence for the user about a failed call: what happened and what to do. */
export function describeError(error: unknown): string {
  if (!(error instanceof TesseraError)) return 'Something went wrong. Please try again.'
  if (error.status === 0) return MESSAGES.network_error as string
  if (error.status === 429) return `Too many attempts. Try again in ${seconds(error, 60)} s.`
  if (error.status === 503) return `The server is unavailable right now. Try again in ${seconds(error, 5)} s.`
  return MESSAGES[error.code] ?? 'Something went wrong on the server. Please try again.'
}

/**
 * Whether the app already answered this failure by changing page: a 401 goes to the login
 * view, a 403 `forbidden` to the denied view (the Backbone adapter's fallback routing).
 */
export function isRedirected(error: unknown): boolean {
  // A refused proof (`reauth_required`, a wrong code) keeps the user on the page.
  const stays = new Set([
    'reauth_required',
    'reauth_failed',
    'invalid_mfa_code',
    'invalid_challenge',
    'mfa_required',
  ])
  if (error instanceof TesseraError && stays.has(error.code)) return false
  return error instanceof TesseraError && (error.status === 401 || error.code === 'forbidden')
}
