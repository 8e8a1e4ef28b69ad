import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { ADAPTERS, type AuthServer, startAuthServer } from '../support/auth-server.ts'
import { send } from '../support/http-client.ts'
import { assertProblem, login, withSession } from './session-helpers.ts'

for (const adapter of ADAPTERS) {
  describe(`role guard and sessions on ${adapter}`, () => {
    let server: AuthServer
    before(async () => {
      server = await startAuthServer(adapter, {
        session: { idleMs: 60 * 60_000, absoluteMs: 12 * 60 * 60_000 },
      })
    })
    after(() => server.close())

    test('answers 401 with WWW-Authenticate when there is no credential, and lets public routes through', async () => {
      assertProblem(await send(server.baseUrl, { path: '/api/things' }), 401, 'unauthenticated')
      assert.equal((await send(server.baseUrl, { path: '/api/public' })).status, 200)
    })

    test('lets a user through user routes and answers 403 on admin routes', async () => {
      const user = await server.createUser('user')
      const session = await login(server, user.email, user.password)
      const ok = await withSession(server, session, { path: '/api/things' })
      assert.equal(ok.status, 200)
      assert.equal(ok.json.user.id, user.id)
      assertProblem(await withSession(server, session, { path: '/api/admin' }), 403, 'forbidden')
    })

    test('lets an admin through every role check', async () => {
      const admin = await server.createUser('admin')
      const session = await login(server, admin.email, admin.password)
      assert.equal((await withSession(server, session, { path: '/api/things' })).status, 200)
      assert.equal((await withSession(server, session, { path: '/api/admin' })).status, 200)
    })

    test('refuses a token it never issued, a flipped character, and two session cookies at once', async () => {
      const user = await server.createUser()
      const session = await login(server, user.email, user.password)
      const [name, token] = session.cookie.split('=') as [string, string]
      const flipped = `${name}=${token.slice(0, 10)}${token[10] === 'A' ? 'B' : 'A'}${token.slice(11)}`
      for (const cookie of [`${name}=${'A'.repeat(43)}`, flipped, `${name}=short`]) {
        assertProblem(
          await send(server.baseUrl, { path: '/api/things', headers: [['cookie', cookie]] }),
          401,
          'unauthenticated',
        )
      }
      const other = await login(server, user.email, user.password)
      const both = await send(server.baseUrl, {
        path: '/api/things',
        headers: [['cookie', `${session.cookie}; ${other.cookie}`]],
      })
      assertProblem(both, 401, 'unauthenticated')
      const twoHeaders = await send(server.baseUrl, {
        path: '/api/things',
        headers: [
          ['cookie', session.cookie],
          ['cookie', other.cookie],
        ],
      })
      assertProblem(twoHeaders, 401, 'unauthenticated')
    })

    test('ends a session after its idle limit and after its absolute limit, on the server', async () => {
      const user = await server.createUser()
      const idle = await login(server, user.email, user.password)
      server.clock.advance(61 * 60_000)
      assertProblem(await withSession(server, idle, { path: '/api/things' }), 401, 'session_expired')

      const busy = await login(server, user.email, user.password)
      // Active every 50 minutes: the idle limit never strikes, the 12-hour absolute limit does.
      for (let step = 1; step <= 14; step++) {
        server.clock.advance(50 * 60_000)
        const answer = await withSession(server, busy, { path: '/api/things' })
        assert.equal(answer.status, 200, `still alive after ${step * 50} minutes`)
      }
      server.clock.advance(12 * 60 * 60_000 - 14 * 50 * 60_000)
      assertProblem(await withSession(server, busy, { path: '/api/things' }), 401, 'session_expired')
    })

    test('logout kills the session on the server and clears the cookie', async () => {
      const user = await server.createUser()
      const session = await login(server, user.email, user.password)
      const out = await withSession(server, session, { method: 'POST', path: '/auth/logout' })
      assert.equal(out.status, 204)
      assert.match(out.setCookies[0] ?? '', /^tessera-session=; .*Max-Age=0/)
      assertProblem(await withSession(server, session, { path: '/api/things' }), 401, 'unauthenticated')
    })

    test('GET /auth/me describes the caller and the credential', async () => {
      const user = await server.createUser()
      const session = await login(server, user.email, user.password)
      const me = await withSession(server, session, { path: '/auth/me' })
      assert.equal(me.status, 200)
      assert.equal(me.json.user.email, user.email)
      assert.equal(me.json.credential.type, 'session')
      assert.match(me.json.credential.id, /^ses_/)
    })

    test('GET /auth/csrf answers the same token the login gave', async () => {
      const user = await server.createUser()
      const session = await login(server, user.email, user.password)
      const csrf = await withSession(server, session, { path: '/auth/csrf' })
      assert.deepEqual(csrf.json, { csrfToken: session.csrf })
    })
  })
}
