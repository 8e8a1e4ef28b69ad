import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { test } from 'node:test'
import { canonicalOrigin, resolveConfig } from './config.ts'
import type { Stores } from './stores.ts'

const base = { stores: {} as Stores, secret: randomBytes(32) }

test('derives cookie name, scheme and authorities from the public origin', () => {
  const http = resolveConfig({
    ...base,
    publicOrigin: 'http://127.0.0.1:3000',
    alsoOrigins: ['http://localhost:3000'],
  })
  assert.equal(http.cookieName, 'tessera-session')
  assert.equal(http.secureCookies, false)
  assert.deepEqual(http.authorities, ['127.0.0.1:3000', 'localhost:3000'])
  const https = resolveConfig({ ...base, publicOrigin: 'https://directory.example.com' })
  assert.equal(https.cookieName, '__Host-tessera')
  assert.equal(https.secureCookies, true)
  assert.deepEqual(https.authorities, ['directory.example.com'])
})

test('keeps CORS origins apart from the own origins that CSRF accepts', () => {
  const config = resolveConfig({
    ...base,
    publicOrigin: 'http://127.0.0.1:3000',
    corsOrigins: ['http://127.0.0.1:3001', 'capacitor://localhost'],
  })
  assert.deepEqual([...config.ownOrigins], ['http://127.0.0.1:3000'])
  assert.deepEqual(
    [...config.corsOrigins],
    ['http://127.0.0.1:3000', 'http://127.0.0.1:3001', 'capacitor://localhost'],
  )
})

test('fails at start-up on origins with a path, bad schemes, short secrets and bad limits', () => {
  assert.throws(() => canonicalOrigin('https://a.example/app', 'publicOrigin'), /origin only/)
  assert.throws(() => canonicalOrigin('ftp://a.example', 'publicOrigin'), /http or https/)
  assert.throws(() => canonicalOrigin('not a url', 'publicOrigin'), /not an origin/)
  assert.throws(
    () => resolveConfig({ ...base, secret: randomBytes(16), publicOrigin: 'https://a.example' }),
    /at least 32 bytes/,
  )
  assert.throws(
    () => resolveConfig({ ...base, publicOrigin: 'https://a.example', session: { idleMs: 0 } }),
    /session.idleMs/,
  )
})

test('freezes the configuration', () => {
  const config = resolveConfig({ ...base, publicOrigin: 'http://127.0.0.1:3000' })
  assert.ok(Object.isFrozen(config))
  assert.ok(Object.isFrozen(config.session))
})

test('refuses a plain-http public origin outside loopback unless explicitly allowed', () => {
  assert.throws(
    () => resolveConfig({ ...base, publicOrigin: 'http://directory.example.com' }),
    /plain http is only for loopback/,
  )
  assert.doesNotThrow(() => resolveConfig({ ...base, publicOrigin: 'http://localhost:3000' }))
  assert.doesNotThrow(() => resolveConfig({ ...base, publicOrigin: 'http://127.0.0.2:3000' }))
  assert.doesNotThrow(() =>
    resolveConfig({ ...base, publicOrigin: 'http://directory.example.com', allowInsecureHttp: true }),
  )
})

test('refuses throttle, cache and sweep settings that would switch a protection off', () => {
  const ok = { ...base, publicOrigin: 'https://a.example' }
  assert.throws(
    () => resolveConfig({ ...ok, throttle: { ipAttempts: undefined as unknown as number } }),
    /throttle.ipAttempts/,
  )
  assert.throws(() => resolveConfig({ ...ok, throttle: { maxDelayMs: Number.NaN } }), /throttle.maxDelayMs/)
  assert.throws(() => resolveConfig({ ...ok, throttle: { nonsense: 1 } as never }), /not an option/)
  assert.throws(() => resolveConfig({ ...ok, credentialCache: { ttlMs: -1 } }), /credentialCache.ttlMs/)
  assert.throws(() => resolveConfig({ ...ok, sweepIntervalMs: Number.NaN }), /sweepIntervalMs/)
  assert.equal(resolveConfig({ ...ok, throttle: { ipAttempts: 5 } }).throttle.ipAttempts, 5)
})

test('refuses a hashing queue that is unbounded or has no room', () => {
  const ok = { ...base, publicOrigin: 'https://a.example' }
  assert.throws(
    () => resolveConfig({ ...ok, passwordHashing: { queueLength: 0 } }),
    /passwordHashing.queueLength/,
  )
  assert.throws(
    () => resolveConfig({ ...ok, passwordHashing: { queueWaitMs: Number.POSITIVE_INFINITY } }),
    /passwordHashing.queueWaitMs/,
  )
  assert.throws(() => resolveConfig({ ...ok, throttle: { ipFailures: 0 } }), /throttle.ipFailures/)
})
