import type { Kysely, Selectable, UpdateQueryBuilder, UpdateResult } from 'kysely'
import type { AccountTokenRecord, AccountTokenStore, TokenEnd, TokenPurpose } from '../../core/stores.ts'
import { dialectOfKysely } from '../../db/index.ts'
import { failClosed } from './fail-closed.ts'
import type { AccountTokenTable, AuthTables } from './schema.ts'

/** Ended or expired tokens stay this long (the admin's list shows used and expired invitations), then go. */
export const ENDED_TOKEN_GRACE_MS = 30 * 24 * 60 * 60 * 1000

type Row = Selectable<AccountTokenTable>
type TokenUpdate = UpdateQueryBuilder<
  AuthTables,
  'tessera_account_token',
  'tessera_account_token',
  UpdateResult
>

/** The one mapping from a row to a record; `Number()` because mysql2 may return bigints as strings. */
function toRecord(row: Row): AccountTokenRecord {
  return {
    id: row.id,
    purpose: row.purpose as TokenPurpose,
    userId: row.user_id === null ? null : Number(row.user_id),
    email: row.email,
    payload: row.payload,
    tokenHash: row.token_hash,
    codeHash: row.code_hash,
    attempts: Number(row.attempts),
    createdBy: row.created_by === null ? null : Number(row.created_by),
    createdAt: Number(row.created_at),
    expiresAt: Number(row.expires_at),
    endedAt: row.ended_at === null ? null : Number(row.ended_at),
    endReason: row.end_reason as TokenEnd | null,
  }
}

/**
 * Account tokens on SQL. Every consume is ONE conditional UPDATE (`… where ended_at is null and
 * expires_at > now`): the database's row lock makes exactly one of any number of concurrent
 * consumers (on any instance) match. PostgreSQL and SQLite return the row from the same
 * statement; MySQL has no RETURNING, so the winner (one affected row) reads it afterwards.
 */
export class SqlAccountTokenStore implements AccountTokenStore {
  readonly #db: Kysely<AuthTables>
  readonly #mysql: boolean

  constructor(db: Kysely<AuthTables>) {
    this.#db = db
    this.#mysql = dialectOfKysely(db as Kysely<unknown>) === 'mysql'
  }

  create(token: AccountTokenRecord): Promise<void> {
    return failClosed('accountTokens.create', async () => {
      await this.#db.transaction().execute(async (trx) => {
        let older = trx
          .updateTable('tessera_account_token')
          .set({ ended_at: token.createdAt, end_reason: 'superseded' })
          .where('purpose', '=', token.purpose)
          .where('ended_at', 'is', null)
        older =
          token.userId === null
            ? older.where('email', '=', token.email)
            : older.where('user_id', '=', token.userId)
        await older.execute()
        await trx
          .insertInto('tessera_account_token')
          .values({
            id: token.id,
            purpose: token.purpose,
            user_id: token.userId,
            email: token.email,
            payload: token.payload,
            token_hash: token.tokenHash,
            code_hash: token.codeHash,
            attempts: token.attempts,
            created_by: token.createdBy,
            created_at: token.createdAt,
            expires_at: token.expiresAt,
            ended_at: token.endedAt,
            end_reason: token.endReason,
          })
          .execute()
      })
    })
  }

  consume(tokenHash: string, purpose: TokenPurpose, now: number): Promise<AccountTokenRecord | undefined> {
    return failClosed('accountTokens.consume', () =>
      this.#endOne(
        (q) => q.where('token_hash', '=', tokenHash).where('purpose', '=', purpose),
        now,
        () => this.#byHash(tokenHash),
      ),
    )
  }

  consumeCode(userId: number, purpose: TokenPurpose, codeHash: string, maxAttempts: number, now: number) {
    return failClosed('accountTokens.consumeCode', async () => {
      const live = (q: TokenUpdate) =>
        q
          .where('user_id', '=', userId)
          .where('purpose', '=', purpose)
          .where('ended_at', 'is', null)
          .where('expires_at', '>', now)
      // Spend a guess first: whatever the concurrency, at most maxAttempts guesses are ever judged.
      const spent = await live(this.#db.updateTable('tessera_account_token'))
        .set((eb) => ({ attempts: eb(eb.ref('attempts'), '+', 1) }))
        .where('attempts', '<', maxAttempts)
        .where('code_hash', 'is not', null)
        .executeTakeFirst()
      if (spent.numUpdatedRows === 0n)
        return (await this.#exhaust(live, maxAttempts, now)) ? 'exhausted' : undefined
      const found = await this.#endOne(
        (q) => live(q).where('code_hash', '=', codeHash),
        now,
        () => this.#latest(userId, purpose),
      )
      if (found !== undefined) return found
      return (await this.#exhaust(live, maxAttempts, now)) ? 'exhausted' : undefined
    })
  }

  findByTokenHash(tokenHash: string): Promise<AccountTokenRecord | undefined> {
    return failClosed('accountTokens.findByTokenHash', () => this.#byHash(tokenHash))
  }

  revoke(id: string, purpose: TokenPurpose, now: number): Promise<boolean> {
    return failClosed('accountTokens.revoke', async () => {
      const result = await this.#db
        .updateTable('tessera_account_token')
        .set({ ended_at: now, end_reason: 'revoked' })
        .where('id', '=', id)
        .where('purpose', '=', purpose)
        .where('ended_at', 'is', null)
        .executeTakeFirst()
      return result.numUpdatedRows > 0n
    })
  }

  list(purpose: TokenPurpose, options: { limit: number }): Promise<AccountTokenRecord[]> {
    return failClosed('accountTokens.list', async () => {
      const rows = await this.#db
        .selectFrom('tessera_account_token')
        .selectAll()
        .where('purpose', '=', purpose)
        .orderBy('created_at', 'desc')
        .orderBy('id')
        .limit(options.limit)
        .execute()
      return rows.map(toRecord)
    })
  }

  deleteExpired(now: number): Promise<number> {
    const cutoff = now - ENDED_TOKEN_GRACE_MS
    return failClosed('accountTokens.deleteExpired', async () => {
      const result = await this.#db
        .deleteFrom('tessera_account_token')
        .where((eb) => eb.or([eb('ended_at', '<', cutoff), eb('expires_at', '<', cutoff)]))
        .executeTakeFirst()
      return Number(result.numDeletedRows)
    })
  }

  /** Ends, as `used`, the one live row `where` selects; answers it to the one caller whose UPDATE matched. */
  async #endOne(
    where: (q: TokenUpdate) => TokenUpdate,
    now: number,
    readBack: () => Promise<AccountTokenRecord | undefined>,
  ): Promise<AccountTokenRecord | undefined> {
    const update = where(this.#db.updateTable('tessera_account_token'))
      .set({ ended_at: now, end_reason: 'used' })
      .where('ended_at', 'is', null)
      .where('expires_at', '>', now)
    if (this.#mysql) {
      const result = await update.executeTakeFirst()
      return result.numUpdatedRows > 0n ? readBack() : undefined
    }
    const row = await update.returningAll().executeTakeFirst()
    return row === undefined ? undefined : toRecord(row)
  }

  /** Ends a live token whose guesses are all spent; true when there was one (the code is dead now). */
  async #exhaust(live: (q: TokenUpdate) => TokenUpdate, maxAttempts: number, now: number): Promise<boolean> {
    const result = await live(this.#db.updateTable('tessera_account_token'))
      .set({ ended_at: now, end_reason: 'exhausted' })
      .where('attempts', '>=', maxAttempts)
      .executeTakeFirst()
    return result.numUpdatedRows > 0n
  }

  async #byHash(tokenHash: string): Promise<AccountTokenRecord | undefined> {
    const row = await this.#db
      .selectFrom('tessera_account_token')
      .selectAll()
      .where('token_hash', '=', tokenHash)
      .executeTakeFirst()
    return row === undefined ? undefined : toRecord(row)
  }

  async #latest(userId: number, purpose: TokenPurpose): Promise<AccountTokenRecord | undefined> {
    const row = await this.#db
      .selectFrom('tessera_account_token')
      .selectAll()
      .where('user_id', '=', userId)
      .where('purpose', '=', purpose)
      .where('end_reason', '=', 'used')
      .orderBy('ended_at', 'desc')
      .executeTakeFirst()
    return row === undefined ? undefined : toRecord(row)
  }
}
