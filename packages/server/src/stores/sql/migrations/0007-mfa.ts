import type { Kysely, Migration } from 'kysely'
import { createTable } from './create-table.ts'

const MFA_TABLES = ['tessera_passkey', 'tessera_mfa_challenge', 'tessera_recovery_code', 'tessera_totp']

function userForeignKey(name: string): [string, ['user_id'], string, ['id']] {
  return [name, ['user_id'], 'tessera_user', ['id']]
}

async function createTotpTable(db: Kysely<unknown>): Promise<void> {
  await createTable(db, 'tessera_totp')
    .addColumn('user_id', 'integer', (c) => c.primaryKey())
    // AES-256-GCM sealed under a key derived from the master secret: a database dump holds no usable seed.
    .addColumn('sealed_secret', 'varchar(255)', (c) => c.notNull())
    .addColumn('confirmed_at', 'bigint')
    // The last accepted RFC 6238 time step: a conditional UPDATE moves it, so a code is accepted once.
    .addColumn('last_step', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addForeignKeyConstraint(...userForeignKey('tessera_totp_user_fk'), (fk) => fk.onDelete('cascade'))
    .execute()
}

async function createRecoveryCodeTable(db: Kysely<unknown>): Promise<void> {
  await createTable(db, 'tessera_recovery_code')
    .addColumn('user_id', 'integer', (c) => c.notNull())
    .addColumn('code_hash', 'char(64)', (c) => c.notNull())
    .addColumn('used_at', 'bigint')
    .addPrimaryKeyConstraint('tessera_recovery_code_pk', ['user_id', 'code_hash'])
    .addForeignKeyConstraint(...userForeignKey('tessera_recovery_code_user_fk'), (fk) =>
      fk.onDelete('cascade'),
    )
    .execute()
}

async function createChallengeTable(db: Kysely<unknown>): Promise<void> {
  await createTable(db, 'tessera_mfa_challenge')
    // SHA-256 of the challenge token: the token itself is never stored.
    .addColumn('id', 'char(64)', (c) => c.primaryKey())
    .addColumn('user_id', 'integer')
    .addColumn('purpose', 'varchar(32)', (c) => c.notNull())
    .addColumn('detail', 'text', (c) => c.notNull())
    .addColumn('failures', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('used_at', 'bigint')
    .execute()
  await db.schema
    .createIndex('tessera_mfa_challenge_expires_idx')
    .on('tessera_mfa_challenge')
    .column('expires_at')
    .execute()
}

async function createPasskeyTable(db: Kysely<unknown>): Promise<void> {
  await createTable(db, 'tessera_passkey')
    // The WebAuthn credential id, base64url (at most 255 characters are accepted).
    .addColumn('id', 'varchar(255)', (c) => c.primaryKey())
    .addColumn('user_id', 'integer', (c) => c.notNull())
    .addColumn('public_key', 'text', (c) => c.notNull())
    .addColumn('sign_count', 'bigint', (c) => c.notNull())
    .addColumn('backed_up', 'smallint', (c) => c.notNull())
    .addColumn('device_type', 'varchar(32)', (c) => c.notNull())
    .addColumn('transports', 'varchar(255)', (c) => c.notNull())
    .addColumn('name', 'varchar(100)', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('last_used_at', 'bigint')
    .addForeignKeyConstraint(...userForeignKey('tessera_passkey_user_fk'), (fk) => fk.onDelete('cascade'))
    .execute()
  await db.schema.createIndex('tessera_passkey_user_idx').on('tessera_passkey').column('user_id').execute()
}

/**
 * Step-up and multi-factor (issue 14): each credential's last proof of the user
 * (`authenticated_at`, null = its creation), TOTP seeds, recovery codes, the short-lived
 * challenges of the second step and of WebAuthn ceremonies, and passkeys.
 */
export const mfa0007: Migration = {
  async up(db) {
    await db.schema.alterTable('tessera_credential').addColumn('authenticated_at', 'bigint').execute()
    await createTotpTable(db)
    await createRecoveryCodeTable(db)
    await createChallengeTable(db)
    await createPasskeyTable(db)
  },
  async down(db) {
    for (const table of MFA_TABLES) await db.schema.dropTable(table).ifExists().execute()
    await db.schema.alterTable('tessera_credential').dropColumn('authenticated_at').execute()
  },
}
