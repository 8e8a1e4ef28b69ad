import assert from 'node:assert/strict'
import { createPrivateKey } from 'node:crypto'
import { describe, test } from 'node:test'
import { importVerifyKey } from '../../src/core/signatures/keys.ts'
import { signBase } from '../../src/core/signatures/signature-algorithms.ts'
import { verifyMessageSignature } from '../../src/core/signatures/verify-message-signature.ts'
import type { RawHeaders, RequestView } from '../../src/core/types.ts'

/** RFC 9421 Appendix B.2: the test request (a POST to https://example.com/foo?param=Value&Pet=dog). */
const HEADERS: RawHeaders = [
  ['Host', 'example.com'],
  ['Date', 'Tue, 20 Apr 2021 02:07:55 GMT'],
  ['Content-Type', 'application/json'],
  [
    'Content-Digest',
    'sha-512=:WZDPaVn/7XgHaAy8pmojAkGWoRx2UFChF41A2svX+TaPm+AbwAgBWnrIiYllu7BNNyealdVLvRwEmTHWXvJwew==:',
  ],
  ['Content-Length', '18'],
]

function rfcRequest(signatureInput: string, signature: string, headers: RawHeaders = HEADERS): RequestView {
  return {
    method: 'POST',
    target: '/foo?param=Value&Pet=dog',
    headers: [...headers, ['Signature-Input', signatureInput], ['Signature', signature]],
    body: Buffer.from('{"hello": "world"}'),
    ip: '192.0.2.1',
  }
}

/** B.1.5 test-shared-secret (64 bytes, base64). */
const SHARED_SECRET = Buffer.from(
  'uzvJfB4u3N0Jy4T7NZ75MDVcr8zSTInedJtkgcu46YW4XByzNJjxBdtjUkdJPBtbmHhIDi6pcl8jsasjlTMtDQ==',
  'base64',
)
/** B.1.4 test-key-ed25519, as a public JWK and as the PKCS#8 private key. */
const ED25519_PUBLIC_JWK = {
  kty: 'OKP',
  crv: 'Ed25519',
  x: 'JrQLj5P_89iXES9-vFgrIy29clF9CC_oPPsw3c5D0bs',
} as const
const ED25519_PRIVATE_PEM =
  '-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIJ+DYvh6SEqVTm50DFtMDoQikTmiCqirVv9mWG9qfSnF\n-----END PRIVATE KEY-----\n'

const VECTORS = [
  {
    name: 'B.2.5 (hmac-sha256)',
    label: 'sig-b25',
    algorithm: 'hmac-sha256' as const,
    verifyKey: () => importVerifyKey('hmac-sha256', SHARED_SECRET),
    signKey: () => importVerifyKey('hmac-sha256', SHARED_SECRET),
    input: 'sig-b25=("date" "@authority" "content-type");created=1618884473;keyid="test-shared-secret"',
    signature: 'sig-b25=:pxcQw6G3AjtMBQjwo8XzkZf/bws5LelbaMk5rGIGtE8=:',
    base: [
      '"date": Tue, 20 Apr 2021 02:07:55 GMT',
      '"@authority": example.com',
      '"content-type": application/json',
      '"@signature-params": ("date" "@authority" "content-type");created=1618884473;keyid="test-shared-secret"',
    ].join('\n'),
  },
  {
    name: 'B.2.6 (ed25519)',
    label: 'sig-b26',
    algorithm: 'ed25519' as const,
    verifyKey: () => importVerifyKey('ed25519', ED25519_PUBLIC_JWK),
    signKey: () => createPrivateKey(ED25519_PRIVATE_PEM),
    input:
      'sig-b26=("date" "@method" "@path" "@authority" "content-type" "content-length");created=1618884473;keyid="test-key-ed25519"',
    signature:
      'sig-b26=:wqcAqbmYJ2ji2glfAMaRy4gruYYnx2nEFN2HN6jrnDnQCK1u02Gb04v9EDgwUPiu4A0w6vuQv5lIp5WPpBKRCw==:',
    base: [
      '"date": Tue, 20 Apr 2021 02:07:55 GMT',
      '"@method": POST',
      '"@path": /foo',
      '"@authority": example.com',
      '"content-type": application/json',
      '"content-length": 18',
      '"@signature-params": ("date" "@method" "@path" "@authority" "content-type" "content-length");created=1618884473;keyid="test-key-ed25519"',
    ].join('\n'),
  },
]

for (const v of VECTORS) {
  describe(`RFC 9421 Appendix ${v.name}`, () => {
    const options = { label: v.label, algorithm: v.algorithm, scheme: 'https' as const }

    test('verifies, with freshness off, and builds the signature base byte for byte', () => {
      const result = verifyMessageSignature(rfcRequest(v.input, v.signature), {
        ...options,
        key: v.verifyKey(),
      })
      assert.equal(result.ok, true, JSON.stringify(result))
      assert.equal(result.base, v.base)
    })

    test('signing the RFC signature base gives the RFC signature', () => {
      const signature = signBase(v.algorithm, v.signKey(), Buffer.from(v.base))
      assert.equal(`${v.label}=:${signature.toString('base64')}:`, v.signature)
    })

    test('fails when one byte of a covered header changes', () => {
      const headers = HEADERS.map(([n, value]): [string, string] => [
        n,
        n === 'Date' ? value.replace(':55', ':56') : value,
      ])
      const result = verifyMessageSignature(rfcRequest(v.input, v.signature, headers), {
        ...options,
        key: v.verifyKey(),
      })
      assert.deepEqual(
        { ok: result.ok, detail: !result.ok && result.detail },
        { ok: false, detail: 'signature mismatch' },
      )
    })

    test('fails when one byte of the signature changes', () => {
      const bytes = Buffer.from(v.signature.slice(v.label.length + 2, -1), 'base64')
      bytes[0]! ^= 1
      const tampered = `${v.label}=:${bytes.toString('base64')}:`
      const result = verifyMessageSignature(rfcRequest(v.input, tampered), { ...options, key: v.verifyKey() })
      assert.equal(result.ok, false)
    })

    test('fails when one byte of the signature parameters changes', () => {
      const input = v.input.replace('created=1618884473', 'created=1618884474')
      const result = verifyMessageSignature(rfcRequest(input, v.signature), {
        ...options,
        key: v.verifyKey(),
      })
      assert.equal(result.ok, false)
    })
  })
}
