import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import {
  AUTHORITY,
  headerOf,
  makeFixture,
  makeKey,
  NOW,
  NOW_SECONDS,
  signedRequest,
  unsignedRequest,
  withHeader,
} from '../../../test/rfc9421/signature-fixtures.ts'
import { StoreUnavailableError } from '../errors.ts'
import { type RequestView, SIGNATURE_ALGORITHMS } from '../types.ts'

const JSON_BODY = '{"firstName":"Ada","lastName":"Lovelace"}'

describe('verifying a signed request', () => {
  for (const algorithm of SIGNATURE_ALGORITHMS) {
    test(`accepts a request signed with ${algorithm} and answers the key with its payload`, async () => {
      const key = makeKey(algorithm)
      const { verifier, nonces } = makeFixture([key])
      const result = await verifier.verify(signedRequest(key, { body: JSON_BODY }))
      assert.deepEqual(result, {
        ok: true,
        key: { id: key.id, algorithm, key: key.verifyKey, payload: `user of ${key.id}` },
        created: NOW_SECONDS,
        expires: NOW_SECONDS + 60,
      })
      assert.equal(nonces.size, 1)
    })
  }

  test('accepts a bodyless GET that covers no content fields', async () => {
    const key = makeKey('hmac-sha256')
    const request = signedRequest(key, { method: 'GET', target: '/api/employees' })
    assert.match(headerOf(request, 'signature-input'), /^sig=\("@method" "@authority" "@path" "@query"\);/)
    assert.equal((await makeFixture([key]).verifier.verify(request)).ok, true)
  })

  test('accepts any label for the tessera signature', async () => {
    const key = makeKey('ed25519')
    const request = signedRequest(key, {}, { label: 'device-1' })
    assert.equal((await makeFixture([key]).verifier.verify(request)).ok, true)
  })

  test('answers unauthenticated when there is no signature at all', async () => {
    const result = await makeFixture([makeKey('hmac-sha256')]).verifier.verify(unsignedRequest())
    assert.deepEqual(result, { ok: false, code: 'unauthenticated', detail: 'no tessera signature' })
  })

  test('answers unauthenticated when no signature carries the tessera tag', async () => {
    const key = makeKey('hmac-sha256')
    const result = await makeFixture([key]).verifier.verify(signedRequest(key, {}, { tag: 'other-profile' }))
    assert.equal(result.ok === false && result.code, 'unauthenticated')
  })
})

describe('replay', () => {
  test('rejects a byte-identical replay of a verified request', async () => {
    const key = makeKey('hmac-sha256')
    const { verifier } = makeFixture([key])
    const request = signedRequest(key, { body: JSON_BODY })
    assert.equal((await verifier.verify(request)).ok, true)
    const replay = await verifier.verify(structuredClone(request))
    assert.deepEqual(replay, { ok: false, code: 'replayed_signature', detail: 'nonce already used' })
  })

  test('accepts the same nonce under another key', async () => {
    const first = makeKey('hmac-sha256', 'key_a')
    const second = makeKey('hmac-sha256', 'key_b')
    const { verifier } = makeFixture([first, second])
    const nonce = 'c2FtZS1ub25jZS0xMjM0NTY3OA'
    assert.equal((await verifier.verify(signedRequest(first, {}, { nonce }))).ok, true)
    assert.equal((await verifier.verify(signedRequest(second, {}, { nonce }))).ok, true)
  })

  test('records the nonce until created + maxSkew, under the resolved key id', async () => {
    const key = makeKey('hmac-sha256')
    const calls: unknown[][] = []
    const nonceStore = {
      consume: async (...args: unknown[]) => calls.push(args) > 0,
      deleteExpired: async () => 0,
    }
    const { verifier } = makeFixture([key], { nonceStore, maxSkewSeconds: 120 })
    await verifier.verify(signedRequest(key, {}, { nonce: 'AAAAAAAAAAAAAAAAAAAAAA' }))
    assert.deepEqual(calls, [[key.id, 'AAAAAAAAAAAAAAAAAAAAAA', (NOW_SECONDS + 121) * 1000, NOW]])
  })
})

describe('tampering', () => {
  const cases: [string, (r: ReturnType<typeof signedRequest>) => ReturnType<typeof signedRequest>, string][] =
    [
      [
        'a body changed by one byte',
        (r) => ({ ...r, body: Buffer.from(JSON_BODY.replace('Ada', 'Adb')) }),
        'content-digest mismatch',
      ],
      [
        'the same JSON re-serialised',
        (r) => ({ ...r, body: Buffer.from(JSON.stringify(JSON.parse(JSON_BODY), null, 1)) }),
        'content-digest mismatch',
      ],
      ['a POST signature sent as PUT', (r) => ({ ...r, method: 'PUT' }), 'signature mismatch'],
      ['another path', (r) => ({ ...r, target: '/api/employees/1?q=an' }), 'signature mismatch'],
      ['another content type', (r) => withHeader(r, 'content-type', 'text/plain'), 'signature mismatch'],
    ]
  for (const [what, tamper, detail] of cases) {
    test(`rejects ${what} and records no nonce`, async () => {
      const key = makeKey('hmac-sha256')
      const { verifier, nonces } = makeFixture([key])
      const result = await verifier.verify(tamper(signedRequest(key, { body: JSON_BODY })))
      assert.deepEqual(result, { ok: false, code: 'invalid_signature', detail })
      assert.equal(nonces.consumeCalls, 0)
    })
  }

  test('rejects a changed body whose Content-Digest the attacker recomputed', async () => {
    const key = makeKey('ed25519')
    const { verifier, nonces } = makeFixture([key])
    const original = signedRequest(key, { body: JSON_BODY })
    const forged = signedRequest(makeKey('ed25519', key.id), { body: '{"role":"admin"}' })
    const request = withHeader(
      { ...original, body: forged.body },
      'content-digest',
      headerOf(forged, 'content-digest'),
    )
    const result = await verifier.verify(request)
    assert.deepEqual(result, { ok: false, code: 'invalid_signature', detail: 'signature mismatch' })
    assert.equal(nonces.consumeCalls, 0)
  })

  test('rejects a GET signature sent as DELETE', async () => {
    const key = makeKey('ecdsa-p256-sha256')
    const { verifier } = makeFixture([key])
    const request = signedRequest(key, { method: 'GET', target: '/api/employees/7' })
    const result = await verifier.verify({ ...request, method: 'DELETE' })
    assert.deepEqual(result, { ok: false, code: 'invalid_signature', detail: 'signature mismatch' })
  })

  test('rejects ?a=1 changed to ?a=2', async () => {
    const key = makeKey('hmac-sha256')
    const { verifier } = makeFixture([key])
    const request = signedRequest(key, { target: '/api/employees?a=1' })
    const result = await verifier.verify({ ...request, target: '/api/employees?a=2' })
    assert.deepEqual(result, { ok: false, code: 'invalid_signature', detail: 'signature mismatch' })
  })

  test('rejects a Host that is not an accepted authority', async () => {
    const key = makeKey('hmac-sha256')
    const { verifier, nonces } = makeFixture([key])
    const result = await verifier.verify(withHeader(signedRequest(key), 'host', 'evil.example'))
    assert.deepEqual(result, { ok: false, code: 'invalid_signature', detail: 'authority not accepted' })
    assert.equal(nonces.consumeCalls, 0)
  })

  test('rejects a request signed for one accepted authority and sent to another', async () => {
    const key = makeKey('hmac-sha256')
    const { verifier } = makeFixture([key], { authorities: [AUTHORITY, 'localhost:3000'] })
    const result = await verifier.verify(withHeader(signedRequest(key), 'host', 'LOCALHOST:3000'))
    assert.deepEqual(result, { ok: false, code: 'invalid_signature', detail: 'signature mismatch' })
  })

  test('rejects a request with two Host headers', async () => {
    const key = makeKey('hmac-sha256')
    const request = signedRequest(key, { headers: [['Host', AUTHORITY]] })
    const result = await makeFixture([key]).verifier.verify(request)
    assert.deepEqual(result, { ok: false, code: 'invalid_signature', detail: 'authority not accepted' })
  })
})

describe('keys', () => {
  test('answers unknown_key for a key id nobody issued, and records no nonce', async () => {
    const key = makeKey('hmac-sha256')
    const { verifier, nonces } = makeFixture([])
    assert.deepEqual(await verifier.verify(signedRequest(key)), {
      ok: false,
      code: 'unknown_key',
      detail: 'unknown key',
    })
    assert.equal(nonces.consumeCalls, 0)
  })

  test('rejects a signature whose alg differs from the key it names', async () => {
    const registered = makeKey('hmac-sha256', 'key_1')
    const attacker = makeKey('ed25519', 'key_1')
    const { verifier, nonces } = makeFixture([registered])
    const result = await verifier.verify(signedRequest(attacker))
    assert.deepEqual(result, { ok: false, code: 'invalid_signature', detail: 'alg does not match the key' })
    assert.equal(nonces.consumeCalls, 0)
  })

  test('rejects a signature made with another key of the same algorithm', async () => {
    const registered = makeKey('ecdsa-p256-sha256', 'key_1')
    const { verifier } = makeFixture([registered])
    const result = await verifier.verify(signedRequest(makeKey('ecdsa-p256-sha256', 'key_1')))
    assert.equal(result.ok === false && result.detail, 'signature mismatch')
  })
})

describe('store outages', () => {
  test('lets a StoreUnavailableError from resolveKey propagate', async () => {
    const key = makeKey('hmac-sha256')
    const outage = new StoreUnavailableError('credentials.findById')
    const { verifier } = makeFixture([key], { resolveKey: async () => Promise.reject(outage) })
    await assert.rejects(verifier.verify(signedRequest(key)), outage)
  })

  test('lets a StoreUnavailableError from the nonce store propagate', async () => {
    const key = makeKey('hmac-sha256')
    const outage = new StoreUnavailableError('nonces.consume')
    const nonceStore = { consume: () => Promise.reject(outage), deleteExpired: async () => 0 }
    await assert.rejects(makeFixture([key], { nonceStore }).verifier.verify(signedRequest(key)), outage)
  })
})

// docs/signatures.md §7: an absolute-form request target (RFC 9112 §3.2.2) is accepted.
describe('absolute-form request targets', () => {
  const absolute = (request: RequestView, authority = AUTHORITY) => ({
    ...request,
    target: `http://${authority}${request.target}`,
  })

  test('verifies a request whose target is absolute-form, @path and @query taken from it', async () => {
    const key = makeKey('hmac-sha256')
    const request = absolute(signedRequest(key, { body: JSON_BODY, target: '/api/employees?q=an' }))
    assert.equal((await makeFixture([key]).verifier.verify(request)).ok, true)
  })

  test('rejects an absolute-form target naming another authority than Host', async () => {
    const key = makeKey('hmac-sha256')
    const fixture = makeFixture([key])
    const request = absolute(signedRequest(key), 'evil.example')
    assert.deepEqual(await fixture.verifier.verify(request), {
      ok: false,
      code: 'invalid_signature',
      detail: 'request target authority differs from host',
    })
    assert.equal(fixture.resolveCalls(), 0)
  })

  test('rejects an asterisk-form target with a clear reason', async () => {
    const key = makeKey('hmac-sha256')
    const request = { ...signedRequest(key, { method: 'OPTIONS' }), target: '*' }
    assert.deepEqual(await makeFixture([key]).verifier.verify(request), {
      ok: false,
      code: 'invalid_signature',
      detail: 'request target is neither origin-form nor absolute-form',
    })
  })
})
