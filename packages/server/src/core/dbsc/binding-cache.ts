import type { DbscBinding, DbscStore } from '../stores.ts'

/** How long a pending binding (its registration still possible) is trusted before it is read again. */
export const PENDING_RECHECK_MS = 5_000
const MAX_ENTRIES = 50_000

interface Entry {
  binding: DbscBinding | undefined
  /** Epoch ms after which it is read again; Infinity for a final state. */
  until: number
}

/**
 * A session's binding state, read from the store without a query per request. Two states are
 * final and kept: bound (a key is never unbound while the session lives) and unbindable (no key,
 * and the registration challenge, which lives `challengeMs` from the login, has expired). A
 * pending state is re-read every few seconds, so another instance's registration is seen within
 * `PENDING_RECHECK_MS`: far less than the bound cookie's own lifetime, the window a copied cookie
 * set is usable anyway. Without this, every request of every unbound browser would cost a query.
 */
export class BindingCache {
  readonly #store: DbscStore
  readonly #challengeMs: number
  readonly #entries = new Map<string, Entry>()

  constructor(store: DbscStore, challengeMs: number) {
    this.#store = store
    this.#challengeMs = challengeMs
  }

  /** The remembered state, without waiting: `null` when it must be read (`find`). */
  cached(sessionId: string, now: number): DbscBinding | undefined | null {
    const entry = this.#entries.get(sessionId)
    return entry !== undefined && now < entry.until ? entry.binding : null
  }

  async find(sessionId: string, sessionCreatedAt: number, now: number): Promise<DbscBinding | undefined> {
    const cached = this.cached(sessionId, now)
    if (cached !== null) return cached
    const binding = await this.#store.find(sessionId)
    const final = binding?.publicJwk != null || now > sessionCreatedAt + this.#challengeMs
    this.remember(sessionId, binding, final ? Number.POSITIVE_INFINITY : now + PENDING_RECHECK_MS)
    return binding
  }

  remember(sessionId: string, binding: DbscBinding | undefined, until = Number.POSITIVE_INFINITY): void {
    this.#entries.delete(sessionId)
    if (this.#entries.size >= MAX_ENTRIES) {
      const oldest = this.#entries.keys().next()
      if (!oldest.done) this.#entries.delete(oldest.value)
    }
    this.#entries.set(sessionId, { binding, until })
  }
}
