import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { test } from 'node:test'
import { login, withSession } from '../../../../test/contract/session-helpers.ts'
import { loginForKey, signedSend } from '../../../../test/contract/signed-helpers.ts'
import { type AuthServer, startAuthServer } from '../../../../test/support/auth-server.ts'
import { sharedPostgresRedis } from '../../../../test/support/sql-stores.ts'
import { assertAllRefused, loginsRacing, RACING_LOGINS } from './login-race-helpers.ts'

test('two caching instances on PostgreSQL + Redis: a login on A racing a password change on B issues dead credentials', {
  timeout: 60_000,
}, async () => {
  const shared = await sharedPostgresRedis()
  const secret = randomBytes(32)
  const servers: AuthServer[] = []
  try {
    const a = await startAuthServer('fastify', {
      secret,
      stores: shared.instance(),
      throttle: RACING_LOGINS,
    })
    servers.push(a)
    const b = await startAuthServer('fastify', {
      secret,
      stores: shared.instance(),
      throttle: RACING_LOGINS,
    })
    servers.push(b)
    const user = await a.createUser()
    // A key used on both instances first, so both hold it in their credential caches.
    const earlier = await loginForKey(a, user.email, user.password)
    for (const server of [a, b]) {
      assert.equal((await signedSend(server, earlier, { path: '/api/things' })).answer.status, 200)
    }
    const changer = await login(b, user.email, user.password)
    const issued = await loginsRacing(a, user.email, user.password, async () => {
      const body = { currentPassword: user.password, newPassword: 'Quartz-lantern 58 over the fjord' }
      const answer = await withSession(b, changer, { method: 'POST', path: '/auth/password', body })
      assert.equal(answer.status, 204, answer.text)
    })
    for (const server of [a, b]) {
      await assertAllRefused(server, issued)
      const { answer } = await signedSend(server, earlier, { path: '/api/things' })
      assert.equal(answer.status, 401, 'the cached key is refused too')
    }
  } finally {
    for (const server of servers) await server.close().catch(() => {})
    for (const server of servers) await server.stores.close().catch(() => {})
    await shared.close()
  }
})
