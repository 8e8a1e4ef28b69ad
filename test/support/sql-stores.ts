import type { Stores } from '../../packages/server/src/core/stores.ts'
import {
  type Database,
  migrateToLatest,
  openDatabase,
  type SqlDialect,
} from '../../packages/server/src/db/index.ts'
import { AUTH_MIGRATIONS, createSqlStores } from '../../packages/server/src/stores/sql/index.ts'
import type { AuthTables } from '../../packages/server/src/stores/sql/schema.ts'
import { freshDatabase } from './databases.ts'

export interface OpenedSqlStores {
  stores: Stores
  database: Database<AuthTables>
  url: string
  close(): Promise<void>
}

/** Real stores on a fresh database of the dialect (SQLite by default), migrated; `close` drops it. */
export async function openSqlStores(dialect: SqlDialect = 'sqlite'): Promise<OpenedSqlStores> {
  const fresh = await freshDatabase(dialect)
  const database = openDatabase<AuthTables>(fresh.url)
  await migrateToLatest(database.kysely as never, AUTH_MIGRATIONS)
  const stores = createSqlStores(database)
  return {
    stores,
    database,
    url: fresh.url,
    async close() {
      try {
        await stores.close()
      } finally {
        await fresh.drop()
      }
    },
  }
}
