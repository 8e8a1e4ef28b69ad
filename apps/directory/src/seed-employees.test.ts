import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { type Database, openDatabase } from '@tessera/server/db'
import { DIALECTS, type FreshDatabase, freshDatabase } from '../../../test/support/databases.ts'
import { migrateDirectory } from './db/directory-migrations.ts'
import type { DirectoryTables } from './db/directory-tables.ts'
import { EmployeeRepository } from './employees/employee-repository.ts'
import { SEED_SIZE, seedEmployees } from './seed-employees.ts'

for (const dialect of DIALECTS) {
  describe(`migrations and seed on ${dialect}`, () => {
    let fresh: FreshDatabase
    let database: Database<DirectoryTables>
    before(async () => {
      fresh = await freshDatabase(dialect)
      database = openDatabase<DirectoryTables>(fresh.url)
    })
    after(async () => {
      await database.close()
      await fresh.drop()
    })

    test('runs the employee migration once', async () => {
      assert.deepEqual(await migrateDirectory(database.kysely as never), ['0001_employee'])
      assert.deepEqual(await migrateDirectory(database.kysely as never), [])
    })

    test('seeds an empty table once, with the CEO as employee 1 over four levels', async () => {
      const repository = new EmployeeRepository(database.kysely)
      assert.equal(await seedEmployees(repository), SEED_SIZE)
      assert.equal(await seedEmployees(repository), 0)
      assert.equal(await repository.count(), SEED_SIZE)
      const everyone = await repository.list()
      const byId = new Map(everyone.map((e) => [e.id, e]))
      assert.equal(byId.get(1)?.title, 'Chief Executive Officer')
      const depth = (id: number): number => {
        const managerId = byId.get(id)?.managerId
        return managerId == null ? 1 : 1 + depth(managerId)
      }
      assert.deepEqual([...new Set(everyone.map((e) => depth(e.id)))].sort(), [1, 2, 3, 4])
      assert.ok(new Set(everyone.map((e) => e.department)).size >= 4)
      assert.ok(new Set(everyone.map((e) => e.city)).size >= 3)
      assert.ok((await repository.search('an')).length >= 5)
    })
  })
}
