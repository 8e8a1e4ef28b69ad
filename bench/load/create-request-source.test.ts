import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { test } from 'node:test'
import type { BenchCredential } from './bench-credential.ts'
import { createRequestSource, rawRequest } from './create-request-source.ts'

const TARGET = { origin: 'http://127.0.0.1:3999', path: '/api/employees/7' }

function nonceOf(request: Buffer | string): string {
  return /nonce="([^"]+)"/.exec(request.toString())?.[1] ?? ''
}

test('never hands out the same signed request twice, even past the prepared pool', () => {
  const key = randomBytes(32)
  const credential: BenchCredential = {
    kind: 'tessera-signed',
    keyId: 'key_test',
    algorithm: 'hmac-sha256',
    jwk: { kty: 'oct', k: key.toString('base64url') },
  }
  const source = createRequestSource(TARGET, [credential], 50)
  const nonces = new Set(Array.from({ length: 80 }, () => nonceOf(source.take())))
  assert.equal(nonces.size, 80)
  assert.equal(source.prepared, 50)
  assert.equal(source.signedLive, 30)
})

test('gives every Hawk request its own Authorization header and nonce', () => {
  const credential: BenchCredential = { kind: 'hawk', id: 'h1', key: 'k'.repeat(32), algorithm: 'sha256' }
  const source = createRequestSource(TARGET, [credential], 3)
  const [a, b] = [source.take().toString(), source.take().toString()]
  assert.match(a, /^GET \/api\/employees\/7 HTTP\/1\.1\r\nHost: 127\.0\.0\.1:3999\r\n/)
  assert.match(a, /authorization: Hawk id="h1"/)
  assert.notEqual(nonceOf(a), nonceOf(b))
})

test('cycles through fixed requests, body and length included', () => {
  const credentials: BenchCredential[] = [
    { kind: 'fixed', method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":"é"}' },
    { kind: 'fixed', headers: { cookie: 's=2' } },
  ]
  const source = createRequestSource(TARGET, credentials, 0)
  const taken = [source.take(), source.take(), source.take()].map((b) => b.toString())
  assert.equal(taken[0], taken[2])
  assert.match(taken[0] as string, /^POST .*content-length: 10\r\n\r\n\{"a":"é"\}$/s)
  assert.equal(
    rawRequest('h:1', '/p', { cookie: 's=2' }).toString(),
    'GET /p HTTP/1.1\r\nHost: h:1\r\nConnection: keep-alive\r\ncookie: s=2\r\n\r\n',
  )
})
