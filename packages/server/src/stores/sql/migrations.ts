import { type CreateTableBuilder, type Kysely, type Migration, sql } from 'kysely'
import { addIdColumn, dialectOfKysely, type MigrationSet } from '../../db/index.ts'
import { mfa0007 } from './mfa-migration.ts'

type Table<T extends string> = CreateTableBuilder<T, never>

/**
 * MariaDB/MySQL: utf8mb4 whatever the server default, and a binary collation so that keys
 * compare byte for byte as on SQLite and PostgreSQL (`_ci` collations would make the nonce
 * `aB` a replay of `Ab`, and `josé@x` taken by `jose@x`). Every indexed varchar stays within
 * InnoDB's 3072-byte key limit at 4 bytes a character (largest: email_key, 1280 bytes).
 */
export function createTable<T extends string>(db: Kysely<unknown>, name: T): Table<T> {
  const table = db.schema.createTable(name)
  if (dialectOfKysely(db) !== 'mysql') return table
  return table.modifyEnd(sql`engine = InnoDB default charset = utf8mb4 collate = utf8mb4_bin`)
}

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

const auth0001: Migration = {
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

/**
 * The credential epoch (see UserRecord.credentialEpoch). Existing users and credentials all
 * start at 0, so credentials issued before the migration stay live.
 */
const credentialEpoch0002: Migration = {
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

/** The pause `RateLimitStore.reserve` keeps per key, so check and count are one statement. */
const throttle0003: Migration = {
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

/**
 * Device-bound sessions (DBSC): one row per session offered registration, with the browser's
 * public key once it registered. Deleted with the session (cascade).
 */
const dbsc0008: Migration = {
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
const accountTokens0006: Migration = {
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

/**
 * OpenID Connect sign-in (core/oidc): flows in progress and mobile exchange codes (single-use
 * rows, so a callback may land on any instance), provider accounts linked to users, and what
 * each provider sign-in proved, kept beside the credential it produced.
 */
const oidc0010: Migration = {
  async up(db) {
    await createTable(db, 'tessera_oidc_flow')
      .addColumn('id', 'char(64)', (c) => c.primaryKey())
      .addColumn('provider', 'varchar(64)', (c) => c.notNull())
      .addColumn('nonce', 'varchar(128)', (c) => c.notNull())
      .addColumn('code_verifier', 'varchar(128)', (c) => c.notNull())
      .addColumn('browser_hash', 'char(64)')
      .addColumn('mode', 'varchar(16)', (c) => c.notNull())
      .addColumn('return_to', 'varchar(2048)', (c) => c.notNull())
      .addColumn('app_challenge', 'varchar(128)')
      .addColumn('max_age', 'integer')
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .execute()
    await createTable(db, 'tessera_oidc_grant')
      .addColumn('id', 'char(64)', (c) => c.primaryKey())
      .addColumn('user_id', 'integer', (c) => c.notNull())
      .addColumn('provider', 'varchar(64)', (c) => c.notNull())
      .addColumn('app_challenge', 'varchar(128)', (c) => c.notNull())
      .addColumn('credential_epoch', 'integer', (c) => c.notNull())
      .addColumn('authenticated_at', 'bigint', (c) => c.notNull())
      .addColumn('amr', 'varchar(255)', (c) => c.notNull())
      .addColumn('acr', 'varchar(255)')
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .addForeignKeyConstraint('tessera_oidc_grant_user_fk', ['user_id'], 'tessera_user', ['id'], (fk) =>
        fk.onDelete('cascade'),
      )
      .execute()
    await createTable(db, 'tessera_oidc_identity')
      .addColumn('provider', 'varchar(64)', (c) => c.notNull())
      .addColumn('subject', 'varchar(255)', (c) => c.notNull())
      .addColumn('user_id', 'integer', (c) => c.notNull())
      .addColumn('email', 'varchar(320)', (c) => c.notNull())
      .addColumn('linked_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('tessera_oidc_identity_pk', ['provider', 'subject'])
      .addForeignKeyConstraint('tessera_oidc_identity_user_fk', ['user_id'], 'tessera_user', ['id'], (fk) =>
        fk.onDelete('cascade'),
      )
      .execute()
    await db.schema
      .createIndex('tessera_oidc_identity_user_idx')
      .on('tessera_oidc_identity')
      .column('user_id')
      .execute()
    await createTable(db, 'tessera_oidc_sign_in')
      .addColumn('credential_id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('user_id', 'integer', (c) => c.notNull())
      .addColumn('provider', 'varchar(64)', (c) => c.notNull())
      .addColumn('authenticated_at', 'bigint', (c) => c.notNull())
      .addColumn('amr', 'varchar(255)', (c) => c.notNull())
      .addColumn('acr', 'varchar(255)')
      .addForeignKeyConstraint(
        'tessera_oidc_sign_in_credential_fk',
        ['credential_id'],
        'tessera_credential',
        ['id'],
        (fk) => fk.onDelete('cascade'),
      )
      .execute()
  },
  async down(db) {
    for (const table of [
      'tessera_oidc_sign_in',
      'tessera_oidc_identity',
      'tessera_oidc_grant',
      'tessera_oidc_flow',
    ])
      await db.schema.dropTable(table).ifExists().execute()
  },
}

/** The auth schema; run it with `migrateToLatest(db.kysely, AUTH_MIGRATIONS)`. */
export const AUTH_MIGRATIONS: MigrationSet = {
  tableName: 'tessera_migration',
  migrations: {
    '0001_auth': auth0001,
    '0002_credential_epoch': credentialEpoch0002,
    '0003_throttle': throttle0003,
    '0006_account_tokens': accountTokens0006,
    '0007_mfa': mfa0007,
    '0008_dbsc': dbsc0008,
    '0010_oidc': oidc0010,
  },
}
