import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { signRequest } from '@tessera/server'
import { ADAPTERS, type AuthServer, startAuthServer } from '../support/auth-server.ts'
import { send } from '../support/http-client.ts'
import { loginForKey } from './signed-helpers.ts'

for (const adapter of ADAPTERS) {
  describe(`parallel replays on ${adapter} (SQLite file: the journaled nonce store)`, () => {
    let server: AuthServer
    before(async () => {
      server = await startAuthServer(adapter, { throttle: { ipAttempts: 1000 } })
    })
    after(() => server.close())

    test('of 50 identical signed requests sent at once, exactly one is accepted', async () => {
      const user = await server.createUser()
      const key = await loginForKey(server, user.email, user.password)
      const headers = signRequest({
        method: 'GET',
        url: new URL('/api/things', server.baseUrl),
        keyId: key.id,
        algorithm: key.algorithm,
        key: key.key,
        created: Math.floor(server.clock.now / 1000),
      })
      const sent = Object.entries(headers) as Array<[string, string]>
      const answers = await Promise.all(
        Array.from({ length: 50 }, () => send(server.baseUrl, { path: '/api/things', headers: sent })),
      )
      assert.equal(answers.filter((a) => a.status === 200).length, 1)
      for (const a of answers.filter((a) => a.status !== 200)) {
        assert.equal(a.status, 401)
        assert.equal(a.json.code, 'replayed_signature')
      }
    })
  })
}
