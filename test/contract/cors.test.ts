import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { ADAPTERS, type AuthServer, startAuthServer } from '../support/auth-server.ts'
import { send } from '../support/http-client.ts'

const MOBILE = 'http://127.0.0.1:39001'

for (const adapter of ADAPTERS) {
  describe(`CORS on ${adapter}`, () => {
    let server: AuthServer
    before(async () => {
      server = await startAuthServer(adapter, { corsOrigins: [MOBILE] })
    })
    after(() => server.close())

    function preflight(origin: string) {
      return send(server.baseUrl, {
        method: 'OPTIONS',
        path: '/api/things',
        headers: [
          ['origin', origin],
          ['access-control-request-method', 'PUT'],
          ['access-control-request-headers', 'content-type, content-digest, signature, signature-input'],
        ],
      })
    }

    test('answers a preflight from an allowed origin with the signature headers and no credentials', async () => {
      const answer = await preflight(MOBILE)
      assert.ok(answer.status === 204 || answer.status === 200, answer.text)
      assert.equal(answer.headers['access-control-allow-origin'], MOBILE)
      const allowed = String(answer.headers['access-control-allow-headers']).toLowerCase()
      for (const h of ['content-type', 'content-digest', 'signature', 'signature-input'])
        assert.ok(allowed.includes(h), h)
      assert.match(String(answer.headers['access-control-allow-methods']), /PUT/)
      assert.equal(answer.headers['access-control-allow-credentials'], undefined)
      assert.match(String(answer.headers.vary), /Origin/i)
    })

    test('gives no CORS grant to an origin outside the allowlist', async () => {
      const answer = await preflight('https://evil.example')
      assert.equal(answer.headers['access-control-allow-origin'], undefined)
    })

    test('exposes Date on actual responses so clients can correct their clock', async () => {
      const answer = await send(server.baseUrl, { path: '/api/public', headers: [['origin', MOBILE]] })
      assert.equal(answer.headers['access-control-allow-origin'], MOBILE)
      assert.match(String(answer.headers['access-control-expose-headers']).toLowerCase(), /date/)
      assert.ok(answer.headers.date)
      assert.match(String(answer.headers.vary), /Origin/i)
    })

    test('lets a key login come from the mobile origin but not a session login', async () => {
      const user = await server.createUser()
      const key = await send(server.baseUrl, {
        method: 'POST',
        path: '/auth/login',
        headers: [['origin', MOBILE]],
        body: { email: user.email, password: user.password, credential: 'key' },
      })
      assert.equal(key.status, 200, key.text)
      const session = await send(server.baseUrl, {
        method: 'POST',
        path: '/auth/login',
        headers: [['origin', MOBILE]],
        body: { email: user.email, password: user.password },
      })
      assert.equal(session.status, 403)
      assert.equal(session.json.code, 'csrf_failed')
    })
  })
}
