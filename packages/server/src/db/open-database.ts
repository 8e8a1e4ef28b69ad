import { mkdirSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { Kysely, MysqlDialect, PostgresDialect, SqliteDialect } from 'kysely'
import { TesseraConfigError } from '../core/config-error.ts'
import { requireOptional } from '../node/optional-package.ts'
import { NodeSqliteDatabase } from './node-sqlite-database.ts'

export type SqlDialect = 'sqlite' | 'postgres' | 'mysql'

export interface Database<DB> {
  readonly kysely: Kysely<DB>
  readonly dialect: SqlDialect
  /** A printable form of the URL with any password removed. */
  readonly description: string
  /** SQLite only: moves whenever another connection (another process) commits to the file. */
  readonly dataVersion?: () => number
  close(): Promise<void>
}

export interface OpenDatabaseOptions {
  /** Pool size for PostgreSQL and MySQL. */
  poolSize?: number
  /** Milliseconds to wait for a connection before failing (fail closed, never queue forever). */
  connectTimeoutMs?: number
  /** Milliseconds a single statement may run. */
  statementTimeoutMs?: number
}

/**
 * The store a URL names. A `scheme://` that is none of ours (`postgress://`, `redis://`) is
 * a typo, never a SQLite file name: it fails at start with the URL's password hidden.
 */
export function dialectOf(url: string): SqlDialect {
  if (/^postgres(ql)?:\/\//i.test(url)) return 'postgres'
  if (/^(mysql|mariadb):\/\//i.test(url)) return 'mysql'
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(url)?.[1]
  if (scheme !== undefined && !/^(sqlite|file)$/i.test(scheme)) {
    throw new TesseraConfigError(
      `Tessera: DATABASE_URL ${redact(url)} names no database ("${scheme}:"); use sqlite:<file>, postgres://user@host:5432/db or mysql://user@host:3306/db`,
    )
  }
  return 'sqlite'
}

/** A server URL must parse before a driver sees it: drivers report a bad one with their own stack. */
function checkServerUrl(url: string): void {
  if (!URL.canParse(url)) {
    throw new TesseraConfigError(
      `Tessera: DATABASE_URL ${redact(url)} is not a valid URL; write it as scheme://user:password@host:port/database (percent-encode special characters in the password)`,
    )
  }
}

/** `sqlite:data/x.db`, `file:data/x.db`, a bare path, or `:memory:`. */
export function sqlitePath(url: string): string {
  const path = url.replace(/^(sqlite|file):(\/\/)?/i, '')
  return path === ':memory:' ? path : resolve(path)
}

function redact(url: string): string {
  return url.replace(/\/\/([^:/@]+):.*@/, '//$1:***@')
}

function loadPg(): typeof import('pg') {
  const pg = requireOptional<typeof import('pg')>('pg', 'DATABASE_URL is postgres://…')
  // int8 (bigint) columns hold epoch milliseconds, well inside Number's safe range.
  pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v))
  return pg
}

/** Opens the database that DATABASE_URL names, with bounded timeouts so an outage fails fast. */
export function openDatabase<DB>(url: string, options: OpenDatabaseOptions = {}): Database<DB> {
  const dialect = dialectOf(url)
  const connectTimeoutMs = options.connectTimeoutMs ?? 3000
  const statementTimeoutMs = options.statementTimeoutMs ?? 10_000
  const poolSize = options.poolSize ?? 10
  if (dialect !== 'sqlite') checkServerUrl(url)
  if (dialect === 'postgres') {
    const pg = loadPg()
    const pool = new pg.Pool({
      connectionString: url,
      max: poolSize,
      connectionTimeoutMillis: connectTimeoutMs,
      query_timeout: statementTimeoutMs,
      statement_timeout: statementTimeoutMs,
      idleTimeoutMillis: 30_000,
    })
    // An idle client losing its server must not crash the process; the next query reports it.
    pool.on('error', () => {})
    const kysely = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) })
    return { kysely, dialect, description: redact(url), close: () => kysely.destroy() }
  }
  if (dialect === 'mysql') {
    const { createPool } = requireOptional<typeof import('mysql2')>('mysql2', 'DATABASE_URL is mysql://…')
    const pool = createPool({
      uri: url.replace(/^mariadb:/i, 'mysql:'),
      connectionLimit: poolSize,
      connectTimeout: connectTimeoutMs,
      waitForConnections: true,
      queueLimit: 1000,
      enableKeepAlive: true,
      supportBigNumbers: true,
      bigNumberStrings: false,
    })
    const kysely = new Kysely<DB>({ dialect: new MysqlDialect({ pool }) })
    return { kysely, dialect, description: redact(url), close: () => kysely.destroy() }
  }
  const path = sqlitePath(url)
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true })
  const database = new NodeSqliteDatabase(path)
  const kysely = new Kysely<DB>({ dialect: new SqliteDialect({ database }) })
  return {
    kysely,
    dialect,
    description: `sqlite:${path}`,
    dataVersion: () => database.dataVersion(),
    async close() {
      await kysely.destroy()
      database.close()
    },
  }
}
