import { randomBytes } from 'node:crypto'
import { rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { SqlDialect } from '@tessera/server/db'
import { createConnection } from 'mysql2/promise'
import pg from 'pg'

/** The real databases every store suite runs against; `STORES=sqlite` (comma list) narrows them. */
export const DIALECTS: SqlDialect[] = (process.env.STORES ?? 'sqlite,postgres,mysql')
  .split(',')
  .map((s) => s.trim())
  .filter((s): s is SqlDialect => s === 'sqlite' || s === 'postgres' || s === 'mysql')

const PG_ADMIN_URL = process.env.PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'
const MYSQL_ADMIN_URL = process.env.MYSQL_ADMIN_URL ?? 'mysql://root@127.0.0.1:3306/test'

export interface FreshDatabase {
  url: string
  drop(): Promise<void>
}

/** Creates an empty database of its own for one test file, and drops it afterwards. */
export async function freshDatabase(dialect: SqlDialect): Promise<FreshDatabase> {
  const name = `tessera_t_${randomBytes(6).toString('hex')}`
  if (dialect === 'sqlite') {
    const file = join(tmpdir(), `${name}.db`)
    return {
      url: `sqlite:${file}`,
      async drop() {
        for (const suffix of ['', '-wal', '-shm', '.nonces'])
          rmSync(file + suffix, { force: true, recursive: true })
      },
    }
  }
  if (dialect === 'postgres') {
    const admin = new pg.Client({ connectionString: PG_ADMIN_URL })
    await admin.connect()
    await admin.query(`CREATE DATABASE ${name}`)
    await admin.end()
    const url = new URL(PG_ADMIN_URL)
    url.pathname = `/${name}`
    return {
      url: url.toString(),
      async drop() {
        const c = new pg.Client({ connectionString: PG_ADMIN_URL })
        await c.connect()
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
        await c.end()
      },
    }
  }
  const admin = await createConnection(MYSQL_ADMIN_URL)
  await admin.query(`CREATE DATABASE ${name} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`)
  await admin.end()
  const url = new URL(MYSQL_ADMIN_URL)
  url.pathname = `/${name}`
  return {
    url: url.toString(),
    async drop() {
      const c = await createConnection(MYSQL_ADMIN_URL)
      await c.query(`DROP DATABASE IF EXISTS ${name}`)
      await c.end()
    },
  }
}
