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
  return error instanceof TesseraError && (error.status === 401 || error.code === 'forbidden')
}
