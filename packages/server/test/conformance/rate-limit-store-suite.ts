import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { AttemptRule } from '../../src/core/stores.ts'
import { type OpenStores, useStores } from './open-stores.ts'
import { uniqueId } from './unique-id.ts'

const NOW = Date.UTC(2030, 0, 1)
const WINDOW = 60_000
/** 3 attempts free, then pauses of 1 s, 2 s, then 4 s for every later one; no limit. */
const PAUSING: AttemptRule = {
  windowMs: WINDOW,
  limit: Number.MAX_SAFE_INTEGER,
  free: 3,
  pausesMs: [1000, 2000, 4000],
}
/** 20 attempts a window, no pauses. */
const CAPPED: AttemptRule = { windowMs: WINDOW, limit: 20, free: 20, pausesMs: [] }

/** The RateLimitStore contract (fixed windows), run against every backend (SQL and Redis alike). */
export function rateLimitStoreSuite(backend: string, open: OpenStores<'rateLimits'>): void {
  describe(`RateLimitStore on ${backend}`, { timeout: 30_000 }, () => {
    const stores = useStores(open)
    const hit = (key: string, now: number) => stores().rateLimits.hit(key, WINDOW, now)

    test('counts hits within a window that ends a window after the first hit', async () => {
      const key = uniqueId('login')
      assert.deepEqual(await hit(key, NOW), { count: 1, resetAt: NOW + WINDOW })
      assert.deepEqual(await hit(key, NOW + 10), { count: 2, resetAt: NOW + WINDOW })
      assert.deepEqual(await hit(key, NOW + WINDOW - 1), { count: 3, resetAt: NOW + WINDOW })
    })

    test('starts a new window once the old one has ended', async () => {
      const key = uniqueId('login')
      await hit(key, NOW)
      await hit(key, NOW + 1)
      assert.deepEqual(await hit(key, NOW + WINDOW), { count: 1, resetAt: NOW + 2 * WINDOW })
      assert.deepEqual(await hit(key, NOW + 5 * WINDOW), { count: 1, resetAt: NOW + 6 * WINDOW })
    })

    test('counts each key on its own', async () => {
      const [a, b] = [uniqueId('ip'), uniqueId('ip')]
      await hit(a, NOW)
      await hit(a, NOW)
      assert.deepEqual(await hit(b, NOW + 1), { count: 1, resetAt: NOW + 1 + WINDOW })
    })

    test('peeks without counting, and answers undefined without a live window', async () => {
      const key = uniqueId('login')
      assert.equal(await stores().rateLimits.peek(key, NOW), undefined)
      await hit(key, NOW)
      assert.deepEqual(await stores().rateLimits.peek(key, NOW + 1), { count: 1, resetAt: NOW + WINDOW })
      assert.deepEqual(await stores().rateLimits.peek(key, NOW + 2), { count: 1, resetAt: NOW + WINDOW })
      assert.equal(await stores().rateLimits.peek(key, NOW + WINDOW), undefined)
    })

    test('reset forgets the key', async () => {
      const key = uniqueId('login')
      await hit(key, NOW)
      await hit(key, NOW)
      await stores().rateLimits.reset(key)
      assert.equal(await stores().rateLimits.peek(key, NOW), undefined)
      assert.deepEqual(await hit(key, NOW + 5), { count: 1, resetAt: NOW + 5 + WINDOW })
    })

    test('counts 50 parallel hits exactly: each count from 1 to 50 once', async () => {
      const key = uniqueId('burst')
      const states = await Promise.all(Array.from({ length: 50 }, () => hit(key, NOW)))
      assert.deepEqual(
        states.map((s) => s.count).sort((a, b) => a - b),
        Array.from({ length: 50 }, (_, i) => i + 1),
      )
      assert.ok(states.every((s) => s.resetAt === NOW + WINDOW))
      assert.deepEqual(await stores().rateLimits.peek(key, NOW), { count: 50, resetAt: NOW + WINDOW })
    })

    const reserve = (key: string, rule: AttemptRule, now: number) =>
      stores().rateLimits.reserve(key, rule, now)

    test('reserve grants the free attempts, then refuses while each pause runs, the pauses growing', async () => {
      const key = uniqueId('acct')
      for (let i = 1; i <= 3; i++)
        assert.deepEqual(await reserve(key, PAUSING, NOW), { granted: true, count: i })
      assert.deepEqual(await reserve(key, PAUSING, NOW), { granted: true, count: 4 })
      assert.deepEqual(await reserve(key, PAUSING, NOW + 999), { granted: false, retryAt: NOW + 1000 })
      assert.deepEqual(await reserve(key, PAUSING, NOW + 1000), { granted: true, count: 5 })
      assert.deepEqual(await reserve(key, PAUSING, NOW + 2999), { granted: false, retryAt: NOW + 3000 })
      assert.deepEqual(await reserve(key, PAUSING, NOW + 3000), { granted: true, count: 6 })
      assert.deepEqual(await reserve(key, PAUSING, NOW + 3001), { granted: false, retryAt: NOW + 7000 })
      assert.deepEqual(await reserve(key, PAUSING, NOW + 7000), { granted: true, count: 7 })
      assert.deepEqual(await reserve(key, PAUSING, NOW + 7001), { granted: false, retryAt: NOW + 11_000 })
      assert.deepEqual(await stores().rateLimits.peek(key, NOW + 7001), { count: 7, resetAt: NOW + WINDOW })
    })

    test('reserve refuses past the limit until the window ends, without counting, then starts afresh', async () => {
      const key = uniqueId('ip-fail')
      for (let i = 1; i <= 20; i++)
        assert.deepEqual(await reserve(key, CAPPED, NOW), { granted: true, count: i })
      assert.deepEqual(await reserve(key, CAPPED, NOW + 10), { granted: false, retryAt: NOW + WINDOW })
      assert.deepEqual(await stores().rateLimits.peek(key, NOW + 10), { count: 20, resetAt: NOW + WINDOW })
      assert.deepEqual(await reserve(key, CAPPED, NOW + WINDOW), { granted: true, count: 1 })
    })

    test('a free attempt from an instance whose clock runs ahead does not hold back the others', async () => {
      for (const rule of [PAUSING, CAPPED]) {
        const key = uniqueId('skew')
        assert.deepEqual(await reserve(key, rule, NOW + 200), { granted: true, count: 1 })
        assert.deepEqual(await reserve(key, rule, NOW), { granted: true, count: 2 })
      }
    })

    test('reserve refuses while a pause runs even after the window has ended', async () => {
      const key = uniqueId('acct')
      const rule = { ...PAUSING, windowMs: 500, free: 0 }
      assert.deepEqual(await reserve(key, rule, NOW), { granted: true, count: 1 })
      assert.deepEqual(await reserve(key, rule, NOW + 600), { granted: false, retryAt: NOW + 1000 })
      assert.deepEqual(await reserve(key, rule, NOW + 1000), { granted: true, count: 1 })
    })

    test('release gives one attempt back, never below 0, and leaves a running pause in place', async () => {
      const key = uniqueId('ip-fail')
      const rule = { ...CAPPED, limit: 2 }
      await reserve(key, rule, NOW)
      await reserve(key, rule, NOW)
      assert.equal((await reserve(key, rule, NOW)).granted, false)
      await stores().rateLimits.release(key, NOW)
      assert.deepEqual(await reserve(key, rule, NOW), { granted: true, count: 2 })
      for (let i = 0; i < 4; i++) await stores().rateLimits.release(key, NOW)
      assert.deepEqual(await stores().rateLimits.peek(key, NOW), { count: 0, resetAt: NOW + WINDOW })
      const paused = uniqueId('acct')
      await reserve(paused, { ...PAUSING, free: 0 }, NOW)
      await stores().rateLimits.release(paused, NOW)
      assert.deepEqual(await reserve(paused, PAUSING, NOW + 1), { granted: false, retryAt: NOW + 1000 })
    })

    test('50 parallel reservations cost what 50 sequential ones cost: the free ones plus one, the rest refused', async () => {
      const key = uniqueId('burst')
      const answers = await Promise.all(Array.from({ length: 50 }, () => reserve(key, PAUSING, NOW)))
      const counts = answers.flatMap((a) => (a.granted ? [a.count] : [])).sort((a, b) => a - b)
      assert.deepEqual(counts, [1, 2, 3, 4], 'three free, the fourth starts the first pause')
      assert.ok(answers.every((a) => a.granted || a.retryAt === NOW + 1000))
      assert.deepEqual(await stores().rateLimits.peek(key, NOW), { count: 4, resetAt: NOW + WINDOW })
    })

    test('50 parallel reservations against a limit of 20: exactly 20 granted, numbered 1 to 20', async () => {
      const key = uniqueId('burst')
      const answers = await Promise.all(Array.from({ length: 50 }, () => reserve(key, CAPPED, NOW)))
      const counts = answers.flatMap((a) => (a.granted ? [a.count] : [])).sort((a, b) => a - b)
      assert.deepEqual(
        counts,
        Array.from({ length: 20 }, (_, i) => i + 1),
      )
      assert.ok(answers.every((a) => a.granted || a.retryAt === NOW + WINDOW))
    })
  })
}
