import { type CreateTableBuilder, type Kysely, sql } from 'kysely'
import { dialectOfKysely } from '../../../db/index.ts'

type Table<T extends string> = CreateTableBuilder<T, never>

/**
 * MariaDB/MySQL: utf8mb4 whatever the server default, and a binary collation so that keys
 * compare byte for byte as on SQLite and PostgreSQL (`_ci` collations would make the nonce
 * `aB` a replay of `Ab`, and `josé@x` taken by `jose@x`). Every indexed varchar stays within
 * InnoDB's 3072-byte key limit at 4 bytes a character (largest: email_key, 1280 bytes).
 */
export function createTable<T extends string>(db: Kysely<unknown>, name: T): Table<T> {
  const table = db.schema.createTable(name)
  if (dialectOfKysely(db) !== 'mysql') return table
  return table.modifyEnd(sql`engine = InnoDB default charset = utf8mb4 collate = utf8mb4_bin`)
}
