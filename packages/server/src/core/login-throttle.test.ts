import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { type OpenedSqlStores, openSqlStores } from '../../../../test/support/sql-stores.ts'
import { LoginThrottle } from './login-throttle.ts'

let opened: OpenedSqlStores
before(async () => {
  opened = await openSqlStores()
})
after(() => opened.close())

const T0 = Date.UTC(2030, 0, 1)
let n = 0
const email = () => `throttle-${++n}@example.com`

test('lets the first failures through, then imposes a growing delay', async () => {
  const throttle = new LoginThrottle(opened.stores.rateLimits, { freeFailures: 3 })
  const who = email()
  const waits: number[] = []
  for (let i = 0; i < 3; i++) waits.push((await throttle.failure(who, T0)).wait)
  assert.deepEqual(waits, [0, 0, 0])
  assert.equal((await throttle.failure(who, T0)).wait, 1)
  assert.equal(await throttle.accountWait(who, T0), 1)
  assert.equal((await throttle.failure(who, T0 + 1000)).wait, 2)
  assert.equal((await throttle.failure(who, T0 + 3000)).wait, 4)
})

test('caps the delay and never locks the account for good', async () => {
  const throttle = new LoginThrottle(opened.stores.rateLimits, {
    freeFailures: 0,
    maxDelayMs: 5000,
    failureWindowMs: 60_000,
  })
  const who = email()
  let now = T0
  for (let i = 0; i < 8; i++) now += (await throttle.failure(who, now)).wait * 1000
  assert.ok((await throttle.failure(who, now)).wait <= 5)
  assert.equal(await throttle.accountWait(who, now + 120_000), 0)
})

test('a success clears the failures and reports how many there were', async () => {
  const throttle = new LoginThrottle(opened.stores.rateLimits, { freeFailures: 1 })
  const who = email()
  await throttle.failure(who, T0)
  await throttle.failure(who, T0)
  assert.equal(await throttle.success(who, T0), 2)
  assert.equal(await throttle.accountWait(who, T0), 0)
  assert.equal((await throttle.failure(who, T0)).wait, 0)
})

test('limits attempts per IP and answers the seconds until the window ends', async () => {
  const throttle = new LoginThrottle(opened.stores.rateLimits, { ipAttempts: 2, ipWindowMs: 10_000 })
  assert.equal(await throttle.attempt('203.0.113.9', 'login', T0), 0)
  assert.equal(await throttle.attempt('203.0.113.9', 'login', T0), 0)
  assert.equal(await throttle.attempt('203.0.113.9', 'login', T0 + 4000), 6)
  assert.equal(await throttle.attempt('203.0.113.10', 'login', T0 + 4000), 0, 'another IP has its own budget')
  assert.equal(
    await throttle.attempt('203.0.113.9', 'register', T0 + 4000),
    0,
    'another action has its own budget',
  )
})

test('counts 50 parallel failures exactly', async () => {
  const throttle = new LoginThrottle(opened.stores.rateLimits, { freeFailures: 100 })
  const who = email()
  const results = await Promise.all(Array.from({ length: 50 }, () => throttle.failure(who, T0)))
  assert.deepEqual(
    results.map((r) => r.failures).sort((a, b) => a - b),
    Array.from({ length: 50 }, (_, i) => i + 1),
  )
})

test('with the defaults the delay reaches its 15-minute cap and holds it for the day', async () => {
  const throttle = new LoginThrottle(opened.stores.rateLimits)
  const who = email()
  let now = T0
  let wait = 0
  for (let i = 0; i < 20; i++) {
    wait = (await throttle.failure(who, now)).wait
    now += wait * 1000
  }
  assert.equal(wait, 900)
  assert.equal((await throttle.failure(who, now)).wait, 900, 'still capped, not reset')
})
