import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { PasskeyRecord } from '../../src/core/passkey-store.ts'
import type { Stores } from '../../src/core/stores.ts'
import { type OpenStores, useStores } from './open-stores.ts'
import { uniqueId } from './unique-id.ts'

const NOW = Date.UTC(2030, 0, 1)

async function newUserId(stores: Pick<Stores, 'users'>): Promise<number> {
  const email = `${uniqueId('pk')}@example.test`
  const user = await stores.users.create(
    { email, emailKey: email, name: 'P', role: 'user', passwordHash: 'h' },
    NOW,
  )
  assert.notEqual(user, 'email_taken')
  return (user as { id: number }).id
}

function passkey(userId: number, overrides: Partial<PasskeyRecord> = {}): PasskeyRecord {
  return {
    id: uniqueId('cred').replace(/[^A-Za-z0-9_-]/g, ''),
    userId,
    publicKey: 'pQECAyYgASFYIA',
    signCount: 0,
    backedUp: false,
    deviceType: 'singleDevice',
    transports: ['internal', 'hybrid'],
    name: 'Laptop',
    createdAt: NOW,
    lastUsedAt: null,
    ...overrides,
  }
}

/** The PasskeyStore contract, on every backend. */
export function passkeyStoreSuite(backend: string, open: OpenStores<'users' | 'passkeys'>): void {
  describe(`PasskeyStore on ${backend}`, () => {
    const stores = useStores(open)

    test('stores a passkey once and finds it by id and by user', async () => {
      const userId = await newUserId(stores())
      const p = passkey(userId)
      assert.equal(await stores().passkeys.create(p), true)
      assert.equal(await stores().passkeys.create({ ...p, userId: await newUserId(stores()) }), false)
      assert.deepEqual(await stores().passkeys.findById(p.id), p)
      assert.deepEqual(await stores().passkeys.listForUser(userId), [p])
    })

    test('records a use at the counter it was checked against; of 20 parallel uses one wins', async () => {
      const p = passkey(await newUserId(stores()), { signCount: 5 })
      await stores().passkeys.create(p)
      const use = { signCount: 6, backedUp: true, now: NOW + 1 }
      const results = await Promise.all(
        Array.from({ length: 20 }, () => stores().passkeys.recordUse(p.id, 5, use)),
      )
      assert.equal(results.filter(Boolean).length, 1)
      const found = await stores().passkeys.findById(p.id)
      assert.deepEqual([found?.signCount, found?.backedUp, found?.lastUsedAt], [6, true, NOW + 1])
    })

    test('renames and removes only the owner’s passkey', async () => {
      const [owner, other] = [await newUserId(stores()), await newUserId(stores())]
      const p = passkey(owner)
      await stores().passkeys.create(p)
      assert.equal(await stores().passkeys.rename(other, p.id, 'Stolen'), false)
      assert.equal(await stores().passkeys.remove(other, p.id), false)
      assert.equal(await stores().passkeys.rename(owner, p.id, 'Phone'), true)
      assert.equal((await stores().passkeys.findById(p.id))?.name, 'Phone')
      assert.equal(await stores().passkeys.remove(owner, p.id), true)
      assert.equal(await stores().passkeys.findById(p.id), undefined)
    })
  })
}
