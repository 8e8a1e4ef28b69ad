import type { MigrationSet } from '../../db/index.ts'
import { auth0001 } from './migrations/0001-auth.ts'
import { credentialEpoch0002 } from './migrations/0002-credential-epoch.ts'
import { throttle0003 } from './migrations/0003-throttle.ts'
import { accountTokens0006 } from './migrations/0006-account-tokens.ts'
import { mfa0007 } from './migrations/0007-mfa.ts'
import { dbsc0008 } from './migrations/0008-dbsc.ts'
import { oidc0010 } from './migrations/0010-oidc.ts'

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
