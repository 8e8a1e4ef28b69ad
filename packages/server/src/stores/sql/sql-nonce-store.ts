import type { Kysely } from 'kysely'
import type { NonceStore } from '../../core/stores.ts'
import { dialectOfKysely } from '../../db/index.ts'
import { failClosed, orWhenTaken } from './fail-closed.ts'
import type { AuthTables } from './schema.ts'

interface PendingNonce {
  keyId: string
  nonce: string
  expiresAt: number
  now: number
  settle: (consumed: boolean) => void
  fail: (error: unknown) => void
}

/** Rows per batched statement: 3 parameters each, far below SQLite's and PostgreSQL's limits. */
const MAX_BATCH = 500

/**
 * Nonces per key, each until its expiry. A nonce is consumed by exactly one of any number
 * of concurrent callers; an expired record may be consumed again.
 *
 * On SQLite and PostgreSQL, the consumes of one event-loop turn are written together in one
 * statement (group commit): every caller still waits until its nonce is stored, but a busy
 * server pays one statement per batch instead of one per request.
 */
export class SqlNonceStore implements NonceStore {
  readonly #db: Kysely<AuthTables>
  readonly #mysql: boolean
  #pending: PendingNonce[] = []

  constructor(db: Kysely<AuthTables>) {
    this.#db = db
    this.#mysql = dialectOfKysely(db as Kysely<unknown>) === 'mysql'
  }

  consume(keyId: string, nonce: string, expiresAt: number, now: number): Promise<boolean> {
    if (this.#mysql)
      return failClosed('nonces.consume', () => this.#consumeMysql(keyId, nonce, expiresAt, now))
    return new Promise((settle, fail) => {
      if (this.#pending.length === 0) setImmediate(() => this.#flush())
      this.#pending.push({ keyId, nonce, expiresAt, now, settle, fail })
    })
  }

  #flush(): void {
    const batch = this.#pending
    this.#pending = []
    for (let i = 0; i < batch.length; i += MAX_BATCH) {
      const part = batch.slice(i, i + MAX_BATCH)
      failClosed('nonces.consume', () => this.#consumeBatch(part)).catch((error: unknown) => {
        for (const item of part) item.fail(error)
      })
    }
  }

  deleteExpired(now: number): Promise<number> {
    return failClosed('nonces.deleteExpired', async () => {
      const result = await this.#db
        .deleteFrom('tessera_nonce')
        .where('expires_at', '<=', now)
        .executeTakeFirst()
      return Number(result.numDeletedRows)
    })
  }

  /**
   * SQLite and PostgreSQL: one statement for the batch. A row comes back when it was inserted,
   * or when it existed but had expired and was renewed; a live record makes the WHERE false:
   * no row. The same nonce twice in one batch is a replay of the first.
   */
  async #consumeBatch(batch: PendingNonce[]): Promise<void> {
    const first = new Map<string, PendingNonce>()
    for (const item of batch) {
      const id = `${item.keyId}\u0000${item.nonce}`
      if (first.has(id)) item.settle(false)
      else first.set(id, item)
    }
    const items = [...first.values()]
    const now = Math.min(...items.map((i) => i.now))
    const rows = await this.#db
      .insertInto('tessera_nonce')
      .values(items.map((i) => ({ key_id: i.keyId, nonce: i.nonce, expires_at: i.expiresAt })))
      .onConflict((oc) =>
        oc
          .columns(['key_id', 'nonce'])
          .doUpdateSet({ expires_at: (eb) => eb.ref('excluded.expires_at') })
          .where('tessera_nonce.expires_at', '<=', now),
      )
      .returning(['key_id', 'nonce'])
      .execute()
    const stored = new Set(rows.map((r) => `${r.key_id}\u0000${r.nonce}`))
    for (const [id, item] of first) item.settle(stored.has(id))
  }

  /**
   * MySQL/MariaDB: mysql2 connects with CLIENT_FOUND_ROWS, so `ON DUPLICATE KEY UPDATE` reports
   * 1 affected row both for an insert and for an unchanged (replayed) row: it cannot tell them
   * apart. Instead: a plain INSERT (the fresh, common case: one statement), and on a duplicate
   * key a conditional UPDATE that matches only an expired record. InnoDB re-reads the row under
   * its lock, so of concurrent renewals exactly one matches.
   */
  async #consumeMysql(keyId: string, nonce: string, expiresAt: number, now: number): Promise<boolean> {
    const insert = this.#db
      .insertInto('tessera_nonce')
      .values({ key_id: keyId, nonce, expires_at: expiresAt })
    const inserted = await orWhenTaken(() => insert.execute().then(() => true), false)
    if (inserted) return true
    const result = await this.#db
      .updateTable('tessera_nonce')
      .set({ expires_at: expiresAt })
      .where('key_id', '=', keyId)
      .where('nonce', '=', nonce)
      .where('expires_at', '<=', now)
      .executeTakeFirst()
    return result.numUpdatedRows > 0n
  }
}
