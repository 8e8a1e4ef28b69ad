import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { after, before, test } from 'node:test'
import { type OpenedSqlStores, openSqlStores } from '../../../../../test/support/sql-stores.ts'
import { MasterSecrets } from '../secrets.ts'
import { DbscChallenges } from './challenges.ts'

const NOW = Date.UTC(2030, 0, 1)
let stores: OpenedSqlStores
let challenges: DbscChallenges

before(async () => {
  stores = await openSqlStores()
  const key = new MasterSecrets(randomBytes(32)).derive('dbsc-challenge')
  challenges = new DbscChallenges(key, stores.stores.nonces, 300_000)
})
after(() => stores.close())

test('a challenge is redeemed once, for its purpose and session only', async () => {
  const registration = challenges.issue('register', 'ses_a', NOW)
  assert.deepEqual(await challenges.redeem(registration, 'refresh', NOW, 'ses_a'), {
    ok: false,
    reason: 'invalid',
  })
  assert.deepEqual(await challenges.redeem(registration, 'register', NOW), { ok: true, sessionId: 'ses_a' })
  assert.deepEqual(await challenges.redeem(registration, 'register', NOW), { ok: false, reason: 'reused' })
  const refresh = challenges.issue('refresh', 'ses_a', NOW)
  assert.deepEqual(await challenges.redeem(refresh, 'refresh', NOW, 'ses_b'), {
    ok: false,
    reason: 'invalid',
  })
  assert.deepEqual(await challenges.redeem(refresh, 'refresh', NOW, 'ses_a'), {
    ok: true,
    sessionId: 'ses_a',
  })
})

test('a challenge expires after its lifetime (5 minutes here) and a forged one is invalid', async () => {
  const challenge = challenges.issue('refresh', 'ses_c', NOW)
  assert.deepEqual(await challenges.redeem(challenge, 'refresh', NOW + 300_000, 'ses_c'), {
    ok: false,
    reason: 'expired',
  })
  const [id, random, expires] = challenge.split('.')
  const forged = `${id}.${random}.${Number(expires) + 600}.${challenge.split('.')[3]}`
  assert.deepEqual(await challenges.redeem(forged, 'refresh', NOW, 'ses_c'), { ok: false, reason: 'invalid' })
  for (const junk of ['', 'a.b.c.d', `${challenge}.x`, 'ses_c.short.1.mac'])
    assert.deepEqual(await challenges.redeem(junk, 'refresh', NOW), { ok: false, reason: 'invalid' }, junk)
})
