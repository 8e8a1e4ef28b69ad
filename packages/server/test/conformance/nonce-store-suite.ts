import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { type OpenStores, useStores } from './open-stores.ts'
import { uniqueId } from './unique-id.ts'

const NOW = Date.UTC(2030, 0, 1)
const WINDOW = 300_000

/** The NonceStore contract, run against every backend (SQL and Redis alike). */
export function nonceStoreSuite(backend: string, open: OpenStores<'nonces'>): void {
  describe(`NonceStore on ${backend}`, { timeout: 30_000 }, () => {
    const stores = useStores(open)
    const consume = (keyId: string, nonce: string, expiresAt: number, now: number) =>
      stores().nonces.consume(keyId, nonce, expiresAt, now)

    test('accepts a nonce once and refuses its replay', async () => {
      const [key, nonce] = [uniqueId('key'), uniqueId('n')]
      assert.equal(await consume(key, nonce, NOW + WINDOW, NOW), true)
      assert.equal(await consume(key, nonce, NOW + WINDOW + 5, NOW + 5), false)
    })

    test('refuses a replay until the very end of the record', async () => {
      const [key, nonce] = [uniqueId('key'), uniqueId('n')]
      assert.equal(await consume(key, nonce, NOW + WINDOW, NOW), true)
      assert.equal(await consume(key, nonce, NOW + 2 * WINDOW, NOW + WINDOW - 1), false)
    })

    test('accepts the same nonce under another key', async () => {
      const nonce = uniqueId('n')
      assert.equal(await consume(uniqueId('key'), nonce, NOW + WINDOW, NOW), true)
      assert.equal(await consume(uniqueId('key'), nonce, NOW + WINDOW, NOW), true)
    })

    test('tells nonces apart that differ only by case', async () => {
      const [key, nonce] = [uniqueId('key'), `${uniqueId('n')}aB`]
      assert.equal(await consume(key, nonce, NOW + WINDOW, NOW), true)
      assert.equal(await consume(key, nonce.replace(/aB$/, 'Ab'), NOW + WINDOW, NOW), true)
    })

    test('accepts an expired nonce again, then refuses its replay', async () => {
      const [key, nonce] = [uniqueId('key'), uniqueId('n')]
      assert.equal(await consume(key, nonce, NOW + WINDOW, NOW), true)
      assert.equal(await consume(key, nonce, NOW + 2 * WINDOW, NOW + WINDOW), true)
      assert.equal(await consume(key, nonce, NOW + 2 * WINDOW, NOW + WINDOW + 1), false)
    })

    test('accepts exactly one of 20 parallel consumes of one nonce', async () => {
      const [key, nonce] = [uniqueId('key'), uniqueId('n')]
      const results = await Promise.all(
        Array.from({ length: 20 }, () => consume(key, nonce, NOW + WINDOW, NOW)),
      )
      assert.equal(results.filter(Boolean).length, 1)
    })

    test('accepts exactly one of 20 parallel consumes of an expired nonce', async () => {
      const [key, nonce] = [uniqueId('key'), uniqueId('n')]
      assert.equal(await consume(key, nonce, NOW + WINDOW, NOW), true)
      const later = NOW + 2 * WINDOW
      const results = await Promise.all(
        Array.from({ length: 20 }, () => consume(key, nonce, later + WINDOW, later)),
      )
      assert.equal(results.filter(Boolean).length, 1)
    })

    test('deletes expired records and keeps live ones', async () => {
      const key = uniqueId('key')
      const [expired, live] = [uniqueId('n'), uniqueId('n')]
      assert.equal(await consume(key, expired, NOW + 1000, NOW), true)
      assert.equal(await consume(key, live, NOW + 5000, NOW), true)
      assert.ok((await stores().nonces.deleteExpired(NOW + 2000)) >= 1)
      // Had the record survived, a consume before its old expiry would be a replay.
      assert.equal(await consume(key, expired, NOW + 9000, NOW + 500), true)
      assert.equal(await consume(key, live, NOW + 9000, NOW + 2000), false)
    })
  })
}
