import { type ExpressionBuilder, type Kysely, type RawBuilder, sql } from 'kysely'
import { nextAttempt, pauseAfter } from '../../core/attempt-rule.ts'
import type { AttemptRule, RateLimitState, RateLimitStore, Reservation } from '../../core/stores.ts'
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

/** `count` is a 32-bit integer column: a larger limit (say, "none") means the same as this one. */
const INT_MAX = 2 ** 31 - 1

/** An epoch-ms parameter typed for PostgreSQL, which would otherwise read a CASE of parameters as text. */
function ms(value: number): RawBuilder<number> {
  return sql<number>`cast(${value} as bigint)`
}

/**
 * `blocked_until` for attempt number `count` (an SQL expression): `now` plus the rule's pause
 * for that number, as one CASE over the few distinct pauses; 0 while free (see `nextAttempt`).
 */
function blockedUntil(rule: AttemptRule, now: number, count: RawBuilder<number>): RawBuilder<number> {
  const steps = rule.pausesMs.map((_, i) => rule.free + i + 1)
  if (steps.length === 0) return ms(0)
  const whens = steps.slice(0, -1).map((n) => sql`when ${count} = ${n} then ${ms(now + pauseAfter(rule, n))}`)
  return sql<number>`case when ${count} <= ${rule.free} then ${ms(0)} ${sql.join(whens, sql` `)} else ${ms(
    now + pauseAfter(rule, steps.at(-1) as number),
  )} end`
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

  reserve(key: string, rule: AttemptRule, now: number): Promise<Reservation> {
    return failClosed('rateLimits.reserve', () =>
      this.#mysql ? this.#reserveMysql(key, rule, now) : this.#reserveUpsert(key, rule, now),
    )
  }

  release(key: string, now: number): Promise<void> {
    return failClosed('rateLimits.release', async () => {
      await this.#db
        .updateTable('tessera_rate_limit')
        .set((eb) => ({ count: eb('count', '-', 1) }))
        .where('key', '=', key)
        .where('count', '>', 0)
        .where('reset_at', '>', now)
        .execute()
    })
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

  /**
   * SQLite and PostgreSQL: one upsert whose update runs only when the key is neither paused nor
   * spent; RETURNING answers a row exactly when the attempt was granted.
   */
  async #reserveUpsert(key: string, rule: AttemptRule, now: number): Promise<Reservation> {
    const renew = sql`tessera_rate_limit.reset_at <= ${ms(now)}`
    const count = sql<number>`case when ${renew} then 1 else tessera_rate_limit.count + 1 end`
    const granted = await this.#db
      .insertInto('tessera_rate_limit')
      .values({
        key,
        count: 1,
        reset_at: now + rule.windowMs,
        blocked_until: blockedUntil(rule, now, sql`1`),
      })
      .onConflict((oc) =>
        oc
          .column('key')
          .doUpdateSet({
            count,
            reset_at: sql`case when ${renew} then ${ms(now + rule.windowMs)} else tessera_rate_limit.reset_at end`,
            blocked_until: blockedUntil(rule, now, count),
          })
          .where(sql<boolean>`tessera_rate_limit.blocked_until <= ${ms(now)}`)
          .where(sql<boolean>`(${renew} or tessera_rate_limit.count < ${Math.min(rule.limit, INT_MAX)})`),
      )
      .returning('count')
      .executeTakeFirst()
    if (granted !== undefined) return { granted: true, count: Number(granted.count) }
    return { granted: false, retryAt: await this.#retryAt(key, rule, now) }
  }

  /** Why a refused key is refused, read after the fact: a racing reset may have cleared it (retry in 1 s). */
  async #retryAt(key: string, rule: AttemptRule, now: number): Promise<number> {
    const row = await this.#db
      .selectFrom('tessera_rate_limit')
      .select(['count', 'reset_at', 'blocked_until'])
      .where('key', '=', key)
      .executeTakeFirst()
    const state = row && {
      count: Number(row.count),
      resetAt: Number(row.reset_at),
      blockedUntil: Number(row.blocked_until),
    }
    const next = state && nextAttempt(state, rule, now)
    return next && !next.granted ? next.retryAt : now + 1000
  }

  /**
   * MySQL/MariaDB: an upsert cannot say whether it updated, so the row is made to exist (an empty,
   * ended window), then locked, decided on and written in one transaction. The lock serialises
   * every reservation of the key, on every instance.
   */
  async #reserveMysql(key: string, rule: AttemptRule, now: number): Promise<Reservation> {
    // A reset may delete the row between the insert and the lock; three rounds are plenty.
    for (let round = 0; round < 3; round++) {
      await this.#db
        .insertInto('tessera_rate_limit')
        .ignore()
        .values({ key, count: 0, reset_at: 0, blocked_until: 0 })
        .execute()
      const decided = await this.#db.transaction().execute(async (trx) => {
        const row = await trx
          .selectFrom('tessera_rate_limit')
          .select(['count', 'reset_at', 'blocked_until'])
          .where('key', '=', key)
          .forUpdate()
          .executeTakeFirst()
        // Deleted by a reset between the insert and the lock: make it again.
        if (row === undefined) return undefined
        const stored = {
          count: Number(row.count),
          resetAt: Number(row.reset_at),
          blockedUntil: Number(row.blocked_until),
        }
        const next = nextAttempt(stored, rule, now)
        if (!next.granted) return { granted: false as const, retryAt: next.retryAt }
        const { count, resetAt, blockedUntil: until } = next.state
        await trx
          .updateTable('tessera_rate_limit')
          .set({ count, reset_at: resetAt, blocked_until: until })
          .where('key', '=', key)
          .execute()
        return { granted: true as const, count }
      })
      if (decided !== undefined) return decided
    }
    throw new Error('rate-limit row kept disappearing')
  }
}
