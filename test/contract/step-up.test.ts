import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { authorize } from '@tessera/server/fastify'
import { ADAPTERS, type AuthServer, STEP_UP_SECONDS, startAuthServer } from '../support/auth-server.ts'
import { assertProblem, login, withSession } from './session-helpers.ts'
import { loginForKey, signedSend } from './signed-helpers.ts'

const PAST_LIMIT_MS = (STEP_UP_SECONDS + 1) * 1000

for (const adapter of ADAPTERS) {
  describe(`step-up re-authentication on ${adapter}`, () => {
    let server: AuthServer
    before(async () => {
      server = await startAuthServer(adapter)
    })
    after(() => server.close())

    test('a fresh login passes recentAuth; once older than the limit it answers 401 reauth_required', async () => {
      const user = await server.createUser()
      const session = await login(server, user.email, user.password)
      const fresh = await withSession(server, session, { method: 'POST', path: '/api/critical', body: {} })
      assert.equal(fresh.status, 200, fresh.text)
      server.clock.advance(PAST_LIMIT_MS)
      const stale = await withSession(server, session, { method: 'POST', path: '/api/critical', body: {} })
      assertProblem(stale, 401, 'reauth_required')
      const ordinary = await withSession(server, session, { path: '/api/things' })
      assert.equal(ordinary.status, 200, 'routes without recentAuth are not affected')
    })

    test('re-authenticating with the password refreshes the session, and the action goes through', async () => {
      const user = await server.createUser()
      const session = await login(server, user.email, user.password)
      server.clock.advance(PAST_LIMIT_MS)
      const body = { password: user.password }
      const again = await withSession(server, session, { method: 'POST', path: '/auth/reauth', body })
      assert.equal(again.status, 200, again.text)
      assert.equal(again.json.authenticatedAt, new Date(server.clock.now).toISOString())
      const critical = await withSession(server, session, { method: 'POST', path: '/api/critical', body: {} })
      assert.equal(critical.status, 200, critical.text)
    })

    test('a wrong password answers reauth_failed and refreshes nothing', async () => {
      const user = await server.createUser()
      const session = await login(server, user.email, user.password)
      server.clock.advance(PAST_LIMIT_MS)
      const body = { password: 'not the password at all' }
      const wrong = await withSession(server, session, { method: 'POST', path: '/auth/reauth', body })
      assertProblem(wrong, 401, 'reauth_failed')
      const critical = await withSession(server, session, { method: 'POST', path: '/api/critical', body: {} })
      assertProblem(critical, 401, 'reauth_required')
    })

    test('re-authenticating refreshes only the calling credential', async () => {
      const user = await server.createUser()
      const first = await login(server, user.email, user.password)
      const second = await login(server, user.email, user.password)
      server.clock.advance(PAST_LIMIT_MS)
      const body = { password: user.password }
      assert.equal(
        (await withSession(server, first, { method: 'POST', path: '/auth/reauth', body })).status,
        200,
      )
      const other = await withSession(server, second, { method: 'POST', path: '/api/critical', body: {} })
      assertProblem(other, 401, 'reauth_required')
    })

    test('changing roles and disabling users need a recent proof of the admin', async () => {
      const admin = await server.createUser('admin')
      const target = await server.createUser()
      const session = await login(server, admin.email, admin.password)
      server.clock.advance(PAST_LIMIT_MS)
      const path = `/auth/admin/users/${target.id}`
      for (const body of [{ role: 'admin' }, { disabled: true }]) {
        const stale = await withSession(server, session, { method: 'PATCH', path, body })
        assertProblem(stale, 401, 'reauth_required')
      }
      const again = { method: 'POST', path: '/auth/reauth', body: { password: admin.password } }
      assert.equal((await withSession(server, session, again)).status, 200)
      const done = await withSession(server, session, { method: 'PATCH', path, body: { disabled: true } })
      assert.equal(done.status, 200, done.text)
    })

    test('a re-authentication needs exactly one proof', async () => {
      const user = await server.createUser()
      const session = await login(server, user.email, user.password)
      for (const body of [{}, { password: user.password, code: '123456' }]) {
        const answer = await withSession(server, session, { method: 'POST', path: '/auth/reauth', body })
        assertProblem(answer, 400, 'validation_failed')
      }
    })

    test('a re-authentication without the CSRF token is refused', async () => {
      const user = await server.createUser()
      const session = await login(server, user.email, user.password)
      const answer = await withSession(server, session, {
        method: 'POST',
        path: '/auth/reauth',
        body: { password: user.password },
        headers: [['x-csrf-token', 'forged']],
      })
      assertProblem(answer, 403, 'csrf_failed')
    })

    test('a signed-mode key re-authenticates the same way and records the time; rotation keeps it', async () => {
      const user = await server.createUser()
      const key = await loginForKey(server, user.email, user.password, 'p256')
      const critical = { method: 'POST', path: '/api/critical', body: {} }
      assert.equal((await signedSend(server, key, critical)).answer.status, 200)
      server.clock.advance(PAST_LIMIT_MS)
      assertProblem((await signedSend(server, key, critical)).answer, 401, 'reauth_required')
      const again = { method: 'POST', path: '/auth/reauth', body: { password: user.password } }
      assert.equal((await signedSend(server, key, again)).answer.status, 200)
      assert.equal((await signedSend(server, key, critical)).answer.status, 200)
      server.clock.advance(PAST_LIMIT_MS)
      const rotated = await loginForKeyRotation(server, key)
      assertProblem((await signedSend(server, rotated, critical)).answer, 401, 'reauth_required')
    })
  })
}

/** Rotates a device key to a fresh P-256 key and answers the successor. */
async function loginForKeyRotation(server: AuthServer, key: Awaited<ReturnType<typeof loginForKey>>) {
  const { generateKeyPairSync } = await import('node:crypto')
  const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' })
  const body = { publicKey: pair.publicKey.export({ format: 'jwk' }) }
  const { answer } = await signedSend(server, key, { method: 'POST', path: '/auth/keys/rotate', body })
  assert.equal(answer.status, 200, answer.text)
  return { id: answer.json.key.id as string, algorithm: key.algorithm, key: pair.privateKey }
}

test('a guard refuses a recentAuth that is not a positive number of seconds', () => {
  for (const recentAuth of [0, -5, Number.NaN, Number.POSITIVE_INFINITY])
    assert.throws(() => authorize('user', { recentAuth }), /recentAuth/)
})
