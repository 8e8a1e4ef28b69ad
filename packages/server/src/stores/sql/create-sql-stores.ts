import type { NonceStore, Stores } from '../../core/stores.ts'
import type { Database } from '../../db/index.ts'
import { JournalNonceStore, type JournalNonceStoreOptions } from '../journal/journal-nonce-store.ts'
import type { AuthTables } from './schema.ts'
import { SqlAccountTokenStore } from './sql-account-token-store.ts'
import { SqlAuditStore } from './sql-audit-store.ts'
import { SqlCredentialStore } from './sql-credential-store.ts'
import { SqlDbscStore } from './sql-dbsc-store.ts'
import { SqlKnownDeviceStore } from './sql-known-device-store.ts'
import { SqlMfaStore } from './sql-mfa-store.ts'
import { SqlNonceStore } from './sql-nonce-store.ts'
import { SqlOidcStore } from './sql-oidc-store.ts'
import { SqlPasskeyStore } from './sql-passkey-store.ts'
import { SqlRateLimitStore } from './sql-rate-limit-store.ts'
import { SqlUserStore } from './sql-user-store.ts'

export interface SqlStoresOptions {
  /**
   * SQLite file: the nonces are kept in memory with a journal in `<file>.nonces/` (one process
   * per file; see JournalNonceStore). `false` keeps them in the `tessera_nonce` table instead.
   */
  nonceJournal?: JournalNonceStoreOptions | false
}

/**
 * Every store on one SQL database. Runs nothing: the caller migrates first with
 * `migrateToLatest(database.kysely, AUTH_MIGRATIONS)`. `close()` closes the database (once).
 */
export function createSqlStores(database: Database<AuthTables>, options: SqlStoresOptions = {}): Stores {
  const db = database.kysely
  const nonces = nonceStore(database, options)
  let closed: Promise<void> | undefined
  return {
    users: new SqlUserStore(db),
    credentials: new SqlCredentialStore(db),
    nonces,
    rateLimits: new SqlRateLimitStore(db),
    audit: new SqlAuditStore(db),
    dbsc: new SqlDbscStore(db),
    accountTokens: new SqlAccountTokenStore(db),
    knownDevices: new SqlKnownDeviceStore(db),
    oidc: new SqlOidcStore(db),
    mfa: new SqlMfaStore(db),
    passkeys: new SqlPasskeyStore(db),
    ...(database.dataVersion && { changeCounter: database.dataVersion }),
    close() {
      closed ??= (async () => {
        if (nonces instanceof JournalNonceStore) await nonces.close()
        await database.close()
      })()
      return closed
    },
  }
}

/** The journal on a SQLite file; the nonce table on server databases and in-memory SQLite. */
function nonceStore(database: Database<AuthTables>, options: SqlStoresOptions): NonceStore {
  const file = database.dialect === 'sqlite' ? database.description.slice('sqlite:'.length) : ':memory:'
  if (file === ':memory:' || options.nonceJournal === false) return new SqlNonceStore(database.kysely)
  return new JournalNonceStore(`${file}.nonces`, options.nonceJournal)
}
