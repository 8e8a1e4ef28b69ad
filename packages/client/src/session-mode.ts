import type { AuthMode, CallFlags, GetJson, LoginPlan } from './auth-mode.ts'
import type { OutgoingRequest } from './outgoing-request.ts'
import { TesseraError } from './tessera-error.ts'

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

/**
 * Session mode (the SPA on the API's own site): the browser sends the HttpOnly cookie, the
 * client adds `X-CSRF-Token` to unsafe methods. The token lives in memory only; after a
 * reload it is fetched again from `GET /auth/csrf`, and once more on `csrf_failed`.
 */
export class SessionMode implements AuthMode {
  readonly credentials = 'include'
  readonly #getJson: GetJson
  #csrfToken: string | undefined

  constructor(getJson: GetJson) {
    this.#getJson = getJson
  }

  async authorize(request: OutgoingRequest, flags: CallFlags): Promise<void> {
    if (SAFE_METHODS.has(request.method)) return
    this.#csrfToken ??= await this.#fetchToken(flags)
    request.headers.set('x-csrf-token', this.#csrfToken)
  }

  async recover(error: TesseraError, flags: CallFlags): Promise<boolean> {
    // A device-bound (DBSC) session whose bound cookie ran out as the request left: by the retry
    // the browser has noticed the missing cookie and renewed it with its key.
    if (error.code === 'session_refresh_required') return true
    if (error.code !== 'csrf_failed') return false
    this.#csrfToken = await this.#fetchToken(flags)
    return true
  }

  async planLogin(): Promise<LoginPlan> {
    return {
      fields: {},
      finish: async (answer) => {
        this.#csrfToken = typeof answer.csrfToken === 'string' ? answer.csrfToken : undefined
      },
    }
  }

  isLost(error: TesseraError): boolean {
    return error.code === 'session_expired' || error.code === 'unauthenticated'
  }

  async isCurrent(): Promise<boolean> {
    // The session id is not known to script; the server clears its cookie itself.
    return false
  }

  async forget(): Promise<void> {
    this.#csrfToken = undefined
  }

  async #fetchToken(flags: CallFlags): Promise<string> {
    const answer = (await this.#getJson('/auth/csrf', flags)) as { csrfToken?: unknown } | undefined
    if (typeof answer?.csrfToken === 'string') return answer.csrfToken
    throw new TesseraError('invalid_response', { status: 200, detail: 'no CSRF token in the answer' })
  }
}
