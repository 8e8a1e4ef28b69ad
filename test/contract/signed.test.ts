import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { ADAPTERS, type AuthServer, startAuthServer } from '../support/auth-server.ts'
import { send } from '../support/http-client.ts'
import { assertProblem, login, withSession } from './session-helpers.ts'
import { loginForKey, signedSend } from './signed-helpers.ts'

for (const adapter of ADAPTERS) {
  describe(`signed requests on ${adapter}`, () => {
    let server: AuthServer
    before(async () => {
      server = await startAuthServer(adapter, {
        keys: { rotationOverlapMs: 30_000 },
        throttle: { ipAttempts: 1000 },
      })
    })
    after(() => server.close())

    test('an HMAC key from a key login signs GET and PUT requests, with no session and no CSRF token', async () => {
      const user = await server.createUser()
      const key = await loginForKey(server, user.email, user.password)
      assert.match(key.id, /^key_/)
      assert.equal(key.algorithm, 'hmac-sha256')
      const get = await signedSend(server, key, { path: '/api/things?page=1' })
      assert.equal(get.answer.status, 200, get.answer.text)
      assert.equal(get.answer.json.user.id, user.id)
      const put = await signedSend(server, key, {
        method: 'PUT',
        path: '/api/things/7',
        body: { name: 'signed' },
      })
      assert.equal(put.answer.status, 200, put.answer.text)
      assert.deepEqual(put.answer.json, { saved: { name: 'signed' } })
    })

    for (const device of ['p256', 'ed25519'] as const) {
      test(`a ${device} device key registers only its public key and signs requests`, async () => {
        const user = await server.createUser()
        const key = await loginForKey(server, user.email, user.password, device)
        assert.equal(key.algorithm, device === 'p256' ? 'ecdsa-p256-sha256' : 'ed25519')
        const stored = await server.stores.stores.credentials.findById(key.id)
        assert.doesNotMatch(stored?.credential.keyMaterial ?? '', /"d"/)
        const get = await signedSend(server, key, { path: '/api/things' })
        assert.equal(get.answer.status, 200, get.answer.text)
      })
    }

    test('refuses a private JWK as a device key', async () => {
      const user = await server.createUser()
      const { generateKeyPairSync } = await import('node:crypto')
      const jwk = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' })
      const answer = await send(server.baseUrl, {
        method: 'POST',
        path: '/auth/login',
        body: { email: user.email, password: user.password, credential: 'key', publicKey: jwk },
      })
      assertProblem(answer, 400, 'validation_failed')
    })

    test('rejects a byte-identical replay, also after a server restart', async () => {
      const first = await startAuthServer(adapter)
      const port = Number(new URL(first.baseUrl).port)
      let firstListening = true
      let restarted: AuthServer | undefined
      // Every server closes whatever fails, so a failing assertion fails the file instead of hanging it.
      try {
        const user = await first.createUser()
        const key = await loginForKey(first, user.email, user.password)
        const original = await signedSend(first, key, {
          method: 'PUT',
          path: '/api/things/1',
          body: { a: 1 },
        })
        assert.equal(original.answer.status, 200)
        const replay = () =>
          send(first.baseUrl, {
            method: 'PUT',
            path: '/api/things/1',
            headers: original.sent,
            body: original.body,
          })
        assertProblem(await replay(), 401, 'replayed_signature')
        await first.close({ keepStores: true })
        firstListening = false
        restarted = await startAuthServer(adapter, { stores: first.stores, secret: first.secret, port })
        restarted.clock.now = first.clock.now
        assertProblem(await replay(), 401, 'replayed_signature')
      } finally {
        if (firstListening) await first.close({ keepStores: true })
        await restarted?.close()
        await first.stores.close()
      }
    })

    test('rejects a tampered body, method or query', async () => {
      const user = await server.createUser()
      const key = await loginForKey(server, user.email, user.password)
      const put = await signedSend(server, key, {
        method: 'PUT',
        path: '/api/things/1?a=1',
        body: { a: 1 },
        sign: { nonce: 'n'.repeat(22) },
      })
      assert.equal(put.answer.status, 200)
      // The same signed headers with another body: one byte changed, or the same JSON re-serialised.
      for (const body of ['{"a":2}', '{ "a": 1 }']) {
        const tampered = await send(server.baseUrl, {
          method: 'PUT',
          path: '/api/things/1?a=1',
          headers: put.sent,
          body,
        })
        assertProblem(tampered, 401, 'invalid_signature')
      }
      const get = await signedSend(server, key, {
        path: '/api/things/1?a=1',
        sign: { nonce: 'm'.repeat(22) },
      })
      const asDelete = await send(server.baseUrl, {
        method: 'DELETE',
        path: '/api/things/1?a=1',
        headers: get.sent,
      })
      assertProblem(asDelete, 401, 'invalid_signature')
      const otherQuery = await send(server.baseUrl, { path: '/api/things/1?a=2', headers: get.sent })
      assertProblem(otherQuery, 401, 'invalid_signature')
    })

    test('checks the digest against the raw bytes before parsing JSON', async () => {
      const user = await server.createUser()
      const key = await loginForKey(server, user.email, user.password)
      const put = await signedSend(server, key, { method: 'PUT', path: '/api/things/1', body: { a: 1 } })
      const broken = await send(server.baseUrl, {
        method: 'PUT',
        path: '/api/things/1',
        headers: put.sent,
        body: '{"a":',
      })
      assertProblem(broken, 401, 'invalid_signature')
    })

    test('answers a stale signature with the server time, and accepts one within the window', async () => {
      const user = await server.createUser()
      const key = await loginForKey(server, user.email, user.password)
      const nowSeconds = Math.floor(server.clock.now / 1000)
      const old = await signedSend(server, key, {
        path: '/api/things',
        sign: { created: nowSeconds - 600, expires: null },
      })
      assertProblem(old.answer, 401, 'stale_signature')
      assert.equal(old.answer.json.serverTime, nowSeconds)
      // docs/signatures.md §8: created = now − 300 passes for the whole server second, now − 301 never.
      for (const ms of [0, 1, 500, 999]) {
        server.clock.now = nowSeconds * 1000 + ms
        const edge = await signedSend(server, key, {
          path: '/api/things',
          sign: { created: nowSeconds - 300, expires: null },
        })
        assert.equal(edge.answer.status, 200, `${ms} ms into the second: ${edge.answer.text}`)
        const beyond = await signedSend(server, key, {
          path: '/api/things',
          sign: { created: nowSeconds - 301, expires: null },
        })
        assertProblem(beyond.answer, 401, 'stale_signature')
      }
    })

    test('refuses a signature whose alg differs from the key', async () => {
      const user = await server.createUser()
      const key = await loginForKey(server, user.email, user.password)
      const lie = await signedSend(server, { ...key, algorithm: 'ed25519' }, { path: '/api/things' }).catch(
        () => undefined,
      )
      if (lie !== undefined) assertProblem(lie.answer, 401, 'invalid_signature')
    })

    test('logout with a key revokes it: the next signed request is unknown_key', async () => {
      const user = await server.createUser()
      const key = await loginForKey(server, user.email, user.password)
      const out = await signedSend(server, key, { method: 'POST', path: '/auth/logout' })
      assert.equal(out.answer.status, 204, out.answer.text)
      assertProblem((await signedSend(server, key, { path: '/api/things' })).answer, 401, 'unknown_key')
    })

    test('a password change revokes keys at once', async () => {
      const user = await server.createUser()
      const key = await loginForKey(server, user.email, user.password)
      const session = await login(server, user.email, user.password)
      await withSession(server, session, {
        method: 'POST',
        path: '/auth/password',
        body: { currentPassword: user.password, newPassword: 'amber walrus juggles nine kites' },
      })
      assertProblem((await signedSend(server, key, { path: '/api/things' })).answer, 401, 'unknown_key')
    })

    test('rotation issues a new key; the old one works during the overlap and then stops', async () => {
      const user = await server.createUser()
      const key = await loginForKey(server, user.email, user.password)
      const rotated = await signedSend(server, key, { method: 'POST', path: '/auth/keys/rotate' })
      assert.equal(rotated.answer.status, 200, rotated.answer.text)
      const { createSecretKey } = await import('node:crypto')
      const next = {
        id: rotated.answer.json.key.id,
        algorithm: 'hmac-sha256' as const,
        key: createSecretKey(Buffer.from(rotated.answer.json.key.secret, 'base64url')),
      }
      assert.notEqual(next.id, key.id)
      assert.equal((await signedSend(server, next, { path: '/api/things' })).answer.status, 200)
      assert.equal(
        (await signedSend(server, key, { path: '/api/things' })).answer.status,
        200,
        'old key within the overlap',
      )
      const again = await signedSend(server, key, { method: 'POST', path: '/auth/keys/rotate' })
      assertProblem(again.answer, 403, 'forbidden')
      server.clock.advance(31_000)
      assertProblem((await signedSend(server, key, { path: '/api/things' })).answer, 401, 'unknown_key')
      assert.equal((await signedSend(server, next, { path: '/api/things' })).answer.status, 200)
      const oldRecord = await server.stores.stores.credentials.findById(key.id)
      const newRecord = await server.stores.stores.credentials.findById(next.id)
      assert.equal(
        newRecord?.credential.absoluteExpiresAt,
        oldRecord?.credential.absoluteExpiresAt,
        'rotation does not extend the absolute limit',
      )
    })

    test('a key expires at its idle limit', async () => {
      const user = await server.createUser()
      const key = await loginForKey(server, user.email, user.password)
      server.clock.advance(31 * 24 * 3_600_000)
      assertProblem((await signedSend(server, key, { path: '/api/things' })).answer, 401, 'unknown_key')
    })

    test('a signed request by a user on an admin route is 403, by an admin 200', async () => {
      const user = await server.createUser()
      const admin = await server.createUser('admin')
      assertProblem(
        (
          await signedSend(server, await loginForKey(server, user.email, user.password), {
            path: '/api/admin',
          })
        ).answer,
        403,
        'forbidden',
      )
      assert.equal(
        (
          await signedSend(server, await loginForKey(server, admin.email, admin.password), {
            path: '/api/admin',
          })
        ).answer.status,
        200,
      )
    })

    test('an unknown key id is unknown_key and a request without any credential stays 401 unauthenticated', async () => {
      const user = await server.createUser()
      const key = await loginForKey(server, user.email, user.password)
      assertProblem(
        (await signedSend(server, { ...key, id: 'key_doesnotexist000000000' }, { path: '/api/things' }))
          .answer,
        401,
        'unknown_key',
      )
    })

    test('ignores an ambient session cookie on a signed request', async () => {
      const user = await server.createUser()
      const admin = await server.createUser('admin')
      const adminSession = await login(server, admin.email, admin.password)
      const key = await loginForKey(server, user.email, user.password)
      const mixed = await signedSend(server, key, {
        path: '/api/admin',
        headers: [['cookie', adminSession.cookie]],
      })
      assertProblem(mixed.answer, 403, 'forbidden')
    })
  })
}
