import { type Kysely, type Migration, Migrator } from 'kysely'

export interface MigrationSet {
  /** The table that records which of this set's migrations ran. */
  tableName: string
  /** Migrations by name; names sort in the order they run (`0001_users`, `0002_…`). */
  migrations: Record<string, Migration>
}

/** Runs every pending migration of a set; throws with the failing migration's name. */
export async function migrateToLatest(db: Kysely<unknown>, set: MigrationSet): Promise<string[]> {
  const migrator = new Migrator({
    db,
    migrationTableName: set.tableName,
    migrationLockTableName: `${set.tableName}_lock`,
    provider: { getMigrations: async () => set.migrations },
  })
  const { error, results = [] } = await migrator.migrateToLatest()
  const failed = results.find((r) => r.status === 'Error')
  if (error !== undefined) {
    const cause = error instanceof Error ? error : new Error(String(error))
    throw new Error(`migration ${failed?.migrationName ?? '(setup)'} failed: ${cause.message}`, { cause })
  }
  return results.filter((r) => r.status === 'Success').map((r) => r.migrationName)
}
