import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { MemoryNonceStore } from '../../../../../test/rfc9421/memory-nonce-store.ts'
import {
  AUTHORITY,
  makeFixture,
  makeKey,
  NOW_SECONDS,
  unsignedRequest,
} from '../../../test/rfc9421/signature-fixtures.ts'
import { signRequest } from './sign-request.ts'
import { normaliseAuthority, verifierConfig } from './verifier-config.ts'
import { createSignatureVerifier } from './verify-request-signature.ts'

describe('verifier configuration', () => {
  const valid = {
    authorities: [AUTHORITY],
    scheme: 'http' as const,
    resolveKey: async () => undefined,
    nonces: { consume: async () => true, deleteExpired: async () => 0 },
  }
  const broken: [string, object][] = [
    ['no authorities', { authorities: [] }],
    ['an authority with a path', { authorities: ['example.com/api'] }],
    ['an authority with userinfo', { authorities: ['user@example.com'] }],
    ['an authority with a port out of range', { authorities: ['example.com:70000'] }],
    ['an unknown scheme', { scheme: 'ftp' }],
    ['a zero clock skew', { maxSkewSeconds: 0 }],
    ['a fractional lifetime', { maxLifetimeSeconds: 1.5 }],
    ['a clock that is not a function', { now: 1764000000000 }],
    ['no key resolver', { resolveKey: undefined }],
    ['no nonce store', { nonces: undefined }],
  ]
  for (const [what, change] of broken) {
    test(`refuses ${what} when the verifier is created`, () => {
      assert.throws(
        () => createSignatureVerifier({ ...valid, ...change } as typeof valid),
        /signature verifier:/,
      )
    })
  }

  test('accepts an authority in any case and with the default port of its scheme', async () => {
    const key = makeKey('hmac-sha256')
    const { verifier } = makeFixture([key], { authorities: ['API.Example.com:443'], scheme: 'https' })
    const signer = { keyId: key.id, algorithm: key.algorithm, key: key.signingKey, created: NOW_SECONDS }
    const added = signRequest({ method: 'GET', url: 'https://api.example.com/api/ping', ...signer })
    const request = unsignedRequest({
      target: '/api/ping',
      host: 'api.example.com:443',
      headers: Object.entries(added),
    })
    assert.equal((await verifier.verify(request)).ok, true)
  })
})

describe('normaliseAuthority', () => {
  const cases: [string, 'http' | 'https', string | undefined][] = [
    ['Example.COM', 'https', 'example.com'],
    ['example.com:443', 'https', 'example.com'],
    ['example.com:443', 'http', 'example.com:443'],
    ['127.0.0.1:80', 'http', '127.0.0.1'],
    ['[::1]:3000', 'http', '[::1]:3000'],
    ['example.com:', 'http', undefined],
    ['exa mple.com', 'http', undefined],
    ['example.com/x', 'http', undefined],
    ['', 'http', undefined],
  ]
  for (const [value, scheme, expected] of cases) {
    test(`reads ${JSON.stringify(value)} over ${scheme} as ${expected ?? 'not an authority'}`, () => {
      assert.equal(normaliseAuthority(value, scheme), expected)
    })
  }
})

test('maxFutureSkewSeconds defaults to maxSkewSeconds and may not exceed it', () => {
  const base = {
    authorities: ['a.example'],
    scheme: 'https' as const,
    resolveKey: async () => undefined,
    nonces: new MemoryNonceStore(),
  }
  assert.equal(verifierConfig({ ...base, maxSkewSeconds: 120 }).maxFutureSkewSeconds, 120)
  assert.equal(verifierConfig({ ...base, maxFutureSkewSeconds: 5 }).maxFutureSkewSeconds, 5)
  assert.throws(
    () => verifierConfig({ ...base, maxSkewSeconds: 60, maxFutureSkewSeconds: 61 }),
    /maxFutureSkewSeconds/,
  )
})
