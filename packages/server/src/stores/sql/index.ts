export { JournalNonceStore, type JournalNonceStoreOptions } from '../journal/journal-nonce-store.ts'
export { createSqlStores, type SqlStoresOptions } from './create-sql-stores.ts'
export { AUTH_MIGRATIONS } from './migrations.ts'
export type {
  AuditTable,
  AuthTables,
  CredentialTable,
  NonceTable,
  RateLimitTable,
  UserTable,
} from './schema.ts'
export { ENDED_TOKEN_GRACE_MS, SqlAccountTokenStore } from './sql-account-token-store.ts'
export { SqlAuditStore } from './sql-audit-store.ts'
export { DEAD_CREDENTIAL_GRACE_MS, SqlCredentialStore, TOUCH_INTERVAL_MS } from './sql-credential-store.ts'
export { SqlKnownDeviceStore } from './sql-known-device-store.ts'
export { SqlNonceStore } from './sql-nonce-store.ts'
export { SqlOidcStore } from './sql-oidc-store.ts'
export { SqlRateLimitStore } from './sql-rate-limit-store.ts'
export { SqlUserStore } from './sql-user-store.ts'
