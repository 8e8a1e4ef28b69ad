import type { ExpressionBuilder, Kysely } from 'kysely'
import type { RateLimitState, RateLimitStore } from '../../core/stores.ts'
import { dialectOfKysely } from '../../db/index.ts'
import { failClosed } from './fail-closed.ts'
import type { AuthTables } from './schema.ts'

type Row = { count: number; reset_at: number }

/** The one mapping from a row to a state; `Number()` because mysql2 may return bigints as strings. */
function toState(row: Row): RateLimitState {
  return { count: Number(row.count), resetAt: Number(row.reset_at) }
}

/**
 * The update of an existing window: a new one (count 1) once `reset_at` has come, else one more hit.
 * `count` must come first: MySQL assigns left to right and later assignments see earlier ones,
 * so `reset_at` is tested while it still holds its old value (SQLite and PostgreSQL see old values anyway).
 */
function countOrRenew(now: number, windowMs: number) {
  return (eb: ExpressionBuilder<AuthTables, 'tessera_rate_limit'>) => ({
    count: eb
      .case()
      .when('tessera_rate_limit.reset_at', '<=', now)
      .then(1)
      .else(eb('tessera_rate_limit.count', '+', 1))
      .end(),
    reset_at: eb
      .case()
      .when('tessera_rate_limit.reset_at', '<=', now)
      .then(now + windowMs)
      .else(eb.ref('tessera_rate_limit.reset_at'))
      .end(),
  })
}

/** Fixed-window counters, exact under concurrent hits on every dialect. */
export class SqlRateLimitStore implements RateLimitStore {
  readonly #db: Kysely<AuthTables>
  readonly #mysql: boolean

  constructor(db: Kysely<AuthTables>) {
    this.#db = db
    this.#mysql = dialectOfKysely(db as Kysely<unknown>) === 'mysql'
  }

  hit(key: string, windowMs: number, now: number): Promise<RateLimitState> {
    return failClosed('rateLimits.hit', () =>
      this.#mysql ? this.#hitMysql(key, windowMs, now) : this.#hitUpsert(key, windowMs, now),
    )
  }

  peek(key: string, now: number): Promise<RateLimitState | undefined> {
    return failClosed('rateLimits.peek', async () => {
      const row = await this.#db
        .selectFrom('tessera_rate_limit')
        .select(['count', 'reset_at'])
        .where('key', '=', key)
        .where('reset_at', '>', now)
        .executeTakeFirst()
      return row === undefined ? undefined : toState(row)
    })
  }

  reset(key: string): Promise<void> {
    return failClosed('rateLimits.reset', async () => {
      await this.#db.deleteFrom('tessera_rate_limit').where('key', '=', key).execute()
    })
  }

  /** SQLite and PostgreSQL: one atomic upsert that answers the row it wrote. */
  async #hitUpsert(key: string, windowMs: number, now: number): Promise<RateLimitState> {
    const row = await this.#db
      .insertInto('tessera_rate_limit')
      .values({ key, count: 1, reset_at: now + windowMs })
      .onConflict((oc) => oc.column('key').doUpdateSet(countOrRenew(now, windowMs)))
      .returning(['count', 'reset_at'])
      .executeTakeFirstOrThrow()
    return toState(row)
  }

  /**
   * MySQL/MariaDB: no RETURNING on an upsert (MySQL) and affected-row counts cannot carry the
   * count, so upsert and read back in one transaction. The upsert holds the row's exclusive lock
   * until commit, so the read sees exactly this hit's result.
   */
  #hitMysql(key: string, windowMs: number, now: number): Promise<RateLimitState> {
    return this.#db.transaction().execute(async (trx) => {
      await trx
        .insertInto('tessera_rate_limit')
        .values({ key, count: 1, reset_at: now + windowMs })
        .onDuplicateKeyUpdate(countOrRenew(now, windowMs))
        .execute()
      const row = await trx
        .selectFrom('tessera_rate_limit')
        .select(['count', 'reset_at'])
        .where('key', '=', key)
        .executeTakeFirstOrThrow()
      return toState(row)
    })
  }
}
