import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { AccountTokenRecord } from '../../src/core/stores.ts'
import { type OpenStores, useStores } from './open-stores.ts'
import { uniqueId } from './unique-id.ts'

const NOW = Date.UTC(2030, 0, 1)
const HOUR = 3_600_000

/** The AccountTokenStore and KnownDeviceStore contracts, run against every SQL dialect. */
export function accountTokenStoreSuite(
  backend: string,
  open: OpenStores<'accountTokens' | 'users' | 'knownDevices'>,
): void {
  describe(`AccountTokenStore on ${backend}`, { timeout: 30_000 }, () => {
    const stores = useStores(open)

    async function newUser(): Promise<number> {
      const email = `${uniqueId('tok')}@example.test`
      const user = await stores().users.create(
        { email, emailKey: email, name: 't', role: 'user', passwordHash: 'h' },
        NOW,
      )
      assert.notEqual(user, 'email_taken')
      return (user as { id: number }).id
    }

    function token(userId: number | null, overrides: Partial<AccountTokenRecord> = {}): AccountTokenRecord {
      return {
        id: uniqueId('tok'),
        purpose: 'reset',
        userId,
        email: `${uniqueId('to')}@example.test`,
        payload: '{}',
        tokenHash: uniqueId('h').padEnd(64, '0').slice(0, 64),
        codeHash: uniqueId('c').padEnd(64, '0').slice(0, 64),
        attempts: 0,
        createdBy: null,
        createdAt: NOW,
        expiresAt: NOW + HOUR,
        endedAt: null,
        endReason: null,
        ...overrides,
      }
    }

    test('consumes a token once and answers its record', async () => {
      const t = token(await newUser())
      await stores().accountTokens.create(t)
      const first = await stores().accountTokens.consume(t.tokenHash, 'reset', NOW + 1)
      assert.equal(first?.id, t.id)
      assert.equal(first?.endReason, 'used')
      assert.equal(await stores().accountTokens.consume(t.tokenHash, 'reset', NOW + 2), undefined)
    })

    test('refuses a token for another purpose, after its expiry, or unknown', async () => {
      const t = token(await newUser())
      await stores().accountTokens.create(t)
      assert.equal(await stores().accountTokens.consume(t.tokenHash, 'verify', NOW), undefined)
      assert.equal(await stores().accountTokens.consume(t.tokenHash, 'reset', NOW + HOUR), undefined)
      assert.equal(await stores().accountTokens.consume('f'.repeat(64), 'reset', NOW), undefined)
      assert.equal((await stores().accountTokens.findByTokenHash(t.tokenHash))?.endedAt, null)
    })

    test('gives one token to exactly one of 20 parallel consumers', async () => {
      const t = token(await newUser())
      await stores().accountTokens.create(t)
      const results = await Promise.all(
        Array.from({ length: 20 }, () => stores().accountTokens.consume(t.tokenHash, 'reset', NOW)),
      )
      assert.equal(results.filter((r) => r !== undefined).length, 1)
    })

    test('a new token of the same purpose for the same account supersedes the older one', async () => {
      const userId = await newUser()
      const older = token(userId)
      const newer = token(userId, { createdAt: NOW + 5 })
      await stores().accountTokens.create(older)
      await stores().accountTokens.create(newer)
      assert.equal(await stores().accountTokens.consume(older.tokenHash, 'reset', NOW + 6), undefined)
      assert.equal((await stores().accountTokens.findByTokenHash(older.tokenHash))?.endReason, 'superseded')
      assert.equal((await stores().accountTokens.consume(newer.tokenHash, 'reset', NOW + 6))?.id, newer.id)
    })

    test('a code is judged at most five times, in parallel too, then the token is dead', async () => {
      const userId = await newUser()
      const t = token(userId)
      await stores().accountTokens.create(t)
      const wrong = 'e'.repeat(64)
      const outcomes = await Promise.all(
        Array.from({ length: 12 }, () => stores().accountTokens.consumeCode(userId, 'reset', wrong, 5, NOW)),
      )
      assert.ok(outcomes.every((o) => o === undefined || o === 'exhausted'))
      const after = await stores().accountTokens.findByTokenHash(t.tokenHash)
      assert.equal(after?.attempts, 5)
      assert.equal(after?.endReason, 'exhausted')
      assert.equal(
        await stores().accountTokens.consumeCode(userId, 'reset', t.codeHash as string, 5, NOW),
        undefined,
      )
    })

    test('the right code consumes the token', async () => {
      const userId = await newUser()
      const t = token(userId)
      await stores().accountTokens.create(t)
      assert.equal(
        await stores().accountTokens.consumeCode(userId, 'reset', 'e'.repeat(64), 5, NOW),
        undefined,
      )
      const found = await stores().accountTokens.consumeCode(userId, 'reset', t.codeHash as string, 5, NOW)
      assert.equal(typeof found === 'object' ? found.id : found, t.id)
    })

    test('revokes a live invitation once, lists it, and deletes long-ended tokens', async () => {
      const t = token(null, { purpose: 'invite', codeHash: null })
      await stores().accountTokens.create(t)
      assert.equal(await stores().accountTokens.revoke(t.id, 'invite', NOW + 1), true)
      assert.equal(await stores().accountTokens.revoke(t.id, 'invite', NOW + 2), false)
      const listed = await stores().accountTokens.list('invite', { limit: 1000 })
      assert.equal(listed.find((r) => r.id === t.id)?.endReason, 'revoked')
      assert.ok((await stores().accountTokens.deleteExpired(NOW + 365 * 24 * HOUR)) >= 1)
      assert.equal(await stores().accountTokens.findByTokenHash(t.tokenHash), undefined)
    })

    test('remembers devices: first, then known, then a new one', async () => {
      const userId = await newUser()
      const devices = stores().knownDevices
      assert.equal(await devices.remember(userId, 'a'.repeat(64), NOW), 'first')
      assert.equal(await devices.remember(userId, 'a'.repeat(64), NOW), 'known')
      const parallel = await Promise.all(
        Array.from({ length: 10 }, () => devices.remember(userId, 'b'.repeat(64), NOW)),
      )
      assert.deepEqual(
        parallel.filter((r) => r !== 'known'),
        ['new'],
      )
    })
  })
}
