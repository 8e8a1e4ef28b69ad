import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { assertProblem, login, withSession } from '../../../../test/contract/session-helpers.ts'
import { ADAPTERS, type AuthServer, startAuthServer } from '../../../../test/support/auth-server.ts'
import { send } from '../../../../test/support/http-client.ts'
import { internals } from '../../src/core/internals.ts'

for (const adapter of ADAPTERS) {
  describe(`session login on ${adapter}`, () => {
    let server: AuthServer
    before(async () => {
      server = await startAuthServer(adapter)
    })
    after(() => server.close())

    test('logs in with a session cookie that is HttpOnly, SameSite=Strict, and a CSRF token', async () => {
      const user = await server.createUser()
      const { answer } = await login(server, user.email, user.password)
      assert.deepEqual(answer.json.user, { id: user.id, email: user.email, name: user.name, role: 'user' })
      assert.equal(typeof answer.json.csrfToken, 'string')
      assert.ok(Date.parse(answer.json.expiresAt) > server.clock.now)
      assert.match(
        answer.setCookies[0] ?? '',
        /^tessera-session=[A-Za-z0-9_-]{43}; Path=\/; SameSite=Strict; HttpOnly$/,
      )
      assert.equal(answer.headers['cache-control'], 'no-store')
    })

    test('accepts the email in another case and with spaces around it', async () => {
      const user = await server.createUser()
      await login(server, `  ${user.email.toUpperCase()} `, user.password)
    })

    test('issues a new token at every login and ends the session it was sent with (no fixation)', async () => {
      const user = await server.createUser()
      const first = await login(server, user.email, user.password)
      const again = await send(server.baseUrl, {
        method: 'POST',
        path: '/auth/login',
        headers: [
          ['origin', server.origin],
          ['cookie', first.cookie],
        ],
        body: { email: user.email, password: user.password },
      })
      assert.equal(again.status, 200)
      assert.notEqual(again.setCookies[0]?.split(';')[0], first.cookie)
      assertProblem(await withSession(server, first, { path: '/api/things' }), 401, 'unauthenticated')
    })

    test('answers unknown email, wrong password and disabled account identically', async () => {
      const user = await server.createUser()
      const disabled = await server.createUser()
      await server.stores.stores.users.update(disabled.id, { disabled: true }, server.clock.now)
      const attempts = [
        { email: 'nobody-here@example.com', password: user.password },
        { email: user.email, password: 'wrong password, but a long one' },
        { email: disabled.email, password: disabled.password },
      ]
      const answers: Awaited<ReturnType<typeof send>>[] = []
      for (const body of attempts) {
        answers.push(
          await send(server.baseUrl, {
            method: 'POST',
            path: '/auth/login',
            headers: [['origin', server.origin]],
            body,
          }),
        )
      }
      for (const a of answers) assertProblem(a, 401, 'invalid_credentials')
      const shape = (a: (typeof answers)[number]) => ({
        status: a.status,
        text: a.text,
        cookies: a.setCookies,
        wa: a.headers['www-authenticate'],
      })
      assert.deepEqual(shape(answers[0]!), shape(answers[1]!))
      assert.deepEqual(shape(answers[1]!), shape(answers[2]!))
    })

    test('refuses a password that is an array, an object or null, and a 1 MB password, without checking it', async () => {
      const user = await server.createUser()
      for (const password of [[user.password], { p: user.password }, null]) {
        const a = await send(server.baseUrl, {
          method: 'POST',
          path: '/auth/login',
          headers: [['origin', server.origin]],
          body: { email: user.email, password },
        })
        assertProblem(a, 400, 'validation_failed')
      }
      const huge = await send(server.baseUrl, {
        method: 'POST',
        path: '/auth/login',
        headers: [['origin', server.origin]],
        body: { email: user.email, password: 'x'.repeat(1024 * 1024) },
      })
      assert.ok([400, 413].includes(huge.status), huge.text)
      const failures = await server.stores.stores.audit.list({
        limit: 10,
        userId: user.id,
        event: 'authn_login_fail',
      })
      assert.equal(failures.length, 0, 'no password was checked')
    })

    test('refuses login from a foreign, null or look-alike origin and from a cross-site fetch', async () => {
      const user = await server.createUser()
      const port = new URL(server.origin).port
      const foreign: Array<[string, string][]> = [
        [['origin', 'https://evil.example']],
        [['origin', 'null']],
        [['origin', `http://127.0.0.1:${port}.evil.com`]],
        [
          ['origin', server.origin],
          ['sec-fetch-site', 'cross-site'],
        ],
        [['referer', 'https://evil.example/login']],
        [['sec-fetch-site', 'same-origin']],
      ]
      for (const headers of foreign) {
        const a = await send(server.baseUrl, {
          method: 'POST',
          path: '/auth/login',
          headers,
          body: { email: user.email, password: user.password },
        })
        assertProblem(a, 403, 'csrf_failed')
        assert.deepEqual(a.setCookies, [])
      }
    })

    test('rehashes the password on login when the hashing parameters changed', async () => {
      const user = await server.createUser()
      const old = await internals(server.tessera).hasher.hash(user.password)
      const weaker = old.replace(/m=\d+,t=\d+/, 'm=1024,t=1')
      assert.equal(old, weaker, 'test users are hashed with the test parameters')
      const { PasswordHasher } = await import('../../src/core/password-hasher.ts')
      const legacy = await new PasswordHasher({ memoryCost: 2048, timeCost: 1 }).hash(user.password)
      await server.stores.stores.users.update(user.id, { passwordHash: legacy }, server.clock.now)
      await login(server, user.email, user.password)
      const after = await server.stores.stores.users.findById(user.id)
      assert.match(after?.passwordHash ?? '', /^\$argon2id\$v=19\$m=1024,t=1,p=1\$/)
    })

    test('refuses a login body that is text/plain or a form (415) and one with unknown fields (400)', async () => {
      const user = await server.createUser()
      const text = await send(server.baseUrl, {
        method: 'POST',
        path: '/auth/login',
        headers: [
          ['origin', server.origin],
          ['content-type', 'text/plain'],
        ],
        body: JSON.stringify({ email: user.email, password: user.password }),
      })
      assertProblem(text, 415, 'unsupported_media_type')
      const form = await send(server.baseUrl, {
        method: 'POST',
        path: '/auth/login',
        headers: [
          ['origin', server.origin],
          ['content-type', 'application/x-www-form-urlencoded'],
        ],
        body: `email=${encodeURIComponent(user.email)}&password=x`,
      })
      assertProblem(form, 415, 'unsupported_media_type')
      const extra = await send(server.baseUrl, {
        method: 'POST',
        path: '/auth/login',
        headers: [['origin', server.origin]],
        body: { email: user.email, password: user.password, role: 'admin' },
      })
      assertProblem(extra, 400, 'validation_failed')
      assert.deepEqual(extra.json.errors, [
        { path: '/body/role', message: 'must NOT have additional properties' },
      ])
    })
  })
}
