import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import {
  makeFixture,
  makeKey,
  NOW,
  NOW_SECONDS,
  signedRequest,
} from '../../../test/rfc9421/signature-fixtures.ts'

/** Where in the server's current second the request arrives: its first, second, middle and last millisecond. */
const SUB_SECOND_OFFSETS = [0, 1, 500, 999]

/** The outcome of a request signed with `created`/`expires` (Unix seconds) at NOW_SECONDS + ms. */
async function verifyAt(ms: number, created: number, expires: number | null = null) {
  const key = makeKey('hmac-sha256')
  const fixture = makeFixture([key], { now: () => NOW + ms })
  const result = await fixture.verifier.verify(signedRequest(key, {}, { created, expires }))
  return { result, fixture }
}

// docs/signatures.md §8: the edges, compared in whole seconds of the server clock.
describe('freshness edges hold for the whole server second', () => {
  const createdCases: [string, number, boolean][] = [
    ['now − 300', -300, true],
    ['now + 300', 300, true],
    ['now − 301', -301, false],
    ['now + 301', 301, false],
  ]
  for (const ms of SUB_SECOND_OFFSETS) {
    for (const [what, offset, accepted] of createdCases) {
      test(`${accepted ? 'accepts' : 'rejects'} created = ${what} when the clock is ${ms} ms into the second`, async () => {
        const { result } = await verifyAt(ms, NOW_SECONDS + offset)
        if (accepted) return assert.equal(result.ok, true, JSON.stringify(result))
        assert.deepEqual(result, {
          ok: false,
          code: 'stale_signature',
          detail: 'created is outside the accepted clock skew',
          serverTime: NOW_SECONDS,
        })
      })
    }

    test(`rejects expires = now and accepts expires = now + 1 when the clock is ${ms} ms into the second`, async () => {
      const expired = await verifyAt(ms, NOW_SECONDS - 60, NOW_SECONDS)
      assert.deepEqual(expired.result, {
        ok: false,
        code: 'stale_signature',
        detail: 'signature expired',
        serverTime: NOW_SECONDS,
      })
      assert.equal((await verifyAt(ms, NOW_SECONDS - 60, NOW_SECONDS + 1)).result.ok, true)
    })
  }

  test('remembers the nonce exactly as long as created passes: to the end of second created + 300', async () => {
    const { fixture } = await verifyAt(999, NOW_SECONDS - 300)
    assert.equal(fixture.nonces.size, 1)
    assert.equal(await fixture.nonces.deleteExpired(NOW + 999), 0)
    assert.equal(await fixture.nonces.deleteExpired(NOW + 1000), 1)
  })
})

// docs/signatures.md §8 and §11: a malformed lifetime is the signer's mistake, not the clock's.
describe('an expires that cannot be valid at any time is invalid_signature', () => {
  const cases: [string, number, string][] = [
    ['equal to created', NOW_SECONDS, 'expires must be after created'],
    ['before created', NOW_SECONDS - 1, 'expires must be after created'],
    ['301 s after created', NOW_SECONDS + 301, 'signature lifetime too long'],
  ]
  for (const [what, expires, detail] of cases) {
    test(`rejects expires ${what} as invalid_signature without serverTime, before the key lookup`, async () => {
      const { result, fixture } = await verifyAt(0, NOW_SECONDS, expires)
      assert.deepEqual(result, { ok: false, code: 'invalid_signature', detail })
      assert.equal(fixture.resolveCalls(), 0)
    })
  }

  test('accepts expires exactly 300 s after created', async () => {
    assert.equal((await verifyAt(0, NOW_SECONDS, NOW_SECONDS + 300)).result.ok, true)
  })
})
