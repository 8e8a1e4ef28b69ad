import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { TrustProxy } from '@tessera/server/hono'
import { ADAPTERS, startAuthServer } from '../support/auth-server.ts'
import { send } from '../support/http-client.ts'

/** The IP the audit trail records for a key login sent with this X-Forwarded-For. */
async function recordedIp(
  adapter: (typeof ADAPTERS)[number],
  trustProxy: TrustProxy | undefined,
  xff: string,
) {
  const server = await startAuthServer(adapter, trustProxy === undefined ? {} : { trustProxy })
  try {
    const user = await server.createUser()
    const answer = await send(server.baseUrl, {
      method: 'POST',
      path: '/auth/login',
      headers: [['x-forwarded-for', xff]],
      body: { email: user.email, password: user.password, credential: 'key' },
    })
    assert.equal(answer.status, 200, answer.text)
    const [event] = await server.stores.stores.audit.list({
      limit: 1,
      userId: user.id,
      event: 'authn_login_success',
    })
    return event?.ip
  } finally {
    await server.close()
  }
}

for (const adapter of ADAPTERS) {
  describe(`client IP on ${adapter}`, () => {
    test('is the socket address when no proxy is trusted, whatever X-Forwarded-For says', async () => {
      assert.equal(await recordedIp(adapter, undefined, '203.0.113.7'), '127.0.0.1')
      assert.equal(await recordedIp(adapter, ['10.0.0.0/8'], '203.0.113.7'), '127.0.0.1')
    })

    test('is the nearest untrusted X-Forwarded-For address behind a trusted proxy', async () => {
      assert.equal(await recordedIp(adapter, 'loopback', '203.0.113.7'), '203.0.113.7')
      assert.equal(
        await recordedIp(adapter, ['loopback', '10.0.0.0/8'], '198.51.100.1, 203.0.113.7, 10.1.2.3'),
        '203.0.113.7',
      )
      assert.equal(await recordedIp(adapter, true, '198.51.100.1, 203.0.113.7'), '198.51.100.1')
    })
  })
}
