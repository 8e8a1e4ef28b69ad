import type { TesseraLogger } from './logger.ts'
import type { AuditEvent, AuditEventName, AuditStore } from './stores.ts'

export interface AuditContext {
  userId?: number | null
  credentialId?: string | null
  ip?: string | null
  detail?: AuditEvent['detail']
}

/**
 * Writes security events to the audit table and to the structured log (OWASP Logging
 * Cheat Sheet, ASVS 5.0 V16). Callers pass ids and reason codes only: never a password,
 * token, secret or signature. A failing audit write is logged and does not turn a
 * refusal into an acceptance or an acceptance into a 500.
 */
export class AuditLog {
  readonly #store: AuditStore
  readonly #logger: TesseraLogger | undefined
  readonly #now: () => number

  constructor(store: AuditStore, logger: TesseraLogger | undefined, now: () => number) {
    this.#store = store
    this.#logger = logger
    this.#now = now
  }

  record(event: AuditEventName, context: AuditContext = {}): Promise<void> {
    const entry: AuditEvent = {
      event,
      at: this.#now(),
      userId: context.userId ?? null,
      credentialId: context.credentialId ?? null,
      ip: context.ip ?? null,
      detail: context.detail ?? {},
    }
    this.#logger?.info({ audit: entry }, event)
    return this.#store.record(entry).catch((error: unknown) => {
      this.#logger?.error({ err: error, event }, 'audit write failed')
    })
  }
}
