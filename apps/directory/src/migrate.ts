import { migrateToLatest, openDatabase } from '@tessera/server/db'
import { AUTH_MIGRATIONS } from '@tessera/server/sql'
import { loadConfig } from './config.ts'
import { migrateDirectory } from './db/directory-migrations.ts'

/** `npm run migrate`: runs the pending migrations (directory and Tessera's tables) alone and says which ran. */
async function migrate(): Promise<void> {
  const database = openDatabase(loadConfig().databaseUrl)
  try {
    const ran = [
      ...(await migrateDirectory(database.kysely)),
      ...(await migrateToLatest(database.kysely, AUTH_MIGRATIONS)),
    ]
    console.log(
      `${database.description}: ${ran.length === 0 ? 'no pending migrations' : `ran ${ran.join(', ')}`}`,
    )
  } finally {
    await database.close()
  }
}

migrate().catch((error: unknown) => {
  console.error(`migration failed: ${error instanceof Error ? error.message : String(error)}`)
  process.exitCode = 1
})
