import assert from 'node:assert/strict'
import { createSecretKey } from 'node:crypto'
import { test } from 'node:test'
import { computeContentDigest } from './content-digest.ts'
import { signRequest } from './sign-request.ts'

const key = createSecretKey(Buffer.alloc(32, 1))
const base = {
  url: 'http://127.0.0.1:3000/api/employees?q=an',
  keyId: 'key_1',
  algorithm: 'hmac-sha256' as const,
  key,
}

test('covers method, authority, path and query, with every profile parameter', () => {
  const headers = signRequest({
    ...base,
    method: 'GET',
    created: 1764000000,
    nonce: 'AAAAAAAAAAAAAAAAAAAAAA',
  })
  assert.equal(
    headers['signature-input'],
    'sig=("@method" "@authority" "@path" "@query");created=1764000000;expires=1764000060;' +
      'nonce="AAAAAAAAAAAAAAAAAAAAAA";keyid="key_1";alg="hmac-sha256";tag="tessera"',
  )
  assert.match(headers.signature, /^sig=:[A-Za-z0-9+/]{43}=:$/)
  assert.equal(headers['content-digest'], undefined)
})

test('covers content-type and content-digest and adds the digest when there is a body', () => {
  const body = '{"a":1}'
  const headers = signRequest({
    ...base,
    method: 'POST',
    body,
    headers: { 'Content-Type': 'application/json' },
  })
  assert.match(
    headers['signature-input'],
    /^sig=\("@method" "@authority" "@path" "@query" "content-type" "content-digest"\);/,
  )
  assert.equal(headers['content-digest'], computeContentDigest(Buffer.from(body)))
})

test('is deterministic for HMAC given created and nonce, and differs with the nonce', () => {
  const options = { ...base, method: 'GET', created: 1, nonce: 'BBBBBBBBBBBBBBBBBBBBBB' }
  assert.deepEqual(signRequest(options), signRequest(options))
  assert.notEqual(
    signRequest(options).signature,
    signRequest({ ...options, nonce: 'CCCCCCCCCCCCCCCCCCCCCC' }).signature,
  )
})

test('draws a fresh 128-bit nonce for each request by default', () => {
  const nonce = (h: { 'signature-input': string }) => /nonce="([^"]+)"/.exec(h['signature-input'])?.[1]
  const first = nonce(signRequest({ ...base, method: 'GET' }))
  assert.match(first ?? '', /^[A-Za-z0-9_-]{22}$/)
  assert.notEqual(first, nonce(signRequest({ ...base, method: 'GET' })))
})

test('omits expires when asked, and uses the given label and extra fields', () => {
  const headers = signRequest({
    ...base,
    method: 'GET',
    expires: null,
    label: 'app',
    fields: ['x-request-id'],
    headers: { 'X-Request-Id': 'r1' },
  })
  assert.match(headers['signature-input'], /^app=\(.* "x-request-id"\);created=\d+;nonce=/)
  assert.match(headers.signature, /^app=:/)
})

test('refuses to sign a body without a content type, or an invalid label', () => {
  assert.throws(() => signRequest({ ...base, method: 'POST', body: 'x' }), /missing component content-type/)
  assert.throws(() => signRequest({ ...base, method: 'GET', label: 'Bad Label' }))
})
