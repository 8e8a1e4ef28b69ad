import type { Migration } from 'kysely'

/** The pause `RateLimitStore.reserve` keeps per key, so check and count are one statement. */
export const throttle0003: Migration = {
  async up(db) {
    await db.schema
      .alterTable('tessera_rate_limit')
      .addColumn('blocked_until', 'bigint', (c) => c.notNull().defaultTo(0))
      .execute()
  },
  async down(db) {
    await db.schema.alterTable('tessera_rate_limit').dropColumn('blocked_until').execute()
  },
}
