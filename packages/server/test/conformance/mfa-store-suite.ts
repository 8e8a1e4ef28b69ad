import assert from 'node:assert/strict'
import { createHash, randomBytes } from 'node:crypto'
import { describe, test } from 'node:test'
import type { ChallengeRecord } from '../../src/core/mfa-store.ts'
import type { Stores } from '../../src/core/stores.ts'
import { type OpenStores, useStores } from './open-stores.ts'
import { uniqueId } from './unique-id.ts'

const NOW = Date.UTC(2030, 0, 1)
const STEP = Math.floor(NOW / 30_000)

function hash(): string {
  return createHash('sha256').update(randomBytes(16)).digest('hex')
}

async function newUserId(stores: Pick<Stores, 'users'>): Promise<number> {
  const email = `${uniqueId('mfa')}@example.test`
  const user = await stores.users.create(
    { email, emailKey: email, name: 'M', role: 'user', passwordHash: 'h' },
    NOW,
  )
  assert.notEqual(user, 'email_taken')
  return (user as { id: number }).id
}

function challenge(userId: number, overrides: Partial<ChallengeRecord> = {}): ChallengeRecord {
  return {
    userId,
    purpose: 'login',
    detail: { credential: 'session' },
    failures: 0,
    expiresAt: NOW + 300_000,
    ...overrides,
  }
}

/** The MfaStore contract: every single-use check is one atomic statement, on every backend. */
export function mfaStoreSuite(backend: string, open: OpenStores<'users' | 'mfa'>): void {
  describe(`MfaStore on ${backend}`, () => {
    const stores = useStores(open)

    test('confirms an enrolment with its first step, then refuses a new enrolment', async () => {
      const userId = await newUserId(stores())
      const { mfa } = stores()
      assert.equal(await mfa.beginTotp(userId, 'sealed-1', NOW), true)
      assert.equal(await mfa.beginTotp(userId, 'sealed-2', NOW), true, 'an unconfirmed one is replaced')
      assert.equal(await mfa.acceptTotpStep(userId, STEP, NOW, false), false, 'not confirmed yet')
      assert.equal(await mfa.acceptTotpStep(userId, STEP, NOW, true), true)
      assert.equal(await mfa.beginTotp(userId, 'sealed-3', NOW), false)
      const found = await mfa.findTotp(userId)
      assert.deepEqual(found, {
        userId,
        sealedSecret: 'sealed-2',
        confirmedAt: NOW,
        lastStep: STEP,
        createdAt: NOW,
      })
    })

    test('accepts each time step once and never an older one', async () => {
      const userId = await newUserId(stores())
      const { mfa } = stores()
      await mfa.beginTotp(userId, 's', NOW)
      await mfa.acceptTotpStep(userId, STEP, NOW, true)
      assert.equal(await mfa.acceptTotpStep(userId, STEP, NOW, false), false)
      assert.equal(await mfa.acceptTotpStep(userId, STEP - 1, NOW, false), false)
      assert.equal(await mfa.acceptTotpStep(userId, STEP + 1, NOW, false), true)
    })

    test('accepts exactly one of 20 parallel uses of one time step', async () => {
      const userId = await newUserId(stores())
      const { mfa } = stores()
      await mfa.beginTotp(userId, 's', NOW)
      await mfa.acceptTotpStep(userId, STEP, NOW, true)
      const results = await Promise.all(
        Array.from({ length: 20 }, () => mfa.acceptTotpStep(userId, STEP + 1, NOW, false)),
      )
      assert.equal(results.filter(Boolean).length, 1)
    })

    test('uses a recovery code once, of 20 parallel uses exactly one, and only for its user', async () => {
      const [userId, otherId] = [await newUserId(stores()), await newUserId(stores())]
      const { mfa } = stores()
      const codes = [hash(), hash()]
      await mfa.replaceRecoveryCodes(userId, codes)
      assert.equal(await mfa.countRecoveryCodes(userId), 2)
      assert.equal(await mfa.useRecoveryCode(otherId, codes[0] as string, NOW), false)
      const results = await Promise.all(
        Array.from({ length: 20 }, () => mfa.useRecoveryCode(userId, codes[0] as string, NOW)),
      )
      assert.equal(results.filter(Boolean).length, 1)
      assert.equal(await mfa.countRecoveryCodes(userId), 1)
      await mfa.replaceRecoveryCodes(userId, [hash()])
      assert.equal(
        await mfa.useRecoveryCode(userId, codes[1] as string, NOW),
        false,
        'replaced codes are dead',
      )
    })

    test('removing the TOTP removes the recovery codes', async () => {
      const userId = await newUserId(stores())
      const { mfa } = stores()
      await mfa.beginTotp(userId, 's', NOW)
      await mfa.replaceRecoveryCodes(userId, [hash()])
      assert.equal(await mfa.deleteTotp(userId), true)
      assert.equal(await mfa.deleteTotp(userId), false)
      assert.equal(await mfa.findTotp(userId), undefined)
      assert.equal(await mfa.countRecoveryCodes(userId), 0)
    })

    test('a challenge is found until used, expired or failed too often; of 20 parallel uses one wins', async () => {
      const userId = await newUserId(stores())
      const { mfa } = stores()
      const [live, failing, expiring] = [hash(), hash(), hash()]
      await mfa.createChallenge(live, challenge(userId))
      await mfa.createChallenge(failing, challenge(userId))
      await mfa.createChallenge(expiring, challenge(userId, { expiresAt: NOW + 10 }))
      assert.deepEqual(await mfa.findChallenge(live, NOW, 5), challenge(userId))
      const results = await Promise.all(Array.from({ length: 20 }, () => mfa.consumeChallenge(live, NOW, 5)))
      assert.equal(results.filter(Boolean).length, 1)
      assert.equal(await mfa.findChallenge(live, NOW, 5), undefined)
      for (let i = 0; i < 5; i++) await mfa.failChallenge(failing)
      assert.equal(await mfa.findChallenge(failing, NOW, 5), undefined)
      assert.equal(await mfa.consumeChallenge(failing, NOW, 5), false)
      assert.equal(await mfa.findChallenge(expiring, NOW + 10, 5), undefined)
      assert.equal(await mfa.consumeChallenge(expiring, NOW + 10, 5), false)
      assert.ok((await mfa.deleteExpiredChallenges(NOW + 11)) >= 1)
    })
  })
}
