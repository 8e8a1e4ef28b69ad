import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { type OpenedSqlStores, openSqlStores } from '../../../../test/support/sql-stores.ts'
import { LoginThrottle, type ThrottleOptions } from './login-throttle.ts'

let opened: OpenedSqlStores
before(async () => {
  opened = await openSqlStores()
})
after(() => opened.close())

const T0 = Date.UTC(2030, 0, 1)
let n = 0
const email = () => `throttle-${++n}@example.com`
const ip = () => `203.0.113.${++n % 250}`
const throttleWith = (options: Partial<ThrottleOptions> = {}) =>
  new LoginThrottle(opened.stores.rateLimits, options)

/** The seconds a refused reservation asks to wait, or 0 when it was granted. */
async function waitOf(attempt: Promise<unknown>): Promise<number> {
  try {
    await attempt
    return 0
  } catch (error) {
    assert.equal((error as { code?: string }).code, 'rate_limited')
    return (error as { extras: { retryAfter: number } }).extras.retryAfter
  }
}

test('lets the first failures through, then imposes a growing delay', async () => {
  const throttle = throttleWith({ freeFailures: 3 })
  const [who, from] = [email(), ip()]
  const delays: number[] = []
  for (let i = 0; i < 4; i++) delays.push((await throttle.reserve(from, 'login', who, T0)).delay)
  assert.deepEqual(delays, [0, 0, 0, 1])
  assert.equal(await waitOf(throttle.reserve(from, 'login', who, T0 + 10)), 1)
  assert.equal((await throttle.reserve(from, 'login', who, T0 + 1000)).delay, 2)
  assert.equal(await waitOf(throttle.reserve(from, 'login', who, T0 + 2999)), 1)
  assert.equal((await throttle.reserve(from, 'login', who, T0 + 3000)).delay, 4)
})

test('caps the delay and never locks the account for good', async () => {
  const throttle = throttleWith({ freeFailures: 0, maxDelayMs: 5000, failureWindowMs: 60_000 })
  const who = email()
  let now = T0
  for (let i = 0; i < 8; i++) now += (await throttle.reserve(ip(), 'login', who, now)).delay * 1000
  assert.equal((await throttle.reserve(ip(), 'login', who, now)).delay, 5)
  assert.equal(await waitOf(throttle.reserve(ip(), 'login', who, now + 120_000)), 0)
})

test('a success clears the account and gives the address its failure back', async () => {
  const throttle = throttleWith({ freeFailures: 1, ipFailures: 2 })
  const [who, from] = [email(), ip()]
  await throttle.reserve(from, 'login', who, T0)
  const second = await throttle.reserve(from, 'login', who, T0)
  assert.equal(second.failures, 2)
  assert.equal(second.delay, 1)
  await throttle.succeeded(from, 'login', who, T0)
  const afresh = await throttle.reserve(from, 'login', who, T0)
  assert.deepEqual([afresh.failures, afresh.delay], [1, 0], 'no delay left on the account')
  assert.equal(
    await waitOf(throttle.reserve(from, 'login', email(), T0)),
    15 * 60,
    'the address has 2 failures',
  )
})

test('successes do not use up the address: 200 good logins from one address all pass', async () => {
  const throttle = throttleWith()
  const from = ip()
  for (let i = 0; i < 200; i++) {
    const who = email()
    await throttle.reserve(from, 'login', who, T0 + i * 100)
    await throttle.succeeded(from, 'login', who, T0 + i * 100)
  }
})

test('with the defaults an address gets 100 failures per 15 minutes, then waits for the window to end', async () => {
  const throttle = throttleWith()
  const from = ip()
  for (let i = 0; i < 100; i++) await throttle.reserve(from, 'login', email(), T0 + i)
  assert.equal(await waitOf(throttle.reserve(from, 'login', email(), T0 + 60_000)), 14 * 60)
  assert.equal(await waitOf(throttle.reserve(from, 'password', email(), T0 + 60_000)), 0, 'per action')
  assert.equal(await waitOf(throttle.reserve(from, 'login', email(), T0 + 15 * 60_000)), 0)
})

test('an attempt the hashing queue refused gives the address its failure back, not the account', async () => {
  const throttle = throttleWith({ freeFailures: 0, ipFailures: 1 })
  const [who, from] = [email(), ip()]
  await throttle.reserve(from, 'login', who, T0)
  await throttle.unchecked(from, 'login', T0)
  assert.equal(await waitOf(throttle.reserve(from, 'login', email(), T0)), 0, 'the address may try again')
  assert.equal(await waitOf(throttle.reserve(ip(), 'login', who, T0)), 1, 'the account keeps its delay')
})

test('the flood guard limits every attempt per IP and answers the seconds until the window ends', async () => {
  const throttle = throttleWith({ ipAttempts: 2, ipWindowMs: 10_000 })
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

test('with the defaults the flood guard lets 1,000 attempts per 5 minutes through', async () => {
  const throttle = throttleWith()
  for (let i = 0; i < 1000; i++) assert.equal(await throttle.attempt('198.51.100.7', 'login', T0 + i), 0)
  assert.equal(await throttle.attempt('198.51.100.7', 'login', T0 + 1000), 300 - 1)
})

test('with the defaults registration gets 30 attempts per 5 minutes per address', async () => {
  const throttle = throttleWith()
  for (let i = 0; i < 30; i++) assert.equal(await throttle.attempt('198.51.100.8', 'register', T0), 0)
  assert.equal(await throttle.attempt('198.51.100.8', 'register', T0 + 60_000), 4 * 60)
})

test('30 parallel guesses on one account cost what 30 sequential ones cost: 5 free, one more, 24 refused', async () => {
  const throttle = throttleWith()
  const who = email()
  const waits = await Promise.all(
    Array.from({ length: 30 }, () => waitOf(throttle.reserve(ip(), 'login', who, T0))),
  )
  assert.equal(waits.filter((w) => w === 0).length, 6)
  assert.ok(waits.every((w) => w === 0 || w === 1))
})

test('puts an attempt in the suspect lane when its account has attempts no success cleared, or its address more than 10 failures', async () => {
  const throttle = throttleWith()
  const [who, from] = [email(), ip()]
  assert.equal((await throttle.reserve(from, 'login', who, T0)).lane, 'fresh')
  assert.equal((await throttle.reserve(ip(), 'login', who, T0)).lane, 'suspect', 'the account failed before')
  await throttle.succeeded(from, 'login', who, T0)
  assert.equal((await throttle.reserve(ip(), 'login', who, T0)).lane, 'fresh', 'a success cleared it')
  const office = ip()
  const lanes = []
  for (let i = 0; i < 11; i++) lanes.push((await throttle.reserve(office, 'login', email(), T0)).lane)
  assert.deepEqual(lanes, [...Array(10).fill('fresh'), 'suspect'], 'a tenth of the 100-failure budget')
})

test('with the defaults the delay reaches its 15-minute cap and holds it for the day', async () => {
  const throttle = throttleWith()
  const who = email()
  let now = T0
  let delay = 0
  for (let i = 0; i < 20; i++) {
    delay = (await throttle.reserve(ip(), 'login', who, now)).delay
    now += delay * 1000
  }
  assert.equal(delay, 900)
  assert.equal((await throttle.reserve(ip(), 'login', who, now)).delay, 900, 'still capped, not reset')
})
