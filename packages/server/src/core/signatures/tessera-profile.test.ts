import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import {
  craftSignedRequest,
  makeFixture,
  makeKey,
  NOW_SECONDS,
  requestWithBody,
  signedRequest,
  signWithMemberText,
  tesseraParams,
  unsignedRequest,
} from '../../../test/rfc9421/signature-fixtures.ts'

const BODY = '{"title":"CEO"}'
const FULL = ['@method', '@authority', '@path', '@query', 'content-type', 'content-digest']

async function verifyCrafted(
  components: readonly string[],
  overrides: Parameters<typeof tesseraParams>[1] = {},
) {
  const key = makeKey('hmac-sha256')
  const fixture = makeFixture([key])
  const request = craftSignedRequest(key, requestWithBody(BODY), components, tesseraParams(key, overrides))
  return { result: await fixture.verifier.verify(request), fixture }
}

describe('covered components', () => {
  for (const missing of FULL) {
    test(`rejects a signature that does not cover ${missing}, before looking up the key`, async () => {
      const { result, fixture } = await verifyCrafted(FULL.filter((c) => c !== missing))
      assert.deepEqual(result, {
        ok: false,
        code: 'invalid_signature',
        detail: `missing component ${missing}`,
      })
      assert.equal(fixture.resolveCalls(), 0)
    })
  }

  test('accepts further covered fields and derived components', async () => {
    const key = makeKey('ed25519')
    const request = requestWithBody(BODY, {
      headers: [
        ['X-Request-Id', 'r-1'],
        ['Date', 'Tue, 25 Nov 2025 16:00:00 GMT'],
      ],
    })
    const components = [...FULL, 'x-request-id', 'date', '@target-uri', '@scheme', '@request-target']
    const crafted = craftSignedRequest(key, request, components, tesseraParams(key))
    assert.equal((await makeFixture([key]).verifier.verify(crafted)).ok, true)
  })

  test('rejects a covered field the request does not carry', async () => {
    const key = makeKey('hmac-sha256')
    const withHeader = requestWithBody(BODY, { headers: [['X-Trace', '1']] })
    const signed = craftSignedRequest(key, withHeader, [...FULL, 'x-trace'], tesseraParams(key))
    const stripped = { ...signed, headers: signed.headers.filter(([n]) => n !== 'X-Trace') }
    const result = await makeFixture([key]).verifier.verify(stripped)
    assert.deepEqual(result, { ok: false, code: 'invalid_signature', detail: 'missing component x-trace' })
  })

  const refused: [string, string, string][] = [
    ['component parameters', '"content-type";sf', 'component parameters are not supported'],
    ['an uppercase field name', '"Content-Type"', 'component names must be lowercase'],
    ['a response-only component', '"@status"', 'unsupported derived component'],
    ['a token instead of a string', 'content-type', 'component identifier is not a string'],
    ['a duplicated component', '"@method"', 'duplicated component'],
  ]
  for (const [what, extra, detail] of refused) {
    test(`rejects ${what}`, async () => {
      const key = makeKey('hmac-sha256')
      const signed = signedRequest(key)
      const input = signed.headers
        .find(([n]) => n === 'signature-input')![1]
        .replace('"@query")', `"@query" ${extra})`)
      const request = {
        ...signed,
        headers: signed.headers.map(([n, v]): [string, string] => [n, n === 'signature-input' ? input : v]),
      }
      const result = await makeFixture([key]).verifier.verify(request)
      assert.deepEqual(result, { ok: false, code: 'invalid_signature', detail })
    })
  }
})

describe('signature parameters', () => {
  for (const name of ['created', 'nonce', 'keyid', 'alg']) {
    test(`rejects a signature without ${name}`, async () => {
      const { result, fixture } = await verifyCrafted(FULL, { [name]: undefined })
      assert.deepEqual(result, { ok: false, code: 'invalid_signature', detail: `missing parameter ${name}` })
      assert.equal(fixture.resolveCalls(), 0)
    })
  }

  test('answers unauthenticated for a signature without the tessera tag', async () => {
    const { result } = await verifyCrafted(FULL, { tag: undefined })
    assert.equal(result.ok === false && result.code, 'unauthenticated')
  })

  const invalid: [string, Record<string, unknown>, string][] = [
    ['a nonce of 21 characters', { nonce: 'a'.repeat(21) }, 'nonce must be at least 128 bits'],
    ['a nonce of 129 characters', { nonce: 'a'.repeat(129) }, 'nonce must be at least 128 bits'],
    ['a nonce with spaces', { nonce: 'not a nonce but a sentence' }, 'nonce must be at least 128 bits'],
    ['an integer nonce', { nonce: 123456789012345 }, 'nonce must be at least 128 bits'],
    ['a created that is a string', { created: String(NOW_SECONDS) }, 'invalid parameter created'],
    ['a created with decimals', { created: NOW_SECONDS + 0.5 }, 'created must be an integer, not a decimal'],
    [
      'an expires with decimals',
      { expires: NOW_SECONDS + 60.5 },
      'expires must be an integer, not a decimal',
    ],
    ['a negative created', { created: -1 }, 'invalid parameter created'],
    ['an empty keyid', { keyid: '' }, 'invalid parameter keyid'],
    ['an alg outside the profile', { alg: 'rsa-pss-sha512' }, 'unsupported alg'],
    ['expires before created', { expires: NOW_SECONDS - 1 }, 'expires must be after created'],
    ['expires equal to created', { expires: NOW_SECONDS }, 'expires must be after created'],
    ['a lifetime over the maximum', { expires: NOW_SECONDS + 301 }, 'signature lifetime too long'],
  ]
  for (const [what, overrides, detail] of invalid) {
    test(`rejects ${what}`, async () => {
      const { result } = await verifyCrafted(FULL, overrides as Record<string, string | number>)
      assert.deepEqual(result, { ok: false, code: 'invalid_signature', detail })
    })
  }

  // RFC 9421 §2.3: Integers. The parser reads `1764000000.0` as the number 1764000000, so the text decides.
  for (const [name, member] of [
    [
      'created',
      `("@method" "@authority" "@path" "@query");created=${NOW_SECONDS}.0;expires=${NOW_SECONDS + 60}`,
    ],
    [
      'expires',
      `("@method" "@authority" "@path" "@query");created=${NOW_SECONDS};expires=${NOW_SECONDS + 60}.000`,
    ],
  ] as const) {
    test(`rejects a correctly signed ${name} written as a Decimal with a zero fraction`, async () => {
      const key = makeKey('hmac-sha256')
      const fixture = makeFixture([key])
      const params = `;nonce="q83vEjRWeJCrze8SNFZ4kA";keyid="${key.id}";alg="hmac-sha256";tag="tessera"`
      const components = ['@method', '@authority', '@path', '@query']
      const request = signWithMemberText(key, unsignedRequest(), components, member + params)
      assert.deepEqual(await fixture.verifier.verify(request), {
        ok: false,
        code: 'invalid_signature',
        detail: `${name} must be an integer, not a decimal`,
      })
      assert.equal(fixture.resolveCalls(), 0)
    })
  }

  test('accepts a nonce of exactly 128 bits (22 base64url characters)', async () => {
    const { result } = await verifyCrafted(FULL, { nonce: 'q83vEjRWeJCrze8SNFZ4kA' })
    assert.equal(result.ok, true)
  })

  test('accepts a signature without expires, and the maximum lifetime itself', async () => {
    assert.equal((await verifyCrafted(FULL, { expires: undefined })).result.ok, true)
    assert.equal((await verifyCrafted(FULL, { expires: NOW_SECONDS + 300 })).result.ok, true)
  })
})

describe('freshness', () => {
  const cases: [string, number, boolean][] = [
    ['10 minutes old', -600, false],
    ['10 minutes ahead', 600, false],
    ['exactly maxSkew old', -300, true],
    ['exactly maxSkew ahead', 300, true],
    ['one second older than maxSkew', -301, false],
    ['one second further ahead than maxSkew', 301, false],
  ]
  for (const [what, offset, accepted] of cases) {
    test(`${accepted ? 'accepts' : 'rejects'} a signature created ${what}`, async () => {
      const key = makeKey('hmac-sha256')
      const fixture = makeFixture([key])
      const created = NOW_SECONDS + offset
      const result = await fixture.verifier.verify(signedRequest(key, {}, { created, expires: null }))
      if (accepted) return assert.equal(result.ok, true)
      const detail = 'created is outside the accepted clock skew'
      assert.deepEqual(result, { ok: false, code: 'stale_signature', detail, serverTime: NOW_SECONDS })
      assert.equal(fixture.resolveCalls(), 0, 'a stale request never reaches the key store')
      assert.equal(fixture.nonces.consumeCalls, 0)
    })
  }

  test('rejects a signature whose expires has passed, with the server time', async () => {
    const key = makeKey('hmac-sha256')
    const fixture = makeFixture([key])
    const result = await fixture.verifier.verify(
      signedRequest(key, {}, { created: NOW_SECONDS - 60, expires: NOW_SECONDS }),
    )
    assert.deepEqual(result, {
      ok: false,
      code: 'stale_signature',
      detail: 'signature expired',
      serverTime: NOW_SECONDS,
    })
    assert.equal(fixture.resolveCalls(), 0)
  })

  test('honours a configured clock skew', async () => {
    const key = makeKey('hmac-sha256')
    const { verifier } = makeFixture([key], { maxSkewSeconds: 30 })
    const result = await verifier.verify(signedRequest(key, {}, { created: NOW_SECONDS - 31, expires: null }))
    assert.equal(result.ok === false && result.code, 'stale_signature')
  })
})

describe('content digest', () => {
  test('rejects a body sent without Content-Digest', async () => {
    const key = makeKey('hmac-sha256')
    const request = unsignedRequest({ method: 'POST', body: BODY })
    const signed = craftSignedRequest(
      key,
      { ...request, body: Buffer.alloc(0) },
      FULL.slice(0, 5),
      tesseraParams(key),
    )
    const result = await makeFixture([key]).verifier.verify({ ...signed, body: Buffer.from(BODY) })
    assert.deepEqual(result, {
      ok: false,
      code: 'invalid_signature',
      detail: 'missing component content-digest',
    })
  })

  test('rejects a Content-Digest that has no sha-256 member', async () => {
    const key = makeKey('hmac-sha256')
    const request = unsignedRequest({
      method: 'POST',
      body: BODY,
      headers: [['Content-Digest', 'sha-512=:AAAA:']],
    })
    const signed = craftSignedRequest(key, request, FULL, tesseraParams(key))
    const result = await makeFixture([key]).verifier.verify(signed)
    assert.deepEqual(result, { ok: false, code: 'invalid_signature', detail: 'content-digest lacks sha-256' })
  })
})
