import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { type Generated, sql } from 'kysely'
import { DIALECTS, type FreshDatabase, freshDatabase } from '../../../../test/support/databases.ts'
import { migrateToLatest } from './migrate.ts'
import { type Database, dialectOf, openDatabase } from './open-database.ts'
import { addIdColumn } from './schema-helpers.ts'

interface Schema {
  thing: { id: Generated<number>; name: string; flag: number; at: number }
}

test('picks the dialect from the URL scheme', () => {
  assert.equal(dialectOf('postgres://u@h/db'), 'postgres')
  assert.equal(dialectOf('postgresql://u@h/db'), 'postgres')
  assert.equal(dialectOf('mysql://u@h/db'), 'mysql')
  assert.equal(dialectOf('mariadb://u@h/db'), 'mysql')
  assert.equal(dialectOf('sqlite:data/x.db'), 'sqlite')
  assert.equal(dialectOf('data/x.db'), 'sqlite')
})

test('redacts the password from the description', () => {
  const db = openDatabase('postgres://user:hunter2@127.0.0.1:1/db')
  assert.equal(db.description, 'postgres://user:***@127.0.0.1:1/db')
  return db.close()
})

const migrations = {
  '0001_thing': {
    async up(db: import('kysely').Kysely<unknown>) {
      await addIdColumn(db, db.schema.createTable('thing'))
        .addColumn('name', 'varchar(100)', (c) => c.notNull().unique())
        .addColumn('flag', 'smallint', (c) => c.notNull().defaultTo(0))
        .addColumn('at', 'bigint', (c) => c.notNull())
        .execute()
    },
  },
}

for (const dialect of DIALECTS) {
  describe(`database on ${dialect}`, () => {
    let fresh: FreshDatabase
    let db: Database<Schema>
    before(async () => {
      fresh = await freshDatabase(dialect)
      db = openDatabase<Schema>(fresh.url)
    })
    after(async () => {
      await db.close()
      await fresh.drop()
    })

    test('runs pending migrations once and records them', async () => {
      const set = { tableName: 'test_migration', migrations }
      assert.deepEqual(await migrateToLatest(db.kysely as never, set), ['0001_thing'])
      assert.deepEqual(await migrateToLatest(db.kysely as never, set), [])
    })

    test('round-trips rows with epoch-millisecond bigints and boolean flags as numbers', async () => {
      const at = Date.UTC(2030, 0, 1)
      await db.kysely.insertInto('thing').values({ name: 'a', flag: 1, at }).execute()
      const row = await db.kysely
        .selectFrom('thing')
        .selectAll()
        .where('name', '=', 'a')
        .executeTakeFirstOrThrow()
      assert.equal(row.at, at)
      assert.equal(typeof row.at, 'number')
      assert.equal(Number(row.flag), 1)
    })

    test('enforces unique constraints', async () => {
      await db.kysely.insertInto('thing').values({ name: 'b', flag: 0, at: 1 }).execute()
      await assert.rejects(db.kysely.insertInto('thing').values({ name: 'b', flag: 0, at: 2 }).execute())
    })

    test('binds SQL metacharacters as data', async () => {
      const name = "' OR 1=1 --"
      await db.kysely.insertInto('thing').values({ name, flag: 0, at: 3 }).execute()
      const rows = await db.kysely.selectFrom('thing').select('name').where('name', '=', name).execute()
      assert.deepEqual(
        rows.map((r) => r.name),
        [name],
      )
      const count = await sql<{ n: number }>`select count(*) as n from thing`.execute(db.kysely)
      assert.equal(Number(count.rows[0]?.n), 3)
    })
  })
}
