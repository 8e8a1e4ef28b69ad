import assert from 'node:assert/strict'
import { createHash, randomBytes } from 'node:crypto'
import { describe, test } from 'node:test'
import type { CredentialRecord, Stores, UserRecord } from '../../src/core/stores.ts'
import { type OpenStores, useStores } from './open-stores.ts'
import { uniqueId } from './unique-id.ts'

const NOW = Date.UTC(2030, 0, 1)
const MINUTE = 60_000
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR

async function newUser(stores: Pick<Stores, 'users'>): Promise<UserRecord> {
  const email = `${uniqueId('owner')}@example.test`
  const user = await stores.users.create(
    { email, emailKey: email, name: 'Owner', role: 'user', passwordHash: 'h' },
    NOW,
  )
  assert.notEqual(user, 'email_taken')
  return user as UserRecord
}

function session(userId: number, overrides: Partial<CredentialRecord> = {}): CredentialRecord {
  return {
    id: uniqueId('ses'),
    userId,
    type: 'session',
    tokenHash: createHash('sha256').update(randomBytes(32)).digest('hex'),
    algorithm: null,
    keyMaterial: null,
    label: 'Firefox on Linux',
    createdAt: NOW,
    lastUsedAt: NOW,
    absoluteExpiresAt: NOW + 12 * HOUR,
    idleTimeoutMs: HOUR,
    revokedAt: null,
    retiresAt: null,
    credentialEpoch: 0,
    authenticatedAt: NOW,
    ...overrides,
  }
}

function deviceKey(userId: number, overrides: Partial<CredentialRecord> = {}): CredentialRecord {
  const jwk = JSON.stringify({ kty: 'OKP', crv: 'Ed25519', x: randomBytes(32).toString('base64url') })
  return session(userId, {
    id: uniqueId('key'),
    type: 'device',
    tokenHash: null,
    algorithm: 'ed25519',
    keyMaterial: jwk,
    ...overrides,
  })
}

/** The CredentialStore contract, run against every backend. */
export function credentialStoreSuite(backend: string, open: OpenStores<'users' | 'credentials'>): void {
  describe(`CredentialStore on ${backend}`, { timeout: 30_000 }, () => {
    const stores = useStores(open)
    const ids = (records: CredentialRecord[]) => records.map((c) => c.id)

    test('finds a session by token hash together with its user', async () => {
      const user = await newUser(stores())
      const credential = session(user.id)
      await stores().credentials.create(credential)
      assert.deepEqual(await stores().credentials.findByTokenHash(credential.tokenHash!), {
        credential,
        user,
      })
    })

    test('finds a device key by id together with its user', async () => {
      const user = await newUser(stores())
      const credential = deviceKey(user.id, { idleTimeoutMs: 30 * DAY, absoluteExpiresAt: NOW + 90 * DAY })
      await stores().credentials.create(credential)
      assert.deepEqual(await stores().credentials.findById(credential.id), { credential, user })
    })

    test('answers undefined for an unknown token hash or id', async () => {
      assert.equal(await stores().credentials.findByTokenHash('f'.repeat(64)), undefined)
      assert.equal(await stores().credentials.findById(uniqueId('ses')), undefined)
    })

    test('still finds revoked and expired credentials, for the caller to judge', async () => {
      const user = await newUser(stores())
      const expired = session(user.id, { absoluteExpiresAt: NOW - DAY })
      const revoked = session(user.id, { revokedAt: NOW - 1 })
      for (const c of [expired, revoked]) await stores().credentials.create(c)
      assert.deepEqual((await stores().credentials.findByTokenHash(expired.tokenHash!))?.credential, expired)
      assert.deepEqual((await stores().credentials.findById(revoked.id))?.credential, revoked)
    })

    test('touch records use at most once a minute', async () => {
      const user = await newUser(stores())
      const credential = session(user.id)
      await stores().credentials.create(credential)
      const lastUsedAt = async () =>
        (await stores().credentials.findById(credential.id))?.credential.lastUsedAt
      await stores().credentials.touch(credential.id, NOW + MINUTE - 1)
      assert.equal(await lastUsedAt(), NOW)
      await stores().credentials.touch(credential.id, NOW + MINUTE)
      assert.equal(await lastUsedAt(), NOW + MINUTE)
      await stores().credentials.touch(credential.id, NOW + MINUTE + 30_000)
      assert.equal(await lastUsedAt(), NOW + MINUTE)
    })

    test('revokes a credential once, then answers false', async () => {
      const user = await newUser(stores())
      const credential = session(user.id)
      await stores().credentials.create(credential)
      assert.equal(await stores().credentials.revoke(credential.id, NOW + 5), true)
      assert.equal(await stores().credentials.revoke(credential.id, NOW + 6), false)
      assert.equal(await stores().credentials.revoke(uniqueId('ses'), NOW), false)
      assert.equal((await stores().credentials.findById(credential.id))?.credential.revokedAt, NOW + 5)
    })

    test('records a re-authentication on one live credential only', async () => {
      const user = await newUser(stores())
      const [mine, other, revoked] = [
        session(user.id),
        session(user.id),
        session(user.id, { revokedAt: NOW }),
      ]
      for (const c of [mine, other, revoked]) await stores().credentials.create(c)
      assert.equal(await stores().credentials.markAuthenticated(mine.id, NOW + 10 * MINUTE), true)
      assert.equal(await stores().credentials.markAuthenticated(revoked.id, NOW + 10 * MINUTE), false)
      assert.equal(await stores().credentials.markAuthenticated(uniqueId('ses'), NOW), false)
      const found = await stores().credentials.findById(mine.id)
      assert.equal(found?.credential.authenticatedAt, NOW + 10 * MINUTE)
      assert.equal((await stores().credentials.findById(other.id))?.credential.authenticatedAt, NOW)
    })

    test('revokes all live credentials of a user except the one kept', async () => {
      const [user, other] = [await newUser(stores()), await newUser(stores())]
      const [kept, a, b] = [session(user.id), session(user.id), deviceKey(user.id)]
      const alreadyRevoked = session(user.id, { revokedAt: NOW - 1 })
      const othersSession = session(other.id)
      for (const c of [kept, a, b, alreadyRevoked, othersSession]) await stores().credentials.create(c)
      assert.equal(await stores().credentials.revokeAllForUser(user.id, NOW + 1, kept.id), 2)
      assert.deepEqual(ids(await stores().credentials.listForUser(user.id, NOW + 2)), [kept.id])
      assert.equal((await stores().credentials.findById(alreadyRevoked.id))?.credential.revokedAt, NOW - 1)
      assert.deepEqual(ids(await stores().credentials.listForUser(other.id, NOW + 2)), [othersSession.id])
      assert.equal(await stores().credentials.revokeAllForUser(user.id, NOW + 3, kept.id), 0)
      assert.equal(await stores().credentials.revokeAllForUser(user.id, NOW + 4), 1)
      assert.deepEqual(await stores().credentials.listForUser(user.id, NOW + 5), [])
    })

    test('a retired key lives until its retirement and no longer', async () => {
      const user = await newUser(stores())
      const key = deviceKey(user.id)
      await stores().credentials.create(key)
      await stores().credentials.retire(key.id, NOW + MINUTE)
      assert.equal((await stores().credentials.findById(key.id))?.credential.retiresAt, NOW + MINUTE)
      assert.deepEqual(ids(await stores().credentials.listForUser(user.id, NOW + MINUTE - 1)), [key.id])
      assert.deepEqual(await stores().credentials.listForUser(user.id, NOW + MINUTE), [])
    })

    test('a key retires once: a second retirement answers false and changes nothing', async () => {
      const user = await newUser(stores())
      const key = deviceKey(user.id)
      await stores().credentials.create(key)
      assert.equal(await stores().credentials.retire(key.id, NOW + MINUTE), true)
      assert.equal(await stores().credentials.retire(key.id, NOW + 10 * MINUTE), false)
      assert.equal(await stores().credentials.retire(key.id, NOW + 30_000), false)
      assert.equal((await stores().credentials.findById(key.id))?.credential.retiresAt, NOW + MINUTE)
    })

    test('of 10 parallel retirements of one key exactly one succeeds', async () => {
      const user = await newUser(stores())
      const key = deviceKey(user.id)
      await stores().credentials.create(key)
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) => stores().credentials.retire(key.id, NOW + i)),
      )
      assert.equal(results.filter(Boolean).length, 1)
    })

    test('lists only live credentials, newest first', async () => {
      const user = await newUser(stores())
      const older = session(user.id, { createdAt: NOW - 2 * MINUTE })
      const newer = deviceKey(user.id, { createdAt: NOW - MINUTE })
      const dead = [
        session(user.id, { revokedAt: NOW - 1 }),
        session(user.id, { absoluteExpiresAt: NOW }),
        session(user.id, { lastUsedAt: NOW - HOUR }),
        deviceKey(user.id, { retiresAt: NOW }),
      ]
      for (const c of [older, newer, ...dead]) await stores().credentials.create(c)
      assert.deepEqual(await stores().credentials.listForUser(user.id, NOW), [newer, older])
    })

    test("finds a credential with the epoch it was issued at and its user's current one", async () => {
      const user = await newUser(stores())
      const credential = session(user.id)
      await stores().credentials.create(credential)
      await stores().users.update(user.id, { passwordHash: 'changed' }, NOW)
      const found = await stores().credentials.findByTokenHash(credential.tokenHash!)
      assert.deepEqual([found?.credential.credentialEpoch, found?.user.credentialEpoch], [0, 1])
    })

    test('lists no credential issued at an older epoch than the user is at', async () => {
      const user = await newUser(stores())
      const stale = session(user.id)
      await stores().credentials.create(stale)
      await stores().users.update(user.id, { role: 'admin' }, NOW)
      const current = deviceKey(user.id, { credentialEpoch: 1 })
      await stores().credentials.create(current)
      assert.deepEqual(ids(await stores().credentials.listForUser(user.id, NOW)), [current.id])
    })

    test('a password change keeps the credential it names on the new epoch, if it was on the old one', async () => {
      const [user, other] = [await newUser(stores()), await newUser(stores())]
      const [kept, dropped, othersKey] = [session(user.id), deviceKey(user.id), deviceKey(other.id)]
      for (const c of [kept, dropped, othersKey]) await stores().credentials.create(c)
      const epochOf = async (id: string) =>
        (await stores().credentials.findById(id))?.credential.credentialEpoch
      await stores().users.update(user.id, { passwordHash: 'p1', keepCredentialId: kept.id }, NOW)
      assert.deepEqual([await epochOf(kept.id), await epochOf(dropped.id)], [1, 0])
      await stores().users.update(user.id, { passwordHash: 'p2', keepCredentialId: dropped.id }, NOW)
      assert.equal(await epochOf(dropped.id), 0, 'a credential already stale is not revived')
      await stores().users.update(user.id, { passwordHash: 'p3', keepCredentialId: othersKey.id }, NOW)
      assert.equal(await epochOf(othersKey.id), 0, "another user's credential is left alone")
      const oneBehind = session(user.id, { credentialEpoch: 2 })
      await stores().credentials.create(oneBehind)
      await stores().users.update(user.id, { name: 'n', keepCredentialId: oneBehind.id }, NOW)
      assert.equal(await epochOf(oneBehind.id), 2, 'nothing is kept without a new password')
    })

    test('deletes credentials dead for more than seven days and keeps the others', async () => {
      const user = await newUser(stores())
      const now = NOW + 30 * DAY
      // Alive by every limit but the one each case overrides, so each limit is tested on its own.
      const alive = { lastUsedAt: now, absoluteExpiresAt: now + DAY, idleTimeoutMs: HOUR }
      const dead = (overrides: Partial<CredentialRecord>) => session(user.id, { ...alive, ...overrides })
      const longDead = [
        dead({ revokedAt: now - 8 * DAY }),
        dead({ absoluteExpiresAt: now - 8 * DAY }),
        dead({ lastUsedAt: now - 8 * DAY - HOUR }),
        deviceKey(user.id, { ...alive, retiresAt: now - 8 * DAY }),
      ]
      const kept = [dead({ revokedAt: now - 6 * DAY }), dead({ lastUsedAt: now - 6 * DAY - HOUR }), dead({})]
      for (const c of [...longDead, ...kept]) await stores().credentials.create(c)
      assert.ok((await stores().credentials.deleteExpired(now)) >= longDead.length)
      for (const c of longDead) assert.equal(await stores().credentials.findById(c.id), undefined, c.id)
      for (const c of kept) assert.notEqual(await stores().credentials.findById(c.id), undefined, c.id)
    })
  })
}
