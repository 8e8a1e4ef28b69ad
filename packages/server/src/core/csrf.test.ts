import assert from 'node:assert/strict'
import { createSecretKey, randomBytes } from 'node:crypto'
import { test } from 'node:test'
import { checkRequestOrigin, csrfTokenFor, verifyCsrfToken } from './csrf.ts'

const key = createSecretKey(randomBytes(32))
const own = new Set(['http://127.0.0.1:3000', 'http://localhost:3000'])

test('accepts the token of the same session only', () => {
  const token = csrfTokenFor(key, 'ses_a')
  assert.equal(verifyCsrfToken(key, 'ses_a', token), true)
  assert.equal(verifyCsrfToken(key, 'ses_b', token), false)
})

test('refuses a missing, truncated or altered token', () => {
  const token = csrfTokenFor(key, 'ses_a')
  assert.equal(verifyCsrfToken(key, 'ses_a', undefined), false)
  assert.equal(verifyCsrfToken(key, 'ses_a', null), false)
  assert.equal(verifyCsrfToken(key, 'ses_a', token.slice(0, -1)), false)
  assert.equal(
    verifyCsrfToken(key, 'ses_a', `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`),
    false,
  )
})

test('refuses a token made with another server key', () => {
  const other = createSecretKey(randomBytes(32))
  assert.equal(verifyCsrfToken(key, 'ses_a', csrfTokenFor(other, 'ses_a')), false)
})

test('allows exactly the configured origins', () => {
  assert.equal(checkRequestOrigin([['Origin', 'http://127.0.0.1:3000']], own), 'allowed')
  assert.equal(checkRequestOrigin([['origin', 'http://localhost:3000']], own), 'allowed')
})

test('refuses foreign, null and look-alike origins', () => {
  for (const origin of [
    'https://evil.example',
    'null',
    'http://127.0.0.1:3000.evil.com',
    'http://127.0.0.1:30000',
    'https://127.0.0.1:3000',
  ]) {
    assert.equal(checkRequestOrigin([['Origin', origin]], own), 'foreign-origin', origin)
  }
})

test('refuses Sec-Fetch-Site: cross-site even with an allowed Origin', () => {
  assert.equal(
    checkRequestOrigin(
      [
        ['Origin', 'http://127.0.0.1:3000'],
        ['Sec-Fetch-Site', 'cross-site'],
      ],
      own,
    ),
    'cross-site',
  )
})

test('falls back to the Referer when there is no Origin', () => {
  assert.equal(checkRequestOrigin([['Referer', 'http://127.0.0.1:3000/employees/3']], own), 'allowed')
  assert.equal(checkRequestOrigin([['Referer', 'https://evil.example/page']], own), 'foreign-origin')
})

test('lets a non-browser client without Origin, Referer or Fetch Metadata through, but not a browser', () => {
  assert.equal(checkRequestOrigin([], own), 'allowed')
  assert.equal(checkRequestOrigin([['Sec-Fetch-Site', 'same-origin']], own), 'no-origin')
})

test('refuses duplicated Origin headers', () => {
  const headers = [
    ['Origin', 'http://127.0.0.1:3000'],
    ['Origin', 'https://evil.example'],
  ] as const
  assert.equal(checkRequestOrigin(headers, own), 'foreign-origin')
})
