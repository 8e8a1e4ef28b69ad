import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { assertProblem, login, withSession } from '../../../../test/contract/session-helpers.ts'
import { ADAPTERS, type AuthServer, startAuthServer } from '../../../../test/support/auth-server.ts'
import { send } from '../../../../test/support/http-client.ts'
import { emailKey } from '../../src/core/email.ts'

const GOOD_PASSWORD = 'violet submarine under granite'

for (const adapter of ADAPTERS) {
  describe(`registration on ${adapter}`, () => {
    let server: AuthServer
    before(async () => {
      server = await startAuthServer(adapter, { throttle: { ipAttempts: 1000 } })
    })
    after(() => server.close())

    function register(body: unknown) {
      return send(server.baseUrl, {
        method: 'POST',
        path: '/auth/register',
        headers: [['origin', server.origin]],
        body,
      })
    }

    test('creates a user with the user role and lets it log in', async () => {
      const answer = await register({
        email: 'Grace.Hopper@Example.com',
        password: GOOD_PASSWORD,
        name: 'Grace Hopper',
      })
      assert.equal(answer.status, 202, answer.text)
      const session = await login(server, 'grace.hopper@example.com', GOOD_PASSWORD)
      assert.equal(session.answer.json.user.role, 'user')
      assert.equal(session.answer.json.user.email, 'Grace.Hopper@Example.com')
    })

    test('refuses a weak password with the reason', async () => {
      const answer = await register({ email: 'weak@example.com', password: 'password1234567', name: 'Weak' })
      assertProblem(answer, 400, 'validation_failed')
      assert.equal(answer.json.errors[0].path, '/body/password')
      assert.match(answer.json.errors[0].message, /common/)
    })

    test('ignores no role smuggling: {"role":"admin"} and __proto__ are refused and create nothing', async () => {
      const role = await register({
        email: 'mallory1@example.com',
        password: GOOD_PASSWORD,
        name: 'M',
        role: 'admin',
      })
      assertProblem(role, 400, 'validation_failed')
      const proto = await send(server.baseUrl, {
        method: 'POST',
        path: '/auth/register',
        headers: [
          ['origin', server.origin],
          ['content-type', 'application/json'],
        ],
        body: `{"email":"mallory2@example.com","password":"${GOOD_PASSWORD}","name":"M","__proto__":{"role":"admin"}}`,
      })
      assertProblem(proto, 400, 'validation_failed')
      for (const email of ['mallory1@example.com', 'mallory2@example.com']) {
        assert.equal(await server.stores.stores.users.findByEmailKey(emailKey(email)), undefined)
      }
    })

    test('makes exactly one account out of 20 parallel registrations of one email, with 20 identical answers', async () => {
      const body = { email: 'race@example.com', password: GOOD_PASSWORD, name: 'Race' }
      const answers = await Promise.all(Array.from({ length: 20 }, () => register(body)))
      assert.deepEqual(new Set(answers.map((a) => `${a.status} ${a.text}`)).size, 1)
      assert.equal(answers[0]?.status, 202)
      const users = await server.stores.stores.users.list({ limit: 1000, offset: 0 })
      assert.equal(users.filter((u) => u.emailKey === 'race@example.com').length, 1)
    })

    test('answers registration_closed when open registration is off', async () => {
      const closed = await startAuthServer(adapter, { openRegistration: false })
      try {
        const answer = await send(closed.baseUrl, {
          method: 'POST',
          path: '/auth/register',
          headers: [['origin', closed.origin]],
          body: { email: 'x@example.com', password: GOOD_PASSWORD, name: 'X' },
        })
        assertProblem(answer, 403, 'registration_closed')
      } finally {
        await closed.close()
      }
    })
  })

  describe(`passwords, credentials and admin on ${adapter}`, () => {
    let server: AuthServer
    before(async () => {
      server = await startAuthServer(adapter, { throttle: { ipAttempts: 1000 } })
    })
    after(() => server.close())

    test('a password change revokes every other session and keeps the current one', async () => {
      const user = await server.createUser()
      const current = await login(server, user.email, user.password)
      const other = await login(server, user.email, user.password)
      const change = await withSession(server, current, {
        method: 'POST',
        path: '/auth/password',
        body: { currentPassword: user.password, newPassword: GOOD_PASSWORD },
      })
      assert.equal(change.status, 204, change.text)
      assert.equal((await withSession(server, current, { path: '/api/things' })).status, 200)
      assertProblem(await withSession(server, other, { path: '/api/things' }), 401, 'unauthenticated')
      await login(server, user.email, GOOD_PASSWORD)
    })

    test('a wrong current password changes nothing', async () => {
      const user = await server.createUser()
      const session = await login(server, user.email, user.password)
      const answer = await withSession(server, session, {
        method: 'POST',
        path: '/auth/password',
        body: { currentPassword: 'not my password at all', newPassword: GOOD_PASSWORD },
      })
      assertProblem(answer, 400, 'validation_failed')
      await login(server, user.email, user.password)
    })

    test('lists own credentials with the current one marked, and revokes one', async () => {
      const user = await server.createUser()
      const a = await login(server, user.email, user.password)
      const b = await login(server, user.email, user.password)
      const list = await withSession(server, a, { path: '/auth/credentials' })
      assert.equal(list.status, 200)
      assert.equal(list.json.credentials.length, 2)
      const current = list.json.credentials.find((c: { current: boolean }) => c.current)
      const otherId = list.json.credentials.find((c: { current: boolean }) => !c.current).id
      assert.match(current.id, /^ses_/)
      assert.equal(
        (await withSession(server, a, { method: 'DELETE', path: `/auth/credentials/${otherId}` })).status,
        204,
      )
      assertProblem(await withSession(server, b, { path: '/api/things' }), 401, 'unauthenticated')
    })

    test("answers 404 for another user's credential and leaves it alive; an admin may revoke it", async () => {
      const alice = await server.createUser()
      const bob = await server.createUser()
      const admin = await server.createUser('admin')
      const aliceSession = await login(server, alice.email, alice.password)
      const bobSession = await login(server, bob.email, bob.password)
      const bobId = (await withSession(server, bobSession, { path: '/auth/me' })).json.credential.id
      assertProblem(
        await withSession(server, aliceSession, { method: 'DELETE', path: `/auth/credentials/${bobId}` }),
        404,
        'not_found',
      )
      assert.equal((await withSession(server, bobSession, { path: '/api/things' })).status, 200)
      const adminSession = await login(server, admin.email, admin.password)
      assert.equal(
        (await withSession(server, adminSession, { method: 'DELETE', path: `/auth/credentials/${bobId}` }))
          .status,
        204,
      )
      assertProblem(await withSession(server, bobSession, { path: '/api/things' }), 401, 'unauthenticated')
    })

    test('admin role change and disabling take effect on the next request', async () => {
      const admin = await server.createUser('admin')
      const user = await server.createUser()
      const adminSession = await login(server, admin.email, admin.password)
      const userSession = await login(server, user.email, user.password)
      const promote = await withSession(server, adminSession, {
        method: 'PATCH',
        path: `/auth/admin/users/${user.id}`,
        body: { role: 'admin' },
      })
      assert.equal(promote.status, 200, promote.text)
      assert.equal(promote.json.user.role, 'admin')
      assertProblem(await withSession(server, userSession, { path: '/api/things' }), 401, 'unauthenticated')
      const again = await login(server, user.email, user.password)
      assert.equal((await withSession(server, again, { path: '/api/admin' })).status, 200)
      const disable = await withSession(server, adminSession, {
        method: 'PATCH',
        path: `/auth/admin/users/${user.id}`,
        body: { disabled: true },
      })
      assert.equal(disable.status, 200)
      assertProblem(await withSession(server, again, { path: '/api/things' }), 401, 'unauthenticated')
      const refused = await send(server.baseUrl, {
        method: 'POST',
        path: '/auth/login',
        headers: [['origin', server.origin]],
        body: { email: user.email, password: user.password },
      })
      assertProblem(refused, 401, 'invalid_credentials')
    })

    test('keeps a user out of the admin endpoints and an admin from locking themselves out', async () => {
      const user = await server.createUser()
      const admin = await server.createUser('admin')
      const userSession = await login(server, user.email, user.password)
      assertProblem(await withSession(server, userSession, { path: '/auth/admin/users' }), 403, 'forbidden')
      assertProblem(
        await withSession(server, userSession, {
          method: 'PATCH',
          path: `/auth/admin/users/${user.id}`,
          body: { role: 'admin' },
        }),
        403,
        'forbidden',
      )
      const adminSession = await login(server, admin.email, admin.password)
      assertProblem(
        await withSession(server, adminSession, {
          method: 'PATCH',
          path: `/auth/admin/users/${admin.id}`,
          body: { disabled: true },
        }),
        400,
        'validation_failed',
      )
      assertProblem(
        await withSession(server, adminSession, {
          method: 'PATCH',
          path: '/auth/admin/users/999999',
          body: { disabled: true },
        }),
        404,
        'not_found',
      )
      const users = await withSession(server, adminSession, { path: '/auth/admin/users?limit=500' })
      assert.equal(users.status, 200)
      assert.ok(users.json.users.some((u: { id: number }) => u.id === user.id))
    })

    test('the audit trail records logins and failures without any secret', async () => {
      const admin = await server.createUser('admin')
      await send(server.baseUrl, {
        method: 'POST',
        path: '/auth/login',
        headers: [['origin', server.origin]],
        body: { email: admin.email, password: 'definitely the wrong one' },
      })
      const session = await login(server, admin.email, admin.password)
      const audit = await withSession(server, session, { path: `/auth/admin/audit?userId=${admin.id}` })
      assert.equal(audit.status, 200)
      const events = audit.json.events.map((e: { event: string }) => e.event)
      assert.ok(events.includes('authn_login_fail'))
      assert.ok(events.includes('authn_login_successafterfail'))
      assert.ok(events.includes('session_created'))
      const token = session.cookie.split('=')[1] as string
      for (const secret of [admin.password, 'definitely the wrong one', token, session.csrf])
        assert.ok(!audit.text.includes(secret))
    })
  })

  describe(`throttling on ${adapter}`, () => {
    test('delays an account after repeated failures with 429 and Retry-After, for known and unknown emails alike', async () => {
      const server = await startAuthServer(adapter, { throttle: { freeFailures: 3, ipAttempts: 1000 } })
      try {
        const user = await server.createUser()
        for (const email of [user.email, 'ghost@example.com']) {
          const attempt = () =>
            send(server.baseUrl, {
              method: 'POST',
              path: '/auth/login',
              headers: [['origin', server.origin]],
              body: { email, password: 'wrong wrong wrong wrong' },
            })
          for (let i = 0; i < 4; i++) assertProblem(await attempt(), 401, 'invalid_credentials')
          const limited = await attempt()
          assertProblem(limited, 429, 'rate_limited')
          assert.equal(limited.headers['retry-after'], '1')
          assert.equal(limited.json.retryAfter, 1)
        }
        server.clock.advance(1000)
        await login(server, user.email, user.password)
      } finally {
        await server.close()
      }
    })

    test('limits attempts per client IP across accounts', async () => {
      const server = await startAuthServer(adapter, { throttle: { ipAttempts: 3 } })
      try {
        const attempt = (i: number) =>
          send(server.baseUrl, {
            method: 'POST',
            path: '/auth/login',
            headers: [['origin', server.origin]],
            body: { email: `ip${i}@example.com`, password: 'wrong wrong wrong wrong' },
          })
        for (let i = 0; i < 3; i++) assertProblem(await attempt(i), 401, 'invalid_credentials')
        const limited = await attempt(9)
        assertProblem(limited, 429, 'rate_limited')
        assert.ok(Number(limited.headers['retry-after']) > 0)
      } finally {
        await server.close()
      }
    })

    test('counts 50 parallel wrong logins exactly', async () => {
      const server = await startAuthServer(adapter, { throttle: { freeFailures: 1000, ipAttempts: 1000 } })
      try {
        const user = await server.createUser()
        const answers = await Promise.all(
          Array.from({ length: 50 }, () =>
            send(server.baseUrl, {
              method: 'POST',
              path: '/auth/login',
              headers: [['origin', server.origin]],
              body: { email: user.email, password: 'wrong wrong wrong wrong' },
            }),
          ),
        )
        assert.ok(answers.every((a) => a.status === 401))
        const { sha256Hex } = await import('../../src/core/secrets.ts')
        const state = await server.stores.stores.rateLimits.peek(
          `acct:${sha256Hex(emailKey(user.email))}`,
          server.clock.now,
        )
        assert.equal(state?.count, 50)
      } finally {
        await server.close()
      }
    })
  })
}
