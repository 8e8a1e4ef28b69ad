import assert from 'node:assert/strict'
import { test } from 'node:test'
import { computeContentDigest, verifyContentDigest } from './content-digest.ts'

// RFC 9530 §2 example body and its sha-256 digest.
const BODY = Buffer.from('{"hello": "world"}')
const DIGEST = 'sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:'

test('computes the RFC 9530 sha-256 content digest of the raw bytes', () => {
  assert.equal(computeContentDigest(BODY), DIGEST)
})

test('accepts the digest of the exact body', () => {
  assert.equal(verifyContentDigest(DIGEST, BODY), 'match')
})

test('accepts the digest without its base64 padding (RFC 8941 §3.3.5: parsers should not fail on it)', () => {
  assert.equal(verifyContentDigest(DIGEST.replace(/=:$/, ':'), BODY), 'match')
})

test('reports a mismatch for a body changed by one byte', () => {
  assert.equal(verifyContentDigest(DIGEST, Buffer.from('{"hello": "World"}')), 'mismatch')
})

test('ignores other algorithms next to sha-256, whatever their value', () => {
  assert.equal(verifyContentDigest(`sha-512=:AAAA:, ${DIGEST}, unixsum=:AAAA:`, BODY), 'match')
})

test('requires a sha-256 member', () => {
  assert.equal(verifyContentDigest('sha-512=:AAAA:', BODY), 'no-sha-256')
})

test('reports a truncated digest as a mismatch', () => {
  assert.equal(verifyContentDigest('sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9D:', BODY), 'mismatch')
})

for (const value of [
  'sha-256=X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=',
  'sha-256="abc"',
  'sha-256=:%%%:',
  ':',
  'SHA-256=:AAAA:',
]) {
  test(`reports ${JSON.stringify(value)} as malformed`, () => {
    assert.equal(verifyContentDigest(value, BODY), 'malformed')
  })
}
