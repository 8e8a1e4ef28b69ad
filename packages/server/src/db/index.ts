export { type MigrationSet, migrateToLatest } from './migrate.ts'
export { NodeSqliteDatabase } from './node-sqlite-database.ts'
export {
  type Database,
  dialectOf,
  type OpenDatabaseOptions,
  openDatabase,
  type SqlDialect,
  sqlitePath,
} from './open-database.ts'
export { addIdColumn, dialectOfKysely } from './schema-helpers.ts'
