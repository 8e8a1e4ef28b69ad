import { type Kysely, type Migration, sql } from 'kysely'
import { createTable } from './create-table.ts'

async function createAccountTokenTable(db: Kysely<unknown>): Promise<void> {
  await createTable(db, 'tessera_account_token')
    .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('purpose', 'varchar(16)', (c) => c.notNull())
    .addColumn('user_id', 'integer')
    .addColumn('email', 'varchar(320)', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'char(64)', (c) => c.notNull())
    .addColumn('code_hash', 'char(64)')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_by', 'integer')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('ended_at', 'bigint')
    .addColumn('end_reason', 'varchar(16)')
    .addUniqueConstraint('tessera_account_token_hash_uq', ['token_hash'])
    .addForeignKeyConstraint('tessera_account_token_user_fk', ['user_id'], 'tessera_user', ['id'], (fk) =>
      fk.onDelete('cascade'),
    )
    .execute()
  await db.schema
    .createIndex('tessera_account_token_user_idx')
    .on('tessera_account_token')
    .columns(['user_id', 'purpose'])
    .execute()
  await db.schema
    .createIndex('tessera_account_token_purpose_idx')
    .on('tessera_account_token')
    .columns(['purpose', 'created_at'])
    .execute()
}

async function createKnownDeviceTable(db: Kysely<unknown>): Promise<void> {
  await createTable(db, 'tessera_known_device')
    .addColumn('user_id', 'integer', (c) => c.notNull())
    .addColumn('fingerprint', 'char(64)', (c) => c.notNull())
    .addColumn('first_seen_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('tessera_known_device_pk', ['user_id', 'fingerprint'])
    .addForeignKeyConstraint('tessera_known_device_user_fk', ['user_id'], 'tessera_user', ['id'], (fk) =>
      fk.onDelete('cascade'),
    )
    .execute()
}

/**
 * Account mails: the token table, the known-device table, and `email_verified_at`. Accounts
 * that exist before the migration were made by an admin or the seed: they count as verified.
 */
export const accountTokens0006: Migration = {
  async up(db) {
    await db.schema.alterTable('tessera_user').addColumn('email_verified_at', 'bigint').execute()
    await sql`update tessera_user set email_verified_at = created_at`.execute(db)
    await createAccountTokenTable(db)
    await createKnownDeviceTable(db)
  },
  async down(db) {
    await db.schema.dropTable('tessera_known_device').ifExists().execute()
    await db.schema.dropTable('tessera_account_token').ifExists().execute()
    await db.schema.alterTable('tessera_user').dropColumn('email_verified_at').execute()
  },
}
