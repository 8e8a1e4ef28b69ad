import assert from 'node:assert/strict'
import { rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import { test } from 'node:test'
import { openDatabase } from '@tessera/server/db'
import type { InjectOptions } from 'fastify'
import { buildApp } from './build-app.ts'
import { migrateDirectory } from './db/directory-migrations.ts'
import type { DirectoryTables } from './db/directory-tables.ts'
import { newEmployee, PROBLEM_JSON, testConfig } from './testing/directory-fixture.ts'

async function assertOutage(url: string, request: InjectOptions) {
  const database = openDatabase<DirectoryTables>(url, { connectTimeoutMs: 1000 })
  const app = await buildApp({ database, config: testConfig(url), logger: false })
  try {
    const res = await app.inject(request)
    assert.equal(res.statusCode, 503, res.body)
    assert.equal(res.headers['content-type'], PROBLEM_JSON)
    assert.equal(res.headers['retry-after'], '5')
    assert.equal(res.json().code, 'service_unavailable')
    assert.doesNotMatch(res.body, /ECONN|127\.0\.0\.1|locked/)
  } finally {
    await app.close()
    await database.close()
  }
}

for (const url of ['postgres://postgres@127.0.0.1:1/directory', 'mysql://root@127.0.0.1:1/directory']) {
  test(`answers 503 with Retry-After when ${url.split(':')[0]} is unreachable`, {
    timeout: 15_000,
  }, async () => {
    await assertOutage(url, { url: '/api/employees/1' })
  })
}

test('answers 503 when another process holds the SQLite write lock past the busy timeout', {
  timeout: 20_000,
}, async (t) => {
  const file = join(tmpdir(), `directory-locked-${process.pid}-${Date.now()}.db`)
  const setup = openDatabase(`sqlite:${file}`)
  await migrateDirectory(setup.kysely)
  await setup.close()
  const holder = new DatabaseSync(file)
  holder.exec('BEGIN EXCLUSIVE')
  t.after(() => {
    holder.exec('ROLLBACK')
    holder.close()
    for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true })
  })
  await assertOutage(`sqlite:${file}`, {
    method: 'POST',
    url: '/api/employees',
    payload: newEmployee({ managerId: null }),
  })
})
