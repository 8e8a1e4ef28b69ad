import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { after, before, describe, test } from 'node:test'
import { createSigner, httpbis } from 'http-message-signatures'
import { loginForKey } from '../../../../test/contract/signed-helpers.ts'
import { ADAPTERS, type AuthServer, startAuthServer } from '../../../../test/support/auth-server.ts'
import { send } from '../../../../test/support/http-client.ts'
import { computeContentDigest } from '../../src/core/signatures/content-digest.ts'

for (const adapter of ADAPTERS) {
  describe(`interoperability over HTTP on ${adapter}`, () => {
    let server: AuthServer
    before(async () => {
      server = await startAuthServer(adapter)
    })
    after(() => server.close())

    for (const device of [undefined, 'p256', 'ed25519'] as const) {
      test(`accepts a ${device ?? 'hmac'} request signed by the http-message-signatures package`, async () => {
        const user = await server.createUser()
        const key = await loginForKey(server, user.email, user.password, device)
        const body = JSON.stringify({ name: 'from another implementation' })
        const url = `${server.baseUrl}/api/things/9?x=1`
        const signed = await httpbis.signMessage(
          {
            key: createSigner(key.key, key.algorithm, key.id),
            name: 'other',
            fields: ['@method', '@authority', '@path', '@query', 'content-type', 'content-digest'],
            params: ['created', 'expires', 'nonce', 'keyid', 'alg', 'tag'],
            paramValues: {
              created: new Date(server.clock.now),
              expires: new Date(server.clock.now + 60_000),
              nonce: randomBytes(16).toString('base64url'),
              tag: 'tessera',
            },
          },
          {
            method: 'PUT',
            url,
            headers: {
              'Content-Type': 'application/json',
              'Content-Digest': computeContentDigest(Buffer.from(body)),
            },
          },
        )
        const headers = Object.entries(signed.headers as Record<string, string>).map(
          ([k, v]): [string, string] => [k, String(v)],
        )
        const answer = await send(server.baseUrl, { method: 'PUT', path: '/api/things/9?x=1', headers, body })
        assert.equal(answer.status, 200, answer.text)
        assert.deepEqual(answer.json, { saved: { name: 'from another implementation' } })
      })
    }
  })
}
