import { resolve } from 'node:path'
import { createTessera, type Tessera } from '../core/tessera.ts'
import { type Database, migrateToLatest, openDatabase } from '../db/index.ts'
import { mailerFromEnv } from '../node/mailer-from-env.ts'
import { loadMasterSecrets } from '../node/master-secret-file.ts'
import { withRedis } from '../stores/redis/index.ts'
import { AUTH_MIGRATIONS, createSqlStores } from '../stores/sql/index.ts'
import type { AuthTables } from '../stores/sql/schema.ts'

export interface CliContext {
  tessera: Tessera
  database: Database<AuthTables>
  out: (line: string) => void
  close(): Promise<void>
}

/**
 * The CLI works on the same database and master secret as the server: DATABASE_URL
 * (default `sqlite:data/directory.db` under the current directory, as `npm start` uses
 * from the repo root) and TESSERA_SECRET (or the development secret file beside it).
 */
export async function openCliContext(
  env: NodeJS.ProcessEnv,
  out: (line: string) => void,
): Promise<CliContext> {
  const dataDir = resolve(env.TESSERA_DATA_DIR ?? 'data')
  const database = openDatabase<AuthTables>(env.DATABASE_URL ?? `sqlite:${resolve(dataDir, 'directory.db')}`)
  try {
    return await connect(env, database, dataDir, out)
  } catch (error) {
    await database.close()
    throw error
  }
}

async function connect(
  env: NodeJS.ProcessEnv,
  database: Database<AuthTables>,
  dataDir: string,
  out: (line: string) => void,
): Promise<CliContext> {
  await migrateToLatest(database.kysely as never, AUTH_MIGRATIONS)
  const secret = loadMasterSecrets({
    secret: env.TESSERA_SECRET,
    previous: env.TESSERA_PREVIOUS_SECRETS,
    file: resolve(dataDir, 'tessera-secret'),
    production: env.NODE_ENV === 'production',
  })
  // With REDIS_URL the CLI's revocations and user changes are published and acknowledged like a
  // server's: a command returns once every running instance has dropped its cached lookups.
  const sql = createSqlStores(database)
  const tessera = createTessera({
    stores: env.REDIS_URL ? withRedis(sql, env.REDIS_URL) : sql,
    secret,
    publicOrigin: env.PUBLIC_ORIGIN ?? `http://127.0.0.1:${env.PORT ?? 3000}`,
    mailer: mailerFromEnv({
      smtpUrl: env.SMTP_URL || undefined,
      from: env.MAIL_FROM || undefined,
      production: env.NODE_ENV === 'production',
      dataDir,
      log: out,
    }),
    ...(env.APP_NAME && { appName: env.APP_NAME }),
  })
  return { tessera, database, out, close: () => tessera.close() }
}
