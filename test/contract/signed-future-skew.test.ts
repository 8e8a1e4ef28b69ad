import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { ADAPTERS, type AuthServer, startAuthServer } from '../support/auth-server.ts'
import { assertProblem } from './session-helpers.ts'
import { loginForKey, signedSend } from './signed-helpers.ts'

// docs/signatures.md §8: created may be 300 s behind the server's second, but only 60 s ahead of it.
for (const adapter of ADAPTERS) {
  describe(`future clock skew on ${adapter}`, () => {
    let server: AuthServer
    before(async () => {
      server = await startAuthServer(adapter, { throttle: { ipAttempts: 1000 } })
    })
    after(() => server.close())

    test('accepts created = now + 60 for the whole server second, refuses now + 61 with the server time', async () => {
      const user = await server.createUser()
      const key = await loginForKey(server, user.email, user.password)
      const nowSeconds = Math.floor(server.clock.now / 1000)
      for (const ms of [0, 999]) {
        server.clock.now = nowSeconds * 1000 + ms
        const edge = await signedSend(server, key, {
          path: '/api/things',
          sign: { created: nowSeconds + 60, expires: null },
        })
        assert.equal(edge.answer.status, 200, `${ms} ms into the second: ${edge.answer.text}`)
        const ahead = await signedSend(server, key, {
          path: '/api/things',
          sign: { created: nowSeconds + 61, expires: null },
        })
        assertProblem(ahead.answer, 401, 'stale_signature')
        assert.equal(ahead.answer.json.serverTime, nowSeconds)
      }
    })
  })
}
