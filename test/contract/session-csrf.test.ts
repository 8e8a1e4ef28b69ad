import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { ADAPTERS, type AuthServer, startAuthServer } from '../support/auth-server.ts'
import { send } from '../support/http-client.ts'
import { assertProblem, login, withSession } from './session-helpers.ts'

for (const adapter of ADAPTERS) {
  describe(`CSRF on ${adapter}`, () => {
    let server: AuthServer
    before(async () => {
      server = await startAuthServer(adapter)
    })
    after(() => server.close())

    async function put(session: { cookie: string }, headers: Array<[string, string]>) {
      return send(server.baseUrl, {
        method: 'PUT',
        path: '/api/things/1',
        headers: [['cookie', session.cookie], ...headers],
        body: { name: 'x' },
      })
    }

    test('accepts an unsafe request with the token and the app origin', async () => {
      const user = await server.createUser()
      const session = await login(server, user.email, user.password)
      const answer = await withSession(server, session, {
        method: 'PUT',
        path: '/api/things/1',
        body: { name: 'x' },
      })
      assert.equal(answer.status, 200)
      assert.deepEqual(answer.json, { saved: { name: 'x' } })
    })

    test('refuses a missing, truncated or foreign-session token', async () => {
      const user = await server.createUser()
      const session = await login(server, user.email, user.password)
      const other = await login(server, (await server.createUser()).email, 'correct horse battery staple')
      const origin: [string, string] = ['origin', server.origin]
      assertProblem(await put(session, [origin]), 403, 'csrf_failed')
      assertProblem(
        await put(session, [origin, ['x-csrf-token', session.csrf.slice(0, 20)]]),
        403,
        'csrf_failed',
      )
      assertProblem(await put(session, [origin, ['x-csrf-token', other.csrf]]), 403, 'csrf_failed')
    })

    test('refuses foreign, null and look-alike origins even with a valid token', async () => {
      const user = await server.createUser()
      const session = await login(server, user.email, user.password)
      const token: [string, string] = ['x-csrf-token', session.csrf]
      for (const origin of [
        'https://evil.example',
        'null',
        `${server.origin}.evil.com`,
        server.origin.replace('http:', 'https:'),
      ]) {
        assertProblem(await put(session, [token, ['origin', origin]]), 403, 'csrf_failed')
      }
      assertProblem(
        await put(session, [token, ['origin', server.origin], ['sec-fetch-site', 'cross-site']]),
        403,
        'csrf_failed',
      )
    })

    test('records the refusal in the audit trail as malicious_csrf', async () => {
      const user = await server.createUser()
      const session = await login(server, user.email, user.password)
      await put(session, [
        ['origin', 'https://evil.example'],
        ['x-csrf-token', session.csrf],
      ])
      const events = await server.stores.stores.audit.list({
        limit: 5,
        userId: user.id,
        event: 'malicious_csrf',
      })
      assert.equal(events.length, 1)
      assert.equal(events[0]?.detail.method, 'PUT')
    })

    test('does not need a token for safe methods', async () => {
      const user = await server.createUser()
      const session = await login(server, user.email, user.password)
      assert.equal(
        (await send(server.baseUrl, { path: '/api/things', headers: [['cookie', session.cookie]] })).status,
        200,
      )
    })

    test('refuses a text/plain body (a cross-site form could send one without preflight)', async () => {
      const user = await server.createUser()
      const session = await login(server, user.email, user.password)
      const answer = await send(server.baseUrl, {
        method: 'PUT',
        path: '/api/things/1',
        headers: [
          ['cookie', session.cookie],
          ['origin', server.origin],
          ['x-csrf-token', session.csrf],
          ['content-type', 'text/plain'],
        ],
        body: '{"name":"x"}',
      })
      assertProblem(answer, 415, 'unsupported_media_type')
    })
  })
}
