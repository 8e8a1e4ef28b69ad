import assert from 'node:assert/strict'
import { createPrivateKey, createSecretKey, type KeyObject } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { describe, test } from 'node:test'
import { indexHeaders } from '../../src/core/signatures/header-index.ts'
import { importVerifyKey } from '../../src/core/signatures/keys.ts'
import { type SignRequestOptions, signRequest } from '../../src/core/signatures/sign-request.ts'
import { buildSignatureBase } from '../../src/core/signatures/signature-base.ts'
import { createSignatureVerifier } from '../../src/core/signatures/verify-request-signature.ts'
import type { RawHeaders, SignatureAlgorithm } from '../../src/core/types.ts'

/** docs/signatures.md §12 must show what the code computes: recompute every value and look for it. */
const DOC = readFileSync(new URL('../../../../docs/signatures.md', import.meta.url), 'utf8')
const SECRET = Buffer.from('SggqwKEywns0yhpsXxL1yI33467CWZ_XhNWZ0bc0tGQ', 'base64url')
const ED25519_PEM =
  '-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIJ+DYvh6SEqVTm50DFtMDoQikTmiCqirVv9mWG9qfSnF\n-----END PRIVATE KEY-----\n'
const ED25519_JWK = { kty: 'OKP', crv: 'Ed25519', x: 'JrQLj5P_89iXES9-vFgrIy29clF9CC_oPPsw3c5D0bs' } as const

interface Example {
  name: string
  sign: SignRequestOptions
  verifyKey: KeyObject
  target: string
}

const EXAMPLES: Example[] = [
  {
    name: 'HMAC-SHA256 POST',
    sign: {
      method: 'POST',
      url: 'http://127.0.0.1:3000/api/employees',
      headers: { 'content-type': 'application/json' },
      body: '{"firstName":"Ada","lastName":"Lovelace","title":"Engineer"}',
      keyId: 'key_8mGzJ3vQ2cW5tY0aXrKpLg',
      algorithm: 'hmac-sha256',
      key: createSecretKey(SECRET),
      created: 1764000000,
      expires: 1764000060,
      nonce: 'k3Zr0h7y5bA9pQ2xW1vNfA',
    },
    verifyKey: importVerifyKey('hmac-sha256', SECRET),
    target: '/api/employees',
  },
  {
    name: 'Ed25519 GET',
    sign: {
      method: 'GET',
      url: 'http://127.0.0.1:3000/api/employees?q=lovelace',
      keyId: 'key_tR1nW4xq0V8bYc2ZlP6sEg',
      algorithm: 'ed25519',
      key: createPrivateKey(ED25519_PEM),
      created: 1764000000,
      expires: 1764000060,
      nonce: 'Zm9yIGRvY3VtZW50YXRpb24',
    },
    verifyKey: importVerifyKey('ed25519', ED25519_JWK),
    target: '/api/employees?q=lovelace',
  },
]

function requestHeaders(example: Example, added: Record<string, string>): RawHeaders {
  return [['Host', '127.0.0.1:3000'], ...Object.entries(example.sign.headers ?? {}), ...Object.entries(added)]
}

describe('the worked examples in docs/signatures.md', () => {
  for (const example of EXAMPLES) {
    test(`${example.name}: the documented headers and signature base are what the signer produces`, () => {
      const added = signRequest(example.sign) as unknown as Record<string, string>
      for (const value of Object.values(added)) assert.ok(DOC.includes(value.replace(/^sig=/, '')), value)
      const headers = requestHeaders(example, added)
      const components = /\(([^)]*)\)/
        .exec(added['signature-input']!)![1]!
        .split(' ')
        .map((c) => c.slice(1, -1))
      const body = Buffer.from(example.sign.body ?? '')
      const request = { method: example.sign.method, target: example.target, headers, body, ip: '' }
      const context = { authority: '127.0.0.1:3000', scheme: 'http' as const }
      const base = buildSignatureBase(
        request,
        indexHeaders(headers),
        components,
        added['signature-input']!.slice(4),
        context,
      )
      assert.ok(base.ok && DOC.includes(`\`\`\`\n${base.base}\n\`\`\``), 'the base is shown verbatim')
    })

    test(`${example.name}: verifies with the profile verifier at the documented time`, async () => {
      const added = signRequest(example.sign) as unknown as Record<string, string>
      const algorithm: SignatureAlgorithm = example.sign.algorithm
      const verifier = createSignatureVerifier({
        authorities: ['127.0.0.1:3000'],
        scheme: 'http',
        now: () => 1764000010_000,
        nonces: { consume: async () => true, deleteExpired: async () => 0 },
        resolveKey: async (id) => ({ id, algorithm, key: example.verifyKey, payload: null }),
      })
      const body = Buffer.from(example.sign.body ?? '')
      const request = {
        method: example.sign.method,
        target: example.target,
        headers: requestHeaders(example, added),
        body,
        ip: '',
      }
      assert.equal((await verifier.verify(request)).ok, true)
    })
  }
})
