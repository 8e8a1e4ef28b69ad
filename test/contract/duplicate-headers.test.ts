import { after, before, describe, test } from 'node:test'
import { signRequest } from '@tessera/server'
import { ADAPTERS, type AuthServer, startAuthServer } from '../support/auth-server.ts'
import { send } from '../support/http-client.ts'
import { assertProblem } from './session-helpers.ts'
import { loginForKey } from './signed-helpers.ts'

for (const adapter of ADAPTERS) {
  describe(`duplicated signature headers on ${adapter}`, () => {
    let server: AuthServer
    before(async () => {
      server = await startAuthServer(adapter)
    })
    after(() => server.close())

    // Joined into one comma-separated value (as a Fetch Headers object does), the two identical
    // lines would read as one valid signature: only the raw header lines show there were two.
    for (const name of ['signature-input', 'signature'] as const) {
      test(`refuses a valid signed request whose ${name} line is sent twice`, async () => {
        const user = await server.createUser()
        const key = await loginForKey(server, user.email, user.password)
        const signed = signRequest({
          method: 'GET',
          url: new URL('/api/things', server.baseUrl),
          keyId: key.id,
          algorithm: key.algorithm,
          key: key.key,
          created: Math.floor(server.clock.now / 1000),
        })
        const headers = Object.entries(signed) as Array<[string, string]>
        headers.push([name, signed[name]])
        assertProblem(await send(server.baseUrl, { path: '/api/things', headers }), 401, 'invalid_signature')
      })
    }
  })
}
