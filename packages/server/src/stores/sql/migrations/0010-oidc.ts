import type { Migration } from 'kysely'
import { createTable } from './create-table.ts'

/**
 * OpenID Connect sign-in (core/oidc): flows in progress and mobile exchange codes (single-use
 * rows, so a callback may land on any instance), provider accounts linked to users, and what
 * each provider sign-in proved, kept beside the credential it produced.
 */
export const oidc0010: Migration = {
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
