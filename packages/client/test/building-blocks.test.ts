import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { ClientEvents } from '../src/client-events.ts'
import { CookieJar } from '../src/cookie-jar.ts'
import { generateDeviceKey } from '../src/device-key.ts'
import { memoryKeyStore } from '../src/key-store.ts'
import { localStorageKeyStore } from '../src/local-storage-key-store.ts'
import { outgoingRequest } from '../src/outgoing-request.ts'
import { ServerClock } from '../src/server-clock.ts'
import { importHmacSecret, isSigningKey } from '../src/signing-key.ts'
import { signingKeyFromJson, signingKeyToJson } from '../src/signing-key-json.ts'
import { parseRetryAfter, TesseraError } from '../src/tessera-error.ts'

describe('ServerClock', () => {
  test('learns a skew from a Date header, ignoring sub-second noise', () => {
    const clock = new ServerClock()
    clock.learnFromDate(new Date(Date.now() + 1000).toUTCString())
    assert.equal(clock.offsetMs, 0)
    clock.learnFromDate(new Date(Date.now() - 120_000).toUTCString())
    assert.ok(Math.abs(clock.offsetMs + 120_000) < 2000, String(clock.offsetMs))
  })

  test('serverTime wins over later Date headers (a proxy may write Date)', () => {
    const clock = new ServerClock()
    assert.equal(clock.learnFromServerTime(Math.floor(Date.now() / 1000) + 600), true)
    clock.learnFromDate(new Date().toUTCString())
    assert.ok(Math.abs(clock.offsetMs - 600_000) < 2000)
    assert.equal(Math.abs(clock.nowSeconds() - (Math.floor(Date.now() / 1000) + 600)) <= 2, true)
  })

  test('ignores unusable values', () => {
    const clock = new ServerClock(5)
    clock.learnFromDate('not a date')
    clock.learnFromDate(null)
    assert.equal(clock.learnFromServerTime('1764000000'), false)
    assert.equal(clock.offsetMs, 5)
  })
})

describe('parseRetryAfter', () => {
  test('reads delay-seconds and HTTP dates, and nothing else', () => {
    assert.equal(parseRetryAfter('120'), 120)
    const inAMinute = new Date(Date.now() + 60_000).toUTCString()
    assert.ok(Math.abs(parseRetryAfter(inAMinute)! - 60) <= 1)
    assert.equal(parseRetryAfter('soon'), undefined)
    assert.equal(parseRetryAfter(null), undefined)
  })
})

describe('CookieJar', () => {
  test('keeps cookies by name and drops them on Max-Age=0 or a past Expires', () => {
    const jar = new CookieJar()
    jar.store(withCookies('a=1; Path=/; HttpOnly', 'b=two=2; SameSite=Strict'))
    assert.equal(jar.header(), 'a=1; b=two=2')
    jar.store(withCookies('a=; Path=/; Max-Age=0', 'b=x; Expires=Thu, 01 Jan 1970 00:00:00 GMT'))
    assert.equal(jar.header(), undefined)
  })
})

function withCookies(...lines: string[]): Response {
  const headers = new Headers()
  for (const line of lines) headers.append('set-cookie', line)
  return new Response(null, { headers })
}

describe('outgoingRequest', () => {
  const base = new URL('http://127.0.0.1:3000/')

  test('gives the exact bytes and the Content-Type fetch would send, for every body kind', async () => {
    const cases: Array<[BodyInit, string, string]> = [
      ['{"a":1}', '{"a":1}', 'text/plain;charset=UTF-8'],
      [new URLSearchParams({ q: 'a b' }), 'q=a+b', 'application/x-www-form-urlencoded;charset=UTF-8'],
      [new Blob(['blob'], { type: 'application/json' }), 'blob', 'application/json'],
      [new TextEncoder().encode('bytes').buffer as ArrayBuffer, 'bytes', ''],
    ]
    for (const [body, text, type] of cases) {
      const request = await outgoingRequest(base, '/x', { method: 'post', body })
      assert.equal(new TextDecoder().decode(request.body), text)
      assert.equal(request.headers.get('content-type') ?? '', type)
      assert.equal(request.method, 'POST')
    }
  })

  test('keeps a Content-Type the caller set, and a FormData boundary matches its bytes', async () => {
    const own = await outgoingRequest(base, '/x', {
      method: 'PUT',
      body: '{}',
      headers: { 'content-type': 'application/json' },
    })
    assert.equal(own.headers.get('content-type'), 'application/json')
    const form = new FormData()
    form.set('field', 'value')
    const request = await outgoingRequest(base, '/x', { method: 'POST', body: form })
    const boundary = request.headers.get('content-type')!.split('boundary=')[1]!
    assert.ok(new TextDecoder().decode(request.body).includes(boundary))
  })

  test('refuses another origin, so credentials never leave the API', async () => {
    await assert.rejects(outgoingRequest(base, 'http://127.0.0.1:3001/x'), TypeError)
    await assert.rejects(outgoingRequest(base, '//evil.example/x'), TypeError)
  })
})

describe('keys and key stores', () => {
  test('keys are created non-extractable: exportKey fails on them', async () => {
    const pair = await generateDeviceKey('ecdsa-p256-sha256')
    assert.equal(pair.privateKey.extractable, false)
    await assert.rejects(crypto.subtle.exportKey('jwk', pair.privateKey))
    assert.deepEqual(Object.keys(pair.publicJwk).sort(), ['crv', 'kty', 'x', 'y'])
    const hmac = await importHmacSecret(
      Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64url'),
    )
    assert.equal(hmac.extractable, false)
    await assert.rejects(crypto.subtle.exportKey('raw', hmac))
  })

  test('an Ed25519 device key sends only kty, crv and x', async () => {
    const pair = await generateDeviceKey('ed25519')
    assert.deepEqual(Object.keys(pair.publicJwk).sort(), ['crv', 'kty', 'x'])
  })

  test('the memory store keeps the CryptoKey itself', async () => {
    const store = memoryKeyStore()
    const key = {
      id: 'key_1',
      algorithm: 'ed25519' as const,
      key: (await generateDeviceKey('ed25519')).privateKey,
    }
    await store.save(key)
    assert.equal((await store.load())?.key, key.key)
    await store.clear()
    assert.equal(await store.load(), undefined)
  })

  test('the localStorage store (opt-in) round-trips an extractable key and reads it back non-extractable', async () => {
    const items = new Map<string, string>()
    const storage = {
      getItem: (k: string) => items.get(k) ?? null,
      setItem: (k: string, v: string) => void items.set(k, v),
      removeItem: (k: string) => void items.delete(k),
    } as Storage
    const store = localStorageKeyStore({ storage })
    assert.equal(store.extractable, true)
    const pair = await generateDeviceKey('ecdsa-p256-sha256', true)
    await store.save({ id: 'key_2', algorithm: 'ecdsa-p256-sha256', key: pair.privateKey, expiresAt: 'x' })
    assert.match(items.get('tessera-key')!, /"d":/)
    const loaded = await store.load()
    assert.ok(isSigningKey(loaded))
    assert.equal(loaded.key.extractable, false)
    assert.equal(loaded.expiresAt, 'x')
  })

  test('signingKeyFromJson refuses what is not a stored key', async () => {
    await assert.rejects(signingKeyFromJson({ id: 'k', algorithm: 'rsa', jwk: {} }), TypeError)
    const hmac = await importHmacSecret('A'.repeat(43), true)
    const json = await signingKeyToJson({ id: 'k', algorithm: 'hmac-sha256', key: hmac })
    assert.equal((await signingKeyFromJson(json)).key.type, 'secret')
  })

  test('isSigningKey refuses a public key, a key without sign, and a key of another algorithm', async () => {
    const pair = (await crypto.subtle.generateKey({ name: 'Ed25519' }, false, [
      'sign',
      'verify',
    ])) as CryptoKeyPair
    assert.equal(isSigningKey({ id: 'k', algorithm: 'ed25519', key: pair.privateKey }), true)
    assert.equal(isSigningKey({ id: 'k', algorithm: 'ed25519', key: pair.publicKey }), false)
    assert.equal(isSigningKey({ id: 'k', algorithm: 'ecdsa-p256-sha256', key: pair.privateKey }), false)
    assert.equal(isSigningKey({ id: 'bad id', algorithm: 'ed25519', key: pair.privateKey }), false)
  })
})

describe('ClientEvents', () => {
  test('on() answers an unsubscribe function, and a throwing handler does not stop the others', () => {
    const events = new ClientEvents()
    const seen: string[] = []
    const error = new TesseraError('forbidden', { status: 403 })
    const stop = events.on('forbidden', () => seen.push('first'))
    events.on('forbidden', () => {
      throw new Error('app bug')
    })
    events.on('forbidden', (e) => seen.push(`third ${e.code}`))
    const quiet = console.error
    console.error = () => {}
    try {
      events.emit('forbidden', error)
      stop()
      events.emit('forbidden', error)
      events.emit('expired', error)
    } finally {
      console.error = quiet
    }
    assert.deepEqual(seen, ['first', 'third forbidden', 'third forbidden'])
  })
})

describe('TesseraError', () => {
  test('carries code, status, retryAfter and problem, with the problem title as message', () => {
    const problem = { type: 'about:blank', title: 'Too many requests', status: 429, code: 'rate_limited' }
    const error = new TesseraError('rate_limited', { status: 429, retryAfter: 7, problem })
    assert.ok(error instanceof Error)
    assert.deepEqual(
      [error.name, error.message, error.code, error.status, error.retryAfter, error.problem],
      ['TesseraError', 'Too many requests', 'rate_limited', 429, 7, problem],
    )
    assert.equal(new TesseraError('network_error').status, 0)
  })
})
