import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { totpCode } from '../../../test/support/totp-code.ts'
import {
  type AuthServer,
  failure,
  recordEvents,
  sessionClient,
  signedClient,
  startServer,
} from './client-fixtures.ts'

describe('client SDK: step-up and second factor', () => {
  let server: AuthServer
  before(async () => {
    server = await startServer({ throttle: { ipAttempts: 10_000 } })
  })
  after(() => server.close())

  for (const mode of ['session', 'signed'] as const) {
    const make = (s: AuthServer) => (mode === 'session' ? sessionClient(s) : signedClient(s))

    test(`${mode}: reauth_required becomes a reauth-required event; reauthenticate, then the retry passes`, async () => {
      const user = await server.createUser()
      const client = make(server)
      const log = recordEvents(client)
      await client.login(user.email, user.password)
      server.clock.advance(301_000)
      const error = await failure(client.request('/api/critical', { method: 'POST', json: {} }))
      assert.equal(error.code, 'reauth_required')
      assert.deepEqual(log.names(), ['reauth-required'])
      const wrong = await failure(client.reauthenticate({ password: 'wrong password entirely' }))
      assert.equal(wrong.code, 'reauth_failed')
      assert.deepEqual(log.names(), ['reauth-required'], 'a failed proof does not log the user out')
      await client.reauthenticate({ password: user.password })
      assert.deepEqual(await client.request('/api/critical', { method: 'POST', json: {} }), { done: true })
      assert.equal((await client.me()).user.id, user.id, 'still logged in')
    })

    test(`${mode}: a login with TOTP rejects with mfa_required, completeLogin finishes it`, async () => {
      const user = await server.createUser()
      const enroller = sessionClient(server)
      await enroller.login(user.email, user.password)
      const { secret } = await enroller.request<{ secret: string }>('/auth/mfa/totp', {
        method: 'POST',
        json: {},
      })
      const code = totpCode(secret, server.clock.now)
      await enroller.request('/auth/mfa/totp/confirm', { method: 'POST', json: { code } })
      server.clock.advance(30_000)
      const client = make(server)
      const log = recordEvents(client)
      const error = await failure(client.login(user.email, user.password))
      assert.equal(error.code, 'mfa_required')
      assert.deepEqual(log.names(), [], 'no unauthenticated event for a login step')
      const challenge = String(error.problem?.challenge)
      const wrong = await failure(client.completeLogin(challenge, { code: '000000' }))
      assert.equal(wrong.code, 'invalid_mfa_code')
      await client.completeLogin(challenge, { code: totpCode(secret, server.clock.now) })
      assert.equal((await client.me()).user.id, user.id)
    })
  }
})
