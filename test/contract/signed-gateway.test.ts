import assert from 'node:assert/strict'
import { createSecretKey, randomBytes } from 'node:crypto'
import { after, before, describe, test } from 'node:test'
import { signRequest } from '@tessera/server'
import { ADAPTERS, type AuthServer, startAuthServer } from '../support/auth-server.ts'
import { send } from '../support/http-client.ts'
import { assertProblem, login, withSession } from './session-helpers.ts'
import { loginForKey, signedSend } from './signed-helpers.ts'

/** What a gateway in front of the app adds: its own RFC 9421 signature, under its own label and tag. */
function gatewaySignature(
  server: AuthServer,
  method: string,
  path: string,
  body?: string,
): Array<[string, string]> {
  const signed = signRequest({
    method,
    url: new URL(path, server.baseUrl),
    ...(body !== undefined && { headers: { 'content-type': 'application/json' }, body }),
    keyId: 'gateway-1',
    algorithm: 'hmac-sha256',
    key: createSecretKey(randomBytes(32)),
    created: Math.floor(server.clock.now / 1000),
    label: 'gw',
    tag: 'edge-gateway',
  })
  return Object.entries(signed)
}

// docs/signatures.md §2: no member tagged `tessera` → the request is treated as unsigned.
for (const adapter of ADAPTERS) {
  describe(`a gateway's own signature on ${adapter}`, () => {
    let server: AuthServer
    before(async () => {
      server = await startAuthServer(adapter, { throttle: { ipAttempts: 1000 } })
    })
    after(() => server.close())

    test('a session cookie plus a foreign-tagged signature authenticates by the cookie: GET 200', async () => {
      const user = await server.createUser()
      const session = await login(server, user.email, user.password)
      const answer = await withSession(server, session, {
        path: '/api/things',
        headers: gatewaySignature(server, 'GET', '/api/things'),
      })
      assert.equal(answer.status, 200, answer.text)
      assert.equal(answer.json.user.id, user.id)
    })

    test('a cookie PUT with a body and a foreign signature covering its digest passes CSRF and answers 200', async () => {
      const user = await server.createUser()
      const session = await login(server, user.email, user.password)
      const body = '{"name":"via gateway"}'
      const answer = await withSession(server, session, {
        method: 'PUT',
        path: '/api/things/3',
        headers: [
          ['content-type', 'application/json'],
          ...gatewaySignature(server, 'PUT', '/api/things/3', body),
        ],
        body,
      })
      assert.equal(answer.status, 200, answer.text)
      assert.deepEqual(answer.json, { saved: { name: 'via gateway' } })
    })

    test('the same cookie PUT without the CSRF token is still refused: the foreign signature grants nothing', async () => {
      const user = await server.createUser()
      const session = await login(server, user.email, user.password)
      const body = '{"name":"forged"}'
      const answer = await send(server.baseUrl, {
        method: 'PUT',
        path: '/api/things/3',
        headers: [
          ['cookie', session.cookie],
          ['content-type', 'application/json'],
          ...gatewaySignature(server, 'PUT', '/api/things/3', body),
        ],
        body,
      })
      assertProblem(answer, 403, 'csrf_failed')
    })

    test('a foreign signature without a cookie is 401 unauthenticated', async () => {
      const answer = await send(server.baseUrl, {
        path: '/api/things',
        headers: gatewaySignature(server, 'GET', '/api/things'),
      })
      assertProblem(answer, 401, 'unauthenticated')
    })

    test('a session cookie plus an invalid tessera signature is 401: the cookie does not rescue it', async () => {
      const user = await server.createUser()
      const session = await login(server, user.email, user.password)
      const key = await loginForKey(server, user.email, user.password)
      const forged = await signedSend(server, key, {
        path: '/api/things',
        sign: { created: Math.floor(server.clock.now / 1000) - 3600, expires: null },
        headers: [['cookie', session.cookie]],
      })
      assertProblem(forged.answer, 401, 'stale_signature')
      const tampered = await signedSend(server, key, {
        path: '/api/things?page=1',
        headers: [['cookie', session.cookie]],
      })
      assert.equal(tampered.answer.status, 200)
      const moved = await send(server.baseUrl, { path: '/api/things?page=2', headers: tampered.sent })
      assertProblem(moved, 401, 'invalid_signature')
    })

    test('a tessera signature next to a gateway signature is still judged by the tessera one', async () => {
      const user = await server.createUser()
      const key = await loginForKey(server, user.email, user.password)
      const signed = await signedSend(server, key, { path: '/api/things' })
      const tessera = Object.fromEntries(signed.sent)
      const gateway = Object.fromEntries(gatewaySignature(server, 'GET', '/api/things'))
      const both = await send(server.baseUrl, {
        path: '/api/things',
        headers: [
          ['signature-input', `${gateway['signature-input']}, ${tessera['signature-input']}`],
          ['signature', `${gateway.signature}, ${tessera.signature}`],
        ],
      })
      // The nonce was used by the first send: reaching the replay check proves the tessera member was verified.
      assertProblem(both, 401, 'replayed_signature')
    })
  })
}
