import type { Migration } from 'kysely'
import { createTable } from './create-table.ts'

/**
 * Device-bound sessions (DBSC): one row per session offered registration, with the browser's
 * public key once it registered. Deleted with the session (cascade).
 */
export const dbsc0008: Migration = {
  async up(db) {
    await createTable(db, 'tessera_dbsc_binding')
      .addColumn('credential_id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('required', 'smallint', (c) => c.notNull().defaultTo(0))
      .addColumn('algorithm', 'varchar(16)')
      .addColumn('public_jwk', 'text')
      .addColumn('bound_at', 'bigint')
      .addForeignKeyConstraint(
        'tessera_dbsc_binding_credential_fk',
        ['credential_id'],
        'tessera_credential',
        ['id'],
        (fk) => fk.onDelete('cascade'),
      )
      .execute()
  },
  async down(db) {
    await db.schema.dropTable('tessera_dbsc_binding').ifExists().execute()
  },
}
