import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { ADAPTERS, startAuthServer } from '../support/auth-server.ts'
import { send } from '../support/http-client.ts'
import { assertProblem, login, withSession } from './session-helpers.ts'
import { loginForKey, signedSend } from './signed-helpers.ts'

for (const adapter of ADAPTERS) {
  describe(`fail closed on ${adapter}`, () => {
    test('answers 503 with Retry-After, never 200 or 500, when the store is gone', async () => {
      const server = await startAuthServer(adapter)
      try {
        const user = await server.createUser()
        const session = await login(server, user.email, user.password)
        const key = await loginForKey(server, user.email, user.password)
        await server.stores.database.close()
        const bySession = await withSession(server, session, { path: '/api/things' })
        assertProblem(bySession, 503, 'service_unavailable')
        assert.equal(bySession.headers['retry-after'], '5')
        assertProblem(
          (await signedSend(server, key, { path: '/api/things' })).answer,
          503,
          'service_unavailable',
        )
        const loginAttempt = await send(server.baseUrl, {
          method: 'POST',
          path: '/auth/login',
          headers: [['origin', server.origin]],
          body: { email: user.email, password: user.password },
        })
        assertProblem(loginAttempt, 503, 'service_unavailable')
        assert.equal(
          (await send(server.baseUrl, { path: '/api/public' })).status,
          200,
          'public routes need no store',
        )
      } finally {
        await server.close({ keepStores: true })
        await server.stores.close().catch(() => {})
      }
    })
  })
}
