import type { Migration } from 'kysely'

/**
 * The credential epoch (see UserRecord.credentialEpoch). Existing users and credentials all
 * start at 0, so credentials issued before the migration stay live.
 */
export const credentialEpoch0002: Migration = {
  async up(db) {
    for (const table of ['tessera_user', 'tessera_credential']) {
      await db.schema
        .alterTable(table)
        .addColumn('credential_epoch', 'integer', (c) => c.notNull().defaultTo(0))
        .execute()
    }
  },
  async down(db) {
    for (const table of ['tessera_credential', 'tessera_user']) {
      await db.schema.alterTable(table).dropColumn('credential_epoch').execute()
    }
  },
}
