import { createTessera, type Tessera } from '@tessera/server'
import type { Database } from '@tessera/server/db'
import { loadMasterSecrets } from '@tessera/server/node'
import { type AuthTables, createSqlStores } from '@tessera/server/sql'
import type { FastifyBaseLogger } from 'fastify'
import { ownOrigins } from './auth-settings.ts'
import type { DirectoryConfig } from './config.ts'

/** Tessera for the directory: SQL stores on the app's database, origins and secret from the environment. */
export function createDirectoryTessera(
  config: DirectoryConfig,
  database: Database<AuthTables>,
  port: number,
  logger?: FastifyBaseLogger,
): Tessera {
  const { auth } = config
  const origins = ownOrigins(auth, config.host, port)
  const secret = loadMasterSecrets({
    secret: auth.secret,
    previous: auth.previousSecrets,
    file: auth.secretFile,
    production: auth.production,
  })
  return createTessera({
    stores: createSqlStores(database),
    secret,
    publicOrigin: origins.publicOrigin,
    alsoOrigins: origins.also,
    corsOrigins: auth.corsOrigins,
    openRegistration: auth.openRegistration,
    ...(logger && { logger }),
  })
}
