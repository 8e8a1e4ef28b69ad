import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { type OpenedSqlStores, openSqlStores } from '../../../../test/support/sql-stores.ts'
import { openDatabase } from '../db/index.ts'
import { createSqlStores } from '../stores/sql/index.ts'
import { CachingCredentialStore } from './credential-cache.ts'
import { newSession } from './credentials.ts'
import type { CredentialStore, RevocationBus, RevocationEvent } from './stores.ts'

let opened: OpenedSqlStores
before(async () => {
  opened = await openSqlStores()
})
after(() => opened.close())

const NOW = Date.now()
let n = 0

/** Counts reads that reach the database. */
function counting(inner: CredentialStore) {
  const counts = { reads: 0 }
  const store: CredentialStore = Object.create(inner)
  store.findById = (id) => {
    counts.reads++
    return inner.findById(id)
  }
  store.findByTokenHash = (hash) => {
    counts.reads++
    return inner.findByTokenHash(hash)
  }
  return { store, counts }
}

/** An in-process bus shared by several caches, as Redis pub/sub is shared by instances. */
class SharedBus implements RevocationBus {
  readonly #listeners = new Set<(event: RevocationEvent) => void>()
  live = true
  resubscriptions = 0
  async publish(event: RevocationEvent) {
    for (const listener of this.#listeners) listener(event)
    const expected = this.#listeners.size
    return { published: true, expected, confirmed: expected, unconfirmed: [] }
  }
  async subscribe(listener: (event: RevocationEvent) => void) {
    this.#listeners.add(listener)
    return async () => void this.#listeners.delete(listener)
  }
  isLive() {
    return this.live
  }
  generation() {
    return this.resubscriptions
  }
}

/** A cache on the real SQLite store, kept honest by its change counter (the single-host setup). */
function sqliteCache(store: CredentialStore = opened.stores.credentials): CachingCredentialStore {
  return new CachingCredentialStore(store, { changeCounter: opened.stores.changeCounter })
}

async function aSession() {
  const email = `cache${++n}@example.com`
  const user = await opened.stores.users.create(
    { email, emailKey: email, name: 'C', role: 'user', passwordHash: 'x' },
    NOW,
  )
  if (user === 'email_taken') throw new Error('unreachable')
  const { record } = newSession({
    userId: user.id,
    label: 't',
    now: NOW,
    idleMs: 3_600_000,
    absoluteMs: 7_200_000,
    credentialEpoch: user.credentialEpoch,
  })
  await opened.stores.credentials.create(record)
  return { user, record }
}

test('serves a repeated lookup from memory', async () => {
  const { store, counts } = counting(opened.stores.credentials)
  const cache = sqliteCache(store)
  const { record } = await aSession()
  await cache.findByTokenHash(record.tokenHash as string)
  await cache.findByTokenHash(record.tokenHash as string)
  await cache.findById(record.id)
  assert.equal(counts.reads, 1)
})

test('a revocation through the cache is seen by the very next lookup', async () => {
  const cache = sqliteCache()
  const { record } = await aSession()
  assert.equal((await cache.findByTokenHash(record.tokenHash as string))?.credential.revokedAt, null)
  await cache.revoke(record.id, NOW + 1)
  assert.equal((await cache.findByTokenHash(record.tokenHash as string))?.credential.revokedAt, NOW + 1)
})

test("another process's write (the CLI on the same SQLite file) is seen within a millisecond", async () => {
  const cache = sqliteCache()
  const { record } = await aSession()
  await cache.findByTokenHash(record.tokenHash as string)
  const other = openDatabase<never>(opened.url)
  await createSqlStores(other).credentials.revoke(record.id, NOW + 2)
  await other.close()
  await new Promise((resolve) => setTimeout(resolve, 2))
  assert.equal((await cache.findByTokenHash(record.tokenHash as string))?.credential.revokedAt, NOW + 2)
})

test('a revocation on one instance reaches the cache of another through the bus', async () => {
  const bus = new SharedBus()
  const a = new CachingCredentialStore(opened.stores.credentials, { bus })
  const b = new CachingCredentialStore(opened.stores.credentials, { bus })
  await Promise.all([a.start(), b.start()])
  const { record } = await aSession()
  await b.findById(record.id)
  await a.revoke(record.id, NOW + 3)
  assert.equal((await b.findById(record.id))?.credential.revokedAt, NOW + 3)
})

test('a user change (role, disabled) drops that user’s cached credentials everywhere', async () => {
  const bus = new SharedBus()
  const a = new CachingCredentialStore(opened.stores.credentials, { bus })
  const b = new CachingCredentialStore(opened.stores.credentials, { bus })
  await Promise.all([a.start(), b.start()])
  const { user, record } = await aSession()
  await b.findById(record.id)
  await a.watchUsers(opened.stores.users).update(user.id, { disabled: true }, NOW + 4)
  assert.equal((await b.findById(record.id))?.user.disabled, true)
})

test('trusts no memory while the bus is down, and forgets everything when it comes back', async () => {
  const bus = new SharedBus()
  const { store, counts } = counting(opened.stores.credentials)
  const cache = new CachingCredentialStore(store, { bus })
  await cache.start()
  const { record } = await aSession()
  await cache.findById(record.id)
  await cache.findById(record.id)
  assert.equal(counts.reads, 1)
  bus.live = false
  await cache.findById(record.id)
  await cache.findById(record.id)
  assert.equal(counts.reads, 3, 'every lookup reads while events may be missed')
  bus.live = true
  await cache.findById(record.id)
  await cache.findById(record.id)
  assert.equal(counts.reads, 4)
})

test('does not remember a lookup that raced a revocation', async () => {
  const cache = sqliteCache()
  const { record } = await aSession()
  const inFlight = cache.findById(record.id)
  await cache.revoke(record.id, NOW + 5)
  await inFlight
  assert.equal((await cache.findById(record.id))?.credential.revokedAt, NOW + 5)
})

test('expires entries after the TTL even without any event', async () => {
  let clock = NOW
  const { store, counts } = counting(opened.stores.credentials)
  const cache = new CachingCredentialStore(store, {
    changeCounter: opened.stores.changeCounter,
    ttlMs: 1000,
    now: () => clock,
  })
  const { record } = await aSession()
  await cache.findById(record.id)
  clock += 1000
  await cache.findById(record.id)
  assert.equal(counts.reads, 2)
})

test('forgets everything when the bus dropped and came back between two lookups', async () => {
  const bus = new SharedBus()
  const { store, counts } = counting(opened.stores.credentials)
  const cache = new CachingCredentialStore(store, { bus })
  await cache.start()
  const { record } = await aSession()
  await cache.findById(record.id)
  await cache.findById(record.id)
  assert.equal(counts.reads, 1)
  bus.resubscriptions++
  await cache.findById(record.id)
  assert.equal(counts.reads, 2)
})

test('reports a revocation not every instance confirmed, before the revoking call returns', async () => {
  const receipt = { published: true, expected: 3, confirmed: 2, unconfirmed: ['slow-one'] }
  const bus: RevocationBus = {
    publish: async () => receipt,
    subscribe: async () => async () => {},
  }
  const heard: unknown[] = []
  const cache = new CachingCredentialStore(opened.stores.credentials, {
    bus,
    onUnconfirmed: async (event, got) => {
      await Promise.resolve()
      heard.push({ event, got })
    },
  })
  await cache.start()
  const { record } = await aSession()
  await cache.revoke(record.id, NOW + 4)
  assert.deepEqual(heard, [{ event: { credentialId: record.id }, got: receipt }])
  await cache.revokeAllForUser(record.userId, NOW + 5)
  assert.equal(heard.length, 2)
})

test('does not report a revocation every subscribed instance confirmed', async () => {
  const bus = new SharedBus()
  const heard: unknown[] = []
  const cache = new CachingCredentialStore(opened.stores.credentials, {
    bus,
    onUnconfirmed: async (event) => void heard.push(event),
  })
  await cache.start()
  const { record } = await aSession()
  await cache.revoke(record.id, NOW + 6)
  assert.deepEqual(heard, [])
})
