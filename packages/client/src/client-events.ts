import type { TesseraError } from './tessera-error.ts'

/**
 * - `unauthenticated`: a 401 to a call that carried a credential (none, revoked, unknown key);
 *   a login step's 401 (wrong password, `mfa_required`, wrong code) lost nothing and is no event;
 * - `expired`: the session ran out (`session_expired`);
 * - `forbidden`: a 403 `forbidden` (the role is too low);
 * - `rate-limited`: a 429; `error.retryAfter` says how long to wait;
 * - `reauth-required`: the action needs a fresh proof of the user (`reauth_required`): ask for
 *   it, `client.reauthenticate(…)`, then retry the action.
 */
export type ClientEvent = 'unauthenticated' | 'forbidden' | 'expired' | 'rate-limited' | 'reauth-required'

export type ClientEventHandler = (error: TesseraError) => void

/** Which event, if any, an error announces to the app. */
export function eventFor(error: TesseraError): ClientEvent | undefined {
  if (error.code === 'session_expired') return 'expired'
  if (error.code === 'reauth_required') return 'reauth-required'
  if (error.status === 401) return 'unauthenticated'
  if (error.code === 'forbidden') return 'forbidden'
  if (error.status === 429) return 'rate-limited'
  return undefined
}

/**
 * Per-client listeners instead of a global AJAX hook. A throwing handler is reported and
 * does not stop the others, nor turn the call's own error into a different one.
 */
export class ClientEvents {
  readonly #handlers = new Map<ClientEvent, Set<ClientEventHandler>>()

  on(event: ClientEvent, handler: ClientEventHandler): () => void {
    const set = this.#handlers.get(event) ?? new Set()
    this.#handlers.set(event, set)
    set.add(handler)
    return () => void set.delete(handler)
  }

  emit(event: ClientEvent, error: TesseraError): void {
    for (const handler of [...(this.#handlers.get(event) ?? [])]) {
      try {
        handler(error)
      } catch (failure) {
        console.error('tessera: event handler failed', failure)
      }
    }
  }
}
