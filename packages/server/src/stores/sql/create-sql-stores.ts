import type { Stores } from '../../core/stores.ts'
import type { Database } from '../../db/index.ts'
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

/**
 * Every store on one SQL database. Runs nothing: the caller migrates first with
 * `migrateToLatest(database.kysely, AUTH_MIGRATIONS)`. `close()` closes the database (once).
 */
export function createSqlStores(database: Database<AuthTables>): Stores {
  const db = database.kysely
  let closed: Promise<void> | undefined
  return {
    users: new SqlUserStore(db),
    credentials: new SqlCredentialStore(db),
    nonces: new SqlNonceStore(db),
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
      closed ??= database.close()
      return closed
    },
  }
}
