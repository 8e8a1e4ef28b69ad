import type { MigrationSet } from '@tessera/server/db'
import { addIdColumn, dialectOfKysely, migrateToLatest } from '@tessera/server/db'
import type { Kysely } from 'kysely'

async function createEmployeeTable(db: Kysely<unknown>): Promise<void> {
  await addIdColumn(db, db.schema.createTable('employee'))
    .addColumn('first_name', 'varchar(100)', (c) => c.notNull())
    .addColumn('last_name', 'varchar(100)', (c) => c.notNull())
    .addColumn('title', 'varchar(100)', (c) => c.notNull())
    .addColumn('department', 'varchar(100)', (c) => c.notNull())
    .addColumn('city', 'varchar(100)', (c) => c.notNull())
    .addColumn('manager_id', 'integer')
    .addColumn('office_phone', 'varchar(32)')
    .addColumn('cell_phone', 'varchar(32)')
    .addColumn('email', 'varchar(254)', (c) => c.notNull())
    .addColumn('modified_at', 'bigint', (c) => c.notNull())
    // Table-level constraint: MySQL/MariaDB silently ignore an inline column REFERENCES.
    .addForeignKeyConstraint('employee_manager_fk', ['manager_id'], 'employee', ['id'], (fk) =>
      fk.onDelete('set null'),
    )
    .execute()
}

async function createEmployeeIndexes(db: Kysely<unknown>): Promise<void> {
  // InnoDB already indexes a foreign key's columns; a second index would only cost writes.
  if (dialectOfKysely(db) !== 'mysql') {
    await db.schema.createIndex('employee_manager_idx').on('employee').column('manager_id').execute()
  }
  await db.schema.createIndex('employee_modified_idx').on('employee').column('modified_at').execute()
  // Serves the list order (last, first) and prefix lookups by last name.
  await db.schema
    .createIndex('employee_name_idx')
    .on('employee')
    .columns(['last_name', 'first_name'])
    .execute()
}

/** The directory's own migrations, recorded in `directory_migration` apart from the auth tables'. */
export const DIRECTORY_MIGRATIONS: MigrationSet = {
  tableName: 'directory_migration',
  migrations: {
    '0001_employee': {
      async up(db: Kysely<unknown>) {
        await createEmployeeTable(db)
        await createEmployeeIndexes(db)
      },
      async down(db: Kysely<unknown>) {
        await db.schema.dropTable('employee').execute()
      },
    },
  },
}

/** Runs the directory's pending migrations; answers the names of those that ran. */
export function migrateDirectory(db: Kysely<unknown>): Promise<string[]> {
  return migrateToLatest(db, DIRECTORY_MIGRATIONS)
}
