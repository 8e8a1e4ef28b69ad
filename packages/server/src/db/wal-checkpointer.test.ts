import assert from 'node:assert/strict'
import { rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { setTimeout as sleep } from 'node:timers/promises'
import { NodeSqliteDatabase } from './node-sqlite-database.ts'

test('commits only append to the WAL; the worker copies them into the database file', async (t) => {
  const file = join(tmpdir(), `wal-${process.pid}-${Date.now()}.db`)
  t.after(() => {
    for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true })
  })
  const db = new NodeSqliteDatabase(file)
  db.raw.exec('CREATE TABLE t (x TEXT)')
  const before = statSync(file).size
  const insert = db.raw.prepare('INSERT INTO t VALUES (?)')
  for (let i = 0; i < 2000; i++) insert.run('x'.repeat(100))
  assert.ok(statSync(`${file}-wal`).size > 200_000, 'the rows went to the WAL')
  let after = before
  for (let i = 0; i < 50 && after <= before + 100_000; i++) {
    await sleep(50)
    after = statSync(file).size
  }
  assert.ok(
    after > before + 100_000,
    `the database file grew from ${before} to ${after} bytes by checkpoints`,
  )
  db.close()
})

test('a steady stream of writes keeps the WAL near its bound: the committing connection checkpoints past it', async (t) => {
  const file = join(tmpdir(), `wal-bound-${process.pid}-${Date.now()}.db`)
  const limit = 1024 * 1024
  const db = new NodeSqliteDatabase(file, { walLimitBytes: limit })
  t.after(() => {
    db.close()
    for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true })
  })
  db.raw.exec('CREATE TABLE t (x TEXT)')
  const insert = db.raw.prepare('INSERT INTO t VALUES (?)')
  let largest = 0
  // A bulk import of 32 MiB: small transactions, the event loop free between them.
  for (let batch = 0; batch < 800; batch++) {
    db.raw.exec('BEGIN')
    for (let i = 0; i < 40; i++) insert.run('x'.repeat(1000))
    db.raw.exec('COMMIT')
    largest = Math.max(largest, statSync(`${file}-wal`).size)
    await new Promise((resolve) => setImmediate(resolve))
  }
  assert.ok(largest < 3 * limit, `the WAL reached ${largest} bytes, bound ${limit}`)
})
