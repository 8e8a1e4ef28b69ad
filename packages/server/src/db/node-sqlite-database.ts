import { DatabaseSync, type StatementSync } from 'node:sqlite'
import type { SqliteDatabase, SqliteStatement } from 'kysely'
import { WalCheckpointer } from './wal-checkpointer.ts'

export interface NodeSqliteOptions {
  /** Milliseconds a writer waits for a lock before SQLITE_BUSY. */
  busyTimeoutMs?: number
  /** Prepared statements kept per connection (by SQL text). */
  statementCacheSize?: number
  /** The WAL's bound: past it, the committing connection checkpoints, and a reset log is cut back to it. Default 64 MiB. */
  walLimitBytes?: number
}

const DEFAULT_WAL_LIMIT_BYTES = 64 * 1024 * 1024

type Param = null | number | bigint | string | NodeJS.ArrayBufferView

/** node:sqlite binds no booleans or Dates; Kysely passes both. */
function bindable(value: unknown): Param {
  if (typeof value === 'boolean') return value ? 1 : 0
  if (value === undefined) return null
  if (value instanceof Date) return value.getTime()
  return value as Param
}

function toParams(parameters: ReadonlyArray<unknown>): Param[] {
  return parameters.map(bindable)
}

class NodeSqliteStatement implements SqliteStatement {
  readonly reader: boolean
  readonly #stmt: StatementSync

  constructor(stmt: StatementSync) {
    this.#stmt = stmt
    // A statement that yields columns is a reader, including INSERT … RETURNING.
    this.reader = stmt.columns().length > 0
  }

  all(parameters: ReadonlyArray<unknown>): unknown[] {
    return this.#stmt.all(...toParams(parameters))
  }

  run(parameters: ReadonlyArray<unknown>) {
    return this.#stmt.run(...toParams(parameters))
  }

  iterate(parameters: ReadonlyArray<unknown>): IterableIterator<unknown> {
    return this.#stmt.iterate(...toParams(parameters)) as IterableIterator<unknown>
  }
}

/**
 * Makes the built-in `node:sqlite` look like the better-sqlite3 subset that
 * Kysely's SqliteDialect needs, with WAL, a busy timeout, foreign keys on and
 * a small prepared-statement cache.
 */
export class NodeSqliteDatabase implements SqliteDatabase {
  readonly raw: DatabaseSync
  readonly #cache = new Map<string, NodeSqliteStatement>()
  readonly #cacheSize: number
  #dataVersion: StatementSync | undefined
  readonly #checkpointer: WalCheckpointer | undefined

  constructor(path: string, options: NodeSqliteOptions = {}) {
    this.raw = new DatabaseSync(path, { timeout: options.busyTimeoutMs ?? 5000 })
    this.#cacheSize = options.statementCacheSize ?? 256
    if (path !== ':memory:') {
      this.raw.exec('PRAGMA journal_mode = WAL')
      // Checkpoints move to a worker thread (see WalCheckpointer); commits only append to the WAL.
      // Its PASSIVE checkpoints never catch a steady stream of writes (a bulk import), and then
      // the log only grows (10 GB was seen): past the bound the committing connection, which no
      // other writer can race, checkpoints itself, and a reset log is truncated back to the bound.
      const limit = options.walLimitBytes ?? DEFAULT_WAL_LIMIT_BYTES
      const pageSize = (this.raw.prepare('PRAGMA page_size').get() as { page_size: number }).page_size
      this.raw.exec(`PRAGMA wal_autocheckpoint = ${Math.max(1, Math.floor(limit / pageSize))}`)
      this.raw.exec(`PRAGMA journal_size_limit = ${Math.floor(limit)}`)
      this.#checkpointer = new WalCheckpointer(path)
    }
    // NORMAL is durable in WAL mode against process crashes (kill -9); only an OS crash may lose the last commits.
    this.raw.exec('PRAGMA synchronous = NORMAL')
    this.raw.exec('PRAGMA foreign_keys = ON')
  }

  prepare(sql: string): NodeSqliteStatement {
    let stmt = this.#cache.get(sql)
    if (stmt === undefined) {
      stmt = new NodeSqliteStatement(this.raw.prepare(sql))
      if (this.#cache.size >= this.#cacheSize) this.#cache.delete(this.#cache.keys().next().value as string)
      this.#cache.set(sql, stmt)
    }
    return stmt
  }

  /** `PRAGMA data_version`: changes when another connection commits (https://sqlite.org/pragma.html#pragma_data_version). */
  dataVersion(): number {
    this.#dataVersion ??= this.raw.prepare('PRAGMA data_version')
    return (this.#dataVersion.get() as { data_version: number }).data_version
  }

  close(): void {
    this.#cache.clear()
    if (this.raw.isOpen) this.raw.close()
    // The worker makes a last checkpoint and closes its connection, truncating the WAL.
    void this.#checkpointer?.stop()
  }
}
