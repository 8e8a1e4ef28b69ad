import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { NewUser, UserChanges, UserRecord } from '../../src/core/stores.ts'
import { type OpenStores, useStores } from './open-stores.ts'
import { uniqueId } from './unique-id.ts'

const NOW = Date.UTC(2030, 0, 1)

function newUser(overrides: Partial<NewUser> = {}): NewUser {
  const email = `${uniqueId('user')}@example.test`
  return {
    email,
    emailKey: email,
    name: 'Ada Lovelace',
    role: 'user',
    passwordHash: '$argon2id$v=19$x',
    ...overrides,
  }
}

function created(result: UserRecord | 'email_taken'): UserRecord {
  assert.notEqual(result, 'email_taken')
  return result as UserRecord
}

/** The UserStore contract, run against every backend. */
export function userStoreSuite(backend: string, open: OpenStores<'users'>): void {
  describe(`UserStore on ${backend}`, { timeout: 30_000 }, () => {
    const stores = useStores(open)

    test('creates a user and finds it by email key and by id', async () => {
      const input = newUser({ email: `${uniqueId('Mixed')}@Example.test`, role: 'admin' })
      const user = created(await stores().users.create(input, NOW))
      assert.ok(Number.isInteger(user.id) && user.id > 0)
      const expected = {
        ...input,
        id: user.id,
        disabled: false,
        credentialEpoch: 0,
        emailVerifiedAt: null,
        createdAt: NOW,
        updatedAt: NOW,
      }
      assert.deepEqual(user, expected)
      assert.deepEqual(await stores().users.findByEmailKey(input.emailKey), expected)
      assert.deepEqual(await stores().users.findById(user.id), expected)
    })

    test('answers undefined for unknown users', async () => {
      assert.equal(await stores().users.findByEmailKey(`${uniqueId('nobody')}@example.test`), undefined)
      assert.equal(await stores().users.findById(2_000_000_000), undefined)
      assert.equal(await stores().users.update(2_000_000_000, { name: 'x' }, NOW), undefined)
    })

    test('answers email_taken for an existing email key and keeps the first user', async () => {
      const first = created(await stores().users.create(newUser(), NOW))
      const again = await stores().users.create(newUser({ emailKey: first.emailKey, name: 'Other' }), NOW + 1)
      assert.equal(again, 'email_taken')
      assert.deepEqual(await stores().users.findByEmailKey(first.emailKey), first)
    })

    test('creates exactly one user out of 20 parallel creates of one email', async () => {
      const input = newUser()
      const results = await Promise.all(Array.from({ length: 20 }, () => stores().users.create(input, NOW)))
      const users = results.filter((r) => r !== 'email_taken')
      assert.equal(users.length, 1)
      assert.equal(results.filter((r) => r === 'email_taken').length, 19)
      assert.deepEqual(await stores().users.findByEmailKey(input.emailKey), users[0])
    })

    test('keeps email keys distinct that differ only by accent or case', async () => {
      const base = uniqueId('jose')
      const plain = created(await stores().users.create(newUser({ emailKey: `${base}@example.test` }), NOW))
      const accent = created(await stores().users.create(newUser({ emailKey: `${base}é@example.test` }), NOW))
      const upper = created(
        await stores().users.create(newUser({ emailKey: `${base.toUpperCase()}@example.test` }), NOW),
      )
      assert.equal(new Set([plain.id, accent.id, upper.id]).size, 3)
      assert.equal((await stores().users.findByEmailKey(`${base}é@example.test`))?.id, accent.id)
    })

    test('stores names and emails beyond the basic multilingual plane verbatim', async () => {
      const email = `${uniqueId('zoë')}@exämple.test`
      const user = created(
        await stores().users.create(newUser({ email, emailKey: email, name: 'Zoë 🦄 名前' }), NOW),
      )
      const found = await stores().users.findById(user.id)
      assert.equal(found?.name, 'Zoë 🦄 名前')
      assert.equal(found?.email, email)
    })

    test('applies each change, bumps updatedAt and leaves the rest alone', async () => {
      const user = created(await stores().users.create(newUser(), NOW))
      const renamed = await stores().users.update(user.id, { name: 'Grace Hopper' }, NOW + 10)
      assert.deepEqual(renamed, { ...user, name: 'Grace Hopper', updatedAt: NOW + 10 })
      const changes = { role: 'admin', disabled: true, passwordHash: '$argon2id$v=19$new' } as const
      const updated = await stores().users.update(user.id, changes, NOW + 20)
      const expected = { ...user, ...changes, name: 'Grace Hopper', credentialEpoch: 1, updatedAt: NOW + 20 }
      assert.deepEqual(updated, expected)
      const enabled = await stores().users.update(user.id, { disabled: false }, NOW + 30)
      assert.equal(enabled?.disabled, false)
      assert.equal(enabled?.credentialEpoch, 2)
      assert.deepEqual(await stores().users.findById(user.id), enabled)
    })

    test('moves the credential epoch on a new password, another role or disabled flag, and only then', async () => {
      const user = created(await stores().users.create(newUser(), NOW))
      const epochAfter = async (changes: UserChanges) =>
        (await stores().users.update(user.id, changes, NOW))?.credentialEpoch
      assert.equal(await epochAfter({ name: 'Renamed' }), 0)
      assert.equal(await epochAfter({ role: 'user', disabled: false }), 0, 'same role and flag: no move')
      assert.equal(await epochAfter({ role: 'admin' }), 1)
      assert.equal(await epochAfter({ disabled: true }), 2)
      assert.equal(await epochAfter({ disabled: true, role: 'admin' }), 2)
      assert.equal(await epochAfter({ disabled: false, role: 'user' }), 3, 'one move for one update')
      assert.equal(await epochAfter({ passwordHash: user.passwordHash }), 4, 'even the same hash')
    })

    test('moves the credential epoch exactly once per change under 20 parallel password changes', async () => {
      const user = created(await stores().users.create(newUser(), NOW))
      await Promise.all(
        Array.from({ length: 20 }, (_, i) => stores().users.update(user.id, { passwordHash: `h${i}` }, NOW)),
      )
      assert.equal((await stores().users.findById(user.id))?.credentialEpoch, 20)
    })

    test('applies a rehash only at the epoch it was verified at, and keeps that epoch', async () => {
      const user = created(await stores().users.create(newUser(), NOW))
      const rehashed = await stores().users.update(user.id, { passwordHash: 'r1', rehashAtEpoch: 0 }, NOW)
      assert.deepEqual([rehashed?.passwordHash, rehashed?.credentialEpoch], ['r1', 0])
      await stores().users.update(user.id, { passwordHash: 'new password' }, NOW)
      const late = await stores().users.update(user.id, { passwordHash: 'r2', rehashAtEpoch: 0 }, NOW)
      assert.equal(late, undefined, 'a rehash racing a password change is dropped')
      const found = await stores().users.findById(user.id)
      assert.deepEqual([found?.passwordHash, found?.credentialEpoch], ['new password', 1])
    })

    test('lists users in creation order with limit and offset', async () => {
      const made: UserRecord[] = []
      for (let i = 0; i < 3; i++)
        made.push(created(await stores().users.create(newUser({ name: `n${i}` }), NOW)))
      const all = await stores().users.list({ limit: 1_000_000, offset: 0 })
      const ids = all.map((u) => u.id)
      assert.deepEqual(
        ids,
        [...ids].sort((a, b) => a - b),
      )
      const start = ids.indexOf(made[0]!.id)
      assert.deepEqual(all.slice(start, start + 3), made)
      assert.deepEqual(await stores().users.list({ limit: 2, offset: start + 1 }), made.slice(1, 3))
    })

    test('changes the email (marking it verified) and answers email_taken for a held address', async () => {
      const a = created(await stores().users.create(newUser(), NOW))
      const b = created(await stores().users.create(newUser(), NOW))
      const moved = await stores().users.changeEmail(
        a.id,
        'New@Example.test',
        `${uniqueId('new')}@example.test`,
        NOW + 1,
      )
      assert.ok(moved !== undefined && moved !== 'email_taken')
      assert.deepEqual([moved.email, moved.emailVerifiedAt], ['New@Example.test', NOW + 1])
      assert.equal(await stores().users.changeEmail(b.id, 'x', moved.emailKey, NOW + 2), 'email_taken')
      assert.equal((await stores().users.findById(b.id))?.emailKey, b.emailKey)
    })

    test('marks an address verified once, keeping the first time', async () => {
      const user = created(await stores().users.create(newUser(), NOW))
      await stores().users.markEmailVerified(user.id, NOW + 5)
      await stores().users.markEmailVerified(user.id, NOW + 9)
      assert.equal((await stores().users.findById(user.id))?.emailVerifiedAt, NOW + 5)
    })
  })
}
