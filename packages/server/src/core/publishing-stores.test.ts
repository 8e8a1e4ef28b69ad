import assert from 'node:assert/strict'
import { test } from 'node:test'
import { openSqlStores } from '../../../../test/support/sql-stores.ts'
import { credentialRecord } from './credentials.ts'
import { publishingStores } from './publishing-stores.ts'
import type { RevocationBus, RevocationEvent } from './stores.ts'

/** A bus that every instance confirms at once, keeping what was published. */
function recordingBus(): { bus: RevocationBus; published: RevocationEvent[] } {
  const published: RevocationEvent[] = []
  const bus: RevocationBus = {
    async publish(event) {
      published.push(event)
      return { published: true, expected: 1, confirmed: 1, unconfirmed: [] }
    },
    subscribe: async () => async () => {},
  }
  return { bus, published }
}

test('without the cache, an email change and a fresh proof of the user are published like the cache publishes them', async () => {
  const opened = await openSqlStores('sqlite')
  try {
    const { bus, published } = recordingBus()
    const stores = publishingStores(opened.stores, bus, async () => {})
    const now = Date.now()
    const user = await stores.users.create(
      { email: 'ana@example.com', emailKey: 'ana@example.com', name: 'Ana', role: 'user', passwordHash: 'x' },
      now,
    )
    assert.notEqual(user, 'email_taken')
    if (user === 'email_taken') return
    const key = credentialRecord({
      userId: user.id,
      type: 'hmac',
      algorithm: 'hmac-sha256',
      keyMaterial: 'k1',
      label: 'ci',
      now,
      idleMs: 60_000,
      absoluteMs: 600_000,
      credentialEpoch: user.credentialEpoch,
    })
    await stores.credentials.create(key)
    await stores.users.changeEmail(user.id, 'ana2@example.com', 'ana2@example.com', now)
    assert.equal(await stores.credentials.markAuthenticated(key.id, now + 1), true)
    assert.deepEqual(published, [{ userId: user.id }, { credentialId: key.id }])
  } finally {
    await opened.close()
  }
})
