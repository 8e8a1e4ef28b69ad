import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { type OpenStores, useStores } from './open-stores.ts'
import { uniqueId } from './unique-id.ts'

const NOW = Date.UTC(2030, 0, 1)
const WINDOW = 60_000

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
  })
}
