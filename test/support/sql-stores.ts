import { randomBytes } from 'node:crypto'
import type { Stores } from '@tessera/server'
import { type Database, migrateToLatest, openDatabase, type SqlDialect } from '@tessera/server/db'
import { withRedis } from '@tessera/server/redis'
import { AUTH_MIGRATIONS, type AuthTables, createSqlStores } from '@tessera/server/sql'
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

/** The shared Redis database the multi-instance contract tests use, each under a key prefix of its own. */
export const INSTANCES_REDIS_URL = 'redis://127.0.0.1:6379/7'

/**
 * Another instance's stores on an existing database: its own connections to it, with nonces,
 * counters and revocations in Redis under `prefix` (several instances of one test share it).
 */
export function instanceStores(url: string, prefix: string): OpenedSqlStores {
  const database = openDatabase<AuthTables>(url)
  const stores = withRedis(createSqlStores(database), INSTANCES_REDIS_URL, { keyPrefix: prefix })
  return { stores, database, url, close: () => stores.close() }
}

export interface SharedInstancesStore {
  url: string
  /** The Redis key prefix the instances share. */
  prefix: string
  /** Another instance's stores: its own connections to the database and to Redis. */
  instance(): OpenedSqlStores
  /** Drops the database. */
  close(): Promise<void>
}

/** One fresh, migrated PostgreSQL database and one Redis key prefix that the instances of a test share. */
export async function sharedPostgresRedis(): Promise<SharedInstancesStore> {
  const fresh = await openSqlStores('postgres')
  await fresh.stores.close()
  const prefix = `tessera-test-${randomBytes(6).toString('hex')}:`
  return {
    url: fresh.url,
    prefix,
    instance: () => instanceStores(fresh.url, prefix),
    close: () => fresh.close(),
  }
}
