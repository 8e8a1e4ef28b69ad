import assert from 'node:assert/strict'
import { appendFileSync, cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, test } from 'node:test'
import { StoreUnavailableError } from '../../core/errors.ts'
import { JournalNonceStore, type JournalNonceStoreOptions } from './journal-nonce-store.ts'

const NOW = Date.UTC(2030, 0, 1)
const WINDOW = 301_000
const directories: string[] = []
const stores: JournalNonceStore[] = []

function open(directory?: string, options: JournalNonceStoreOptions = {}) {
  const dir = directory ?? mkdtempSync(join(tmpdir(), 'tessera-journal-'))
  if (directory === undefined) directories.push(dir)
  const store = new JournalNonceStore(dir, { bootId: 'boot-1', now: () => NOW, ...options })
  stores.push(store)
  return { store, dir }
}

/** A copy of the journal as a crash leaves it: no `closed` record, and no lock (the process is gone). */
function crashCopy(dir: string): string {
  const copy = mkdtempSync(join(tmpdir(), 'tessera-journal-crash-'))
  directories.push(copy)
  for (const name of readdirSync(dir).filter((n) => n !== 'lock' && n !== 'lock-journal'))
    cpSync(join(dir, name), join(copy, name))
  return copy
}

afterEach(async () => {
  for (const store of stores.splice(0)) await store.close()
  for (const dir of directories.splice(0)) rmSync(dir, { recursive: true, force: true })
})

describe('JournalNonceStore', () => {
  test('accepts exactly one of 500 parallel consumes of one nonce', async () => {
    const { store } = open()
    const results = await Promise.all(
      Array.from({ length: 500 }, () => store.consume('k', 'n'.repeat(22), NOW + WINDOW, NOW)),
    )
    assert.equal(results.filter(Boolean).length, 1)
  })

  test('after a process crash on the same boot, the journal is trusted: replays refused, fresh nonces accepted', async () => {
    const { store, dir } = open()
    assert.equal(await store.consume('k', 'spent', NOW + WINDOW, NOW), true)
    const after = open(crashCopy(dir)).store
    assert.equal(await after.consume('k', 'spent', NOW + WINDOW, NOW + 1), false)
    assert.equal(await after.consume('k', 'fresh', NOW + WINDOW, NOW + 1), true)
  })

  test('after an unclean stop and a reboot, signatures created before the start are refused, later ones accepted', async () => {
    const { store, dir } = open()
    assert.equal(await store.consume('k', 'spent', NOW + WINDOW, NOW), true)
    const after = open(crashCopy(dir), { bootId: 'boot-2' }).store
    // A nonce the journal lost would look fresh: anything expiring within 361 s of the start is refused.
    assert.equal(await after.consume('k', 'maybe-lost', NOW + 361_000, NOW), false)
    assert.equal(await after.consume('k', 'created-after', NOW + 361_001, NOW), true)
  })

  test('after a clean stop and a reboot, the journal is trusted', async () => {
    const { store, dir } = open()
    assert.equal(await store.consume('k', 'spent', NOW + WINDOW, NOW), true)
    await store.close()
    const after = open(dir, { bootId: 'boot-2' }).store
    assert.equal(await after.consume('k', 'spent', NOW + WINDOW, NOW), false)
    assert.equal(await after.consume('k', 'fresh', NOW + WINDOW, NOW), true)
  })

  test('skips a torn last record of the journal', async () => {
    const { store, dir } = open()
    assert.equal(await store.consume('k', 'spent', NOW + WINDOW, NOW), true)
    const copy = crashCopy(dir)
    const segment = readdirSync(copy).find((n) => n.startsWith('segment-'))!
    appendFileSync(join(copy, segment), Buffer.from([1, 2, 3, 4, 5, 6, 7]))
    const after = open(copy).store
    assert.equal(await after.consume('k', 'spent', NOW + WINDOW, NOW), false)
    assert.equal(await after.consume('k', 'fresh', NOW + WINDOW, NOW), true)
  })

  test('a journal whose seeds are lost cannot be read: treated like a reboot after an unclean stop', async () => {
    const { store, dir } = open()
    assert.equal(await store.consume('k', 'spent', NOW + WINDOW, NOW), true)
    const copy = crashCopy(dir)
    rmSync(join(copy, 'seeds'))
    const after = open(copy).store
    assert.equal(await after.consume('k', 'spent', NOW + WINDOW, NOW), false)
    assert.equal(await after.consume('k', 'created-after', NOW + 361_001, NOW), true)
  })

  test('a second store on the same directory fails closed while the first holds it', async () => {
    const { store, dir } = open()
    assert.equal(await store.consume('k', 'a', NOW + WINDOW, NOW), true)
    const second = open(dir).store
    await assert.rejects(second.consume('k', 'b', NOW + WINDOW, NOW), StoreUnavailableError)
  })

  test('forgets nonces once their second has passed, without a sweep', async () => {
    const { store } = open()
    for (let i = 0; i < 100; i++) await store.consume('k', `old-${i}`, NOW + 1000, NOW)
    assert.equal(store.liveAt(NOW), 100)
    assert.equal(
      await store.consume('k', 'old-1', NOW + 5000, NOW + 1000),
      true,
      'expired: a new nonce again',
    )
    assert.equal(store.liveAt(NOW + 1000), 1)
  })

  test('memory is bounded: beyond maxNonces live nonces a consume fails closed', async () => {
    const { store } = open(undefined, { maxNonces: 10 })
    for (let i = 0; i < 10; i++) assert.equal(await store.consume('k', `n-${i}`, NOW + WINDOW, NOW), true)
    await assert.rejects(store.consume('k', 'one-too-many', NOW + WINDOW, NOW), StoreUnavailableError)
    // Once those expire, there is room again.
    assert.equal(await store.consume('k', 'room', NOW + 2 * WINDOW, NOW + WINDOW), true)
  })

  test('disk is bounded: segments rotate and are deleted once their nonces have expired', async () => {
    const { store } = open(undefined, { rotateMs: 1000 })
    // 60 s of traffic, a nonce every 100 ms, each remembered 5 s.
    for (let t = 0; t < 60_000; t += 100) await store.consume('k', `n-${t}`, NOW + t + 5000, NOW + t)
    // At most window / rotateMs segments with live nonces, + the one being written.
    assert.ok(store.segmentCount <= 7, `segments: ${store.segmentCount}`)
    // 5 s of nonces at 10/s.
    assert.ok(store.liveAt(NOW + 60_000) <= 50, `live nonces: ${store.liveAt(NOW + 60_000)}`)
    assert.equal(store.bytes, 4096 * 16, 'the table never grew past its first size')
  })
})

test('memory per live nonce stays within 107 bytes (16-byte slots at 15–60 % load)', async () => {
  const { store } = open()
  const count = 50_000
  for (let i = 0; i < count; i++)
    store.consume(
      'key_with_a_typical_length_0123456789abcdef',
      `nonce-${i}-xxxxxxxxxxxxxxxx`,
      NOW + WINDOW,
      NOW,
    )
  await store.consume('k', 'last', NOW + WINDOW, NOW)
  assert.equal(store.liveAt(NOW), count + 1)
  assert.ok(store.bytes / count <= 107, `${store.bytes / count} bytes per nonce`)
})

test('a sweep in a process that never consumed takes no lock (the CLI beside a running server)', async () => {
  const { store, dir } = open()
  assert.equal(await store.consume('k', 'a', NOW + WINDOW, NOW), true)
  const cli = open(dir).store
  assert.equal(await cli.deleteExpired(NOW + 2 * WINDOW), 0)
  assert.equal(await store.consume('k', 'b', NOW + WINDOW, NOW), true, 'the server keeps its journal')
})
