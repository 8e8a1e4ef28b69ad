import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { ADAPTERS, type AuthServer, startAuthServer } from '../support/auth-server.ts'
import { send } from '../support/http-client.ts'
import { LOOK_ALIKES } from '../support/look-alike-emails.ts'
import { assertProblem, login, withSession } from './session-helpers.ts'

const ADA = { email: 'ada@example.com', password: 'violet submarine under granite', name: 'Ada Lovelace' }
const MALLORY_PASSWORD = 'orchid lighthouse parsnip gallop'

for (const adapter of ADAPTERS) {
  describe(`look-alike accounts on ${adapter}`, () => {
    let server: AuthServer
    let adaId: string
    before(async () => {
      server = await startAuthServer(adapter, { throttle: { ipAttempts: 1000 } })
      const created = await register(ADA)
      assert.equal(created.status, 202, created.text)
      adaId = (await login(server, ADA.email, ADA.password)).answer.json.user.id
    })
    after(() => server.close())

    function register(body: { email: string; password: string; name: string }) {
      return send(server.baseUrl, {
        method: 'POST',
        path: '/auth/register',
        headers: [['origin', server.origin]],
        body,
      })
    }

    test('refuses every invisible look-alike of an existing address at /body/email and creates nothing', async () => {
      for (const [kind, email] of Object.entries(LOOK_ALIKES)) {
        const answer = await register({ email, password: MALLORY_PASSWORD, name: 'Ada Lovelace' })
        assertProblem(answer, 400, 'validation_failed')
        assert.deepEqual(
          answer.json.errors.map((e: { path: string }) => e.path),
          ['/body/email'],
          kind,
        )
      }
      const users = await server.stores.stores.users.list({ limit: 1000, offset: 0 })
      assert.deepEqual(
        users.map((u) => u.emailKey),
        [ADA.email],
      )
    })

    test('a look-alike at login finds the one real account, never a second one', async () => {
      for (const [kind, email] of Object.entries(LOOK_ALIKES)) {
        const session = await login(server, email, ADA.password)
        assert.equal(session.answer.json.user.id, adaId, kind)
      }
    })

    test('refuses a display name with a bidi override or a zero-width space at /body/name', async () => {
      for (const name of ['\u202eecalevoL adA', 'Ada\u200b Lovelace']) {
        const answer = await register({ email: 'grace@example.com', password: MALLORY_PASSWORD, name })
        assertProblem(answer, 400, 'validation_failed')
        assert.equal(answer.json.errors[0].path, '/body/name')
      }
    })

    test('refuses an admin renaming a user with a bidi override, and keeps the name', async () => {
      const admin = await server.createUser('admin')
      const session = await login(server, admin.email, admin.password)
      const answer = await withSession(server, session, {
        method: 'PATCH',
        path: `/auth/admin/users/${adaId}`,
        body: { name: 'Ada \u202eecalevoL' },
      })
      assertProblem(answer, 400, 'validation_failed')
      assert.equal(answer.json.errors[0].path, '/body/name')
      assert.equal((await server.stores.stores.users.findById(Number(adaId)))?.name, ADA.name)
    })
  })
}
