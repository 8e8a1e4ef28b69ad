import type { Kysely } from 'kysely'
import type { NonceStore } from '../../core/stores.ts'
import { dialectOfKysely } from '../../db/index.ts'
import { failClosed, orWhenTaken } from './fail-closed.ts'
import type { AuthTables } from './schema.ts'

/**
 * Nonces per key, each until its expiry. A nonce is consumed by exactly one of any number
 * of concurrent callers; an expired record may be consumed again.
 */
export class SqlNonceStore implements NonceStore {
  readonly #db: Kysely<AuthTables>
  readonly #mysql: boolean

  constructor(db: Kysely<AuthTables>) {
    this.#db = db
    this.#mysql = dialectOfKysely(db as Kysely<unknown>) === 'mysql'
  }

  consume(keyId: string, nonce: string, expiresAt: number, now: number): Promise<boolean> {
    return failClosed('nonces.consume', () =>
      this.#mysql
        ? this.#consumeMysql(keyId, nonce, expiresAt, now)
        : this.#consumeUpsert(keyId, nonce, expiresAt, now),
    )
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
   * SQLite and PostgreSQL: one statement. The row comes back when it was inserted, or when it
   * existed but had expired and was renewed; a live record makes the WHERE false: no row.
   */
  async #consumeUpsert(keyId: string, nonce: string, expiresAt: number, now: number): Promise<boolean> {
    const row = await this.#db
      .insertInto('tessera_nonce')
      .values({ key_id: keyId, nonce, expires_at: expiresAt })
      .onConflict((oc) =>
        oc
          .columns(['key_id', 'nonce'])
          .doUpdateSet({ expires_at: (eb) => eb.ref('excluded.expires_at') })
          .where('tessera_nonce.expires_at', '<=', now),
      )
      .returning('key_id')
      .executeTakeFirst()
    return row !== undefined
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
