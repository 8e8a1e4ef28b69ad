import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { createSigner, createVerifier, httpbis } from 'http-message-signatures'
import { computeContentDigest } from '../../src/core/signatures/content-digest.ts'
import { signRequest } from '../../src/core/signatures/sign-request.ts'
import { SIGNATURE_ALGORITHMS } from '../../src/core/types.ts'
import { AUTHORITY, makeFixture, makeKey, NOW, type TestKey } from './signature-fixtures.ts'

/**
 * Both directions against an independent implementation from npm (DESIGN §4):
 * `http-message-signatures` signs and Tessera verifies, then Tessera signs and it verifies.
 */
const URL_ = `http://${AUTHORITY}/api/employees?q=an`
const BODY = '{"firstName":"Grace","lastName":"Hopper"}'
const COVERED = ['@method', '@authority', '@path', '@query', 'content-type', 'content-digest']

async function signWithPackage(key: TestKey, nonce: string) {
  return httpbis.signMessage(
    {
      key: createSigner(key.signingKey, key.algorithm, key.id),
      name: 'pkg',
      fields: COVERED,
      params: ['created', 'expires', 'nonce', 'keyid', 'alg', 'tag'],
      paramValues: { created: new Date(NOW), expires: new Date(NOW + 60_000), nonce, tag: 'tessera' },
    },
    {
      method: 'POST',
      url: URL_,
      headers: {
        'Content-Type': 'application/json',
        'Content-Digest': computeContentDigest(Buffer.from(BODY)),
      },
    },
  )
}

function verifyWithPackage(
  key: TestKey,
  request: { method: string; url: string; headers: Record<string, string> },
) {
  return httpbis.verifyMessage(
    {
      keyLookup: async (params) =>
        params.keyid === key.id
          ? { id: key.id, algs: [key.algorithm], verify: createVerifier(key.verifyKey, key.algorithm) }
          : null,
      requiredFields: COVERED,
      requiredParams: ['created', 'nonce', 'keyid', 'alg', 'tag'],
    },
    request,
  )
}

for (const algorithm of SIGNATURE_ALGORITHMS) {
  describe(`interoperability with http-message-signatures, ${algorithm}`, () => {
    test('a request it signs with the tessera parameters verifies with Tessera', async () => {
      const key = makeKey(algorithm)
      const signed = await signWithPackage(key, 'aW50ZXJvcC1ub25jZS0wMDAx')
      const headers = Object.entries(signed.headers).map(([n, v]): [string, string] => [n, String(v)])
      const request = {
        method: 'POST',
        target: '/api/employees?q=an',
        headers: [['Host', AUTHORITY] as [string, string], ...headers],
      }
      const result = await makeFixture([key]).verifier.verify({
        ...request,
        body: Buffer.from(BODY),
        ip: '127.0.0.1',
      })
      assert.equal(result.ok, true, JSON.stringify(result))
    })

    test('a request Tessera signs verifies with it, and a tampered one does not', async () => {
      const key = makeKey(algorithm)
      // The package checks freshness against the real clock.
      const created = Math.floor(Date.now() / 1000) - 1
      const base = {
        url: URL_,
        keyId: key.id,
        algorithm,
        key: key.signingKey,
        created,
        expires: created + 300,
      }
      const added = signRequest({
        ...base,
        method: 'POST',
        body: BODY,
        headers: { 'content-type': 'application/json' },
      })
      const headers = { 'content-type': 'application/json', ...added } as Record<string, string>
      assert.equal(await verifyWithPackage(key, { method: 'POST', url: URL_, headers }), true)
      assert.equal(await verifyWithPackage(key, { method: 'PUT', url: URL_, headers }), false)
    })
  })
}
