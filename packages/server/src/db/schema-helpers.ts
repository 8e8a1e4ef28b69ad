import {
  type ColumnDefinitionBuilder,
  type CreateTableBuilder,
  type Kysely,
  PostgresAdapter,
  SqliteAdapter,
} from 'kysely'
import type { SqlDialect } from './open-database.ts'

/** Which SQL dialect a Kysely instance speaks, for the few DDL details that differ. */
export function dialectOfKysely(db: Kysely<unknown>): SqlDialect {
  const adapter = db.getExecutor().adapter
  if (adapter instanceof PostgresAdapter) return 'postgres'
  if (adapter instanceof SqliteAdapter) return 'sqlite'
  return 'mysql'
}

/** An auto-incrementing integer primary key named `id` in every dialect. */
export function addIdColumn<T extends string>(
  db: Kysely<unknown>,
  table: CreateTableBuilder<T, never>,
): CreateTableBuilder<T, 'id'> {
  if (dialectOfKysely(db) === 'postgres') {
    return table.addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
  }
  return table.addColumn('id', 'integer', (c: ColumnDefinitionBuilder) => c.primaryKey().autoIncrement())
}
