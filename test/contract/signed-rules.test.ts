import assert from 'node:assert/strict'
import { generateKeyPairSync } from 'node:crypto'
import { after, before, describe, test } from 'node:test'
import { signRequest } from '@tessera/server'
import { ADAPTERS, type AuthServer, startAuthServer } from '../support/auth-server.ts'
import { send } from '../support/http-client.ts'
import { assertProblem, login, withSession } from './session-helpers.ts'
import { type ClientKey, loginForKey, signedSend } from './signed-helpers.ts'

/** A PUT signed with `contentType` as its (covered) Content-Type. */
function signedPut(server: AuthServer, key: ClientKey, contentType: string) {
  const body = '{"a":1}'
  const signed = signRequest({
    method: 'PUT',
    url: new URL('/api/things/1', server.baseUrl),
    headers: { 'content-type': contentType },
    body,
    keyId: key.id,
    algorithm: key.algorithm,
    key: key.key,
    created: Math.floor(server.clock.now / 1000),
  })
  const headers: Array<[string, string]> = [['content-type', contentType], ...Object.entries(signed)]
  return send(server.baseUrl, { method: 'PUT', path: '/api/things/1', headers, body })
}

/** `label=:base64=:` → the same bytes with the base64 padding stripped. */
const unpadded = (value: string) => value.replace(/=+:$/, ':')

// docs/signatures.md §4 (keyid), §6 (bodies), §10 (padding, publicKey): the rules a client must know.
for (const adapter of ADAPTERS) {
  describe(`signed request rules on ${adapter}`, () => {
    let server: AuthServer
    let user: Awaited<ReturnType<AuthServer['createUser']>>
    before(async () => {
      server = await startAuthServer(adapter, { throttle: { ipAttempts: 1000 } })
      user = await server.createUser()
    })
    after(() => server.close())

    test('key ids are key_ plus base64url, at most 64 characters; other forms name no key', async () => {
      const key = await loginForKey(server, user.email, user.password)
      assert.match(key.id, /^key_[A-Za-z0-9_-]+$/)
      assert.ok(key.id.length <= 64)
      const session = await login(server, user.email, user.password)
      const sessions = await withSession(server, session, { path: '/auth/credentials' })
      const sessionId = sessions.json.credentials.find((c: { type: string }) => c.type === 'session')?.id
      assert.match(sessionId, /^ses_/)
      for (const keyId of [sessionId, `key_${'A'.repeat(61)}`, key.id.toUpperCase()]) {
        const answer = (await signedSend(server, { ...key, id: keyId }, { path: '/api/things' })).answer
        assertProblem(answer, 401, 'unknown_key')
      }
      const huge = (
        await signedSend(server, { ...key, id: `key_${'A'.repeat(253)}` }, { path: '/api/things' })
      ).answer
      assertProblem(huge, 401, 'invalid_signature')
      assert.equal(huge.json.detail, 'invalid parameter keyid')
    })

    test('signed bodies must be application/json (charset allowed): others are 415 unsupported_media_type', async () => {
      const key = await loginForKey(server, user.email, user.password)
      assert.equal((await signedPut(server, key, 'application/json; charset=utf-8')).status, 200)
      for (const type of [
        'text/plain',
        'application/merge-patch+json',
        'application/x-www-form-urlencoded',
      ]) {
        assertProblem(await signedPut(server, key, type), 415, 'unsupported_media_type')
      }
    })

    test('publicKey at login and rotation is a JWK object; the same JWK as a JSON string is 400 at /body/publicKey', async () => {
      const jwk = generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' })
      const asString = await send(server.baseUrl, {
        method: 'POST',
        path: '/auth/login',
        body: {
          email: user.email,
          password: user.password,
          credential: 'key',
          publicKey: JSON.stringify(jwk),
        },
      })
      assertProblem(asString, 400, 'validation_failed')
      assert.equal(asString.json.errors[0].path, '/body/publicKey')
      const device = await loginForKey(server, user.email, user.password, 'ed25519')
      const rotate = await signedSend(server, device, {
        method: 'POST',
        path: '/auth/keys/rotate',
        body: { publicKey: JSON.stringify(jwk) },
      })
      assertProblem(rotate.answer, 400, 'validation_failed')
      assert.equal(rotate.answer.json.errors[0].path, '/body/publicKey')
    })

    test('a Signature byte sequence is accepted without its base64 padding (RFC 8941 §3.3.5)', async () => {
      const key = await loginForKey(server, user.email, user.password)
      const signed = signRequest({
        method: 'GET',
        url: new URL('/api/things', server.baseUrl),
        keyId: key.id,
        algorithm: key.algorithm,
        key: key.key,
        created: Math.floor(server.clock.now / 1000),
      })
      assert.match(signed.signature, /[^=]=:$/, 'an HMAC-SHA256 signature has one padding character')
      const answer = await send(server.baseUrl, {
        path: '/api/things',
        headers: [
          ['signature-input', signed['signature-input']],
          ['signature', unpadded(signed.signature)],
        ],
      })
      assert.equal(answer.status, 200, answer.text)
    })
  })
}
