import type { Kysely, Migration } from 'kysely'
import { addIdColumn } from '../../../db/index.ts'
import { createTable } from './create-table.ts'

async function createUserTable(db: Kysely<unknown>): Promise<void> {
  await addIdColumn(db, createTable(db, 'tessera_user'))
    .addColumn('email', 'varchar(320)', (c) => c.notNull())
    .addColumn('email_key', 'varchar(320)', (c) => c.notNull())
    .addColumn('name', 'varchar(200)', (c) => c.notNull())
    .addColumn('role', 'varchar(16)', (c) => c.notNull())
    .addColumn('password_hash', 'varchar(255)', (c) => c.notNull())
    .addColumn('disabled', 'smallint', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('tessera_user_email_key_uq', ['email_key'])
    .execute()
}

async function createCredentialTable(db: Kysely<unknown>): Promise<void> {
  await createTable(db, 'tessera_credential')
    .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('user_id', 'integer', (c) => c.notNull())
    .addColumn('type', 'varchar(16)', (c) => c.notNull())
    .addColumn('token_hash', 'char(64)')
    .addColumn('algorithm', 'varchar(32)')
    .addColumn('key_material', 'text')
    .addColumn('label', 'varchar(255)', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('last_used_at', 'bigint', (c) => c.notNull())
    .addColumn('absolute_expires_at', 'bigint', (c) => c.notNull())
    .addColumn('idle_timeout_ms', 'bigint', (c) => c.notNull())
    .addColumn('revoked_at', 'bigint')
    .addColumn('retires_at', 'bigint')
    .addUniqueConstraint('tessera_credential_token_hash_uq', ['token_hash'])
    // Table-level, because MySQL silently ignores an inline column REFERENCES.
    .addForeignKeyConstraint('tessera_credential_user_fk', ['user_id'], 'tessera_user', ['id'], (fk) =>
      fk.onDelete('cascade'),
    )
    .execute()
  await db.schema
    .createIndex('tessera_credential_user_idx')
    .on('tessera_credential')
    .column('user_id')
    .execute()
}

async function createNonceTable(db: Kysely<unknown>): Promise<void> {
  await createTable(db, 'tessera_nonce')
    .addColumn('key_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('nonce', 'varchar(128)', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('tessera_nonce_pk', ['key_id', 'nonce'])
    .execute()
  await db.schema.createIndex('tessera_nonce_expires_idx').on('tessera_nonce').column('expires_at').execute()
}

async function createRateLimitTable(db: Kysely<unknown>): Promise<void> {
  await createTable(db, 'tessera_rate_limit')
    .addColumn('key', 'varchar(255)', (c) => c.primaryKey())
    .addColumn('count', 'integer', (c) => c.notNull())
    .addColumn('reset_at', 'bigint', (c) => c.notNull())
    .execute()
}

/** No foreign key on user_id: audit events must outlive the users they mention. */
async function createAuditTable(db: Kysely<unknown>): Promise<void> {
  await addIdColumn(db, createTable(db, 'tessera_audit'))
    .addColumn('event', 'varchar(64)', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('user_id', 'integer')
    .addColumn('credential_id', 'varchar(64)')
    .addColumn('ip', 'varchar(64)')
    .addColumn('detail', 'text', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('tessera_audit_at_idx').on('tessera_audit').column('at').execute()
  await db.schema.createIndex('tessera_audit_user_idx').on('tessera_audit').column('user_id').execute()
}

const AUTH_TABLES = [
  'tessera_audit',
  'tessera_rate_limit',
  'tessera_nonce',
  'tessera_credential',
  'tessera_user',
]

export const auth0001: Migration = {
  async up(db) {
    await createUserTable(db)
    await createCredentialTable(db)
    await createNonceTable(db)
    await createRateLimitTable(db)
    await createAuditTable(db)
  },
  async down(db) {
    for (const table of AUTH_TABLES) await db.schema.dropTable(table).ifExists().execute()
  },
}
