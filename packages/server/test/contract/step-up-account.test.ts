import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { assertProblem, login, withSession } from '../../../../test/contract/session-helpers.ts'
import { ADAPTERS, STEP_UP_SECONDS } from '../../../../test/support/auth-server.ts'
import { type MailServer, NEW_PASSWORD, startMailServer } from './account-mail-helpers.ts'

const PAST_LIMIT_MS = (STEP_UP_SECONDS + 1) * 1000

for (const adapter of ADAPTERS) {
  describe(`step-up on password and email changes on ${adapter}`, () => {
    let m: MailServer
    before(async () => {
      m = await startMailServer(adapter)
    })
    after(() => m.close())

    test('a stale session cannot change the password, even with the right current one; after re-authenticating it can', async () => {
      const user = await m.server.createUser()
      const session = await login(m.server, user.email, user.password)
      m.server.clock.advance(PAST_LIMIT_MS)
      const change = {
        method: 'POST',
        path: '/auth/password',
        body: { currentPassword: user.password, newPassword: NEW_PASSWORD },
      }
      assertProblem(await withSession(m.server, session, change), 401, 'reauth_required')
      await login(m.server, user.email, user.password) // the old password still works: nothing changed
      const again = { method: 'POST', path: '/auth/reauth', body: { password: user.password } }
      assert.equal((await withSession(m.server, session, again)).status, 200)
      const done = await withSession(m.server, session, change)
      assert.equal(done.status, 204, done.text)
      await login(m.server, user.email, NEW_PASSWORD)
    })

    test('an account with a password must still give the current one after a fresh login', async () => {
      const user = await m.server.createUser()
      const session = await login(m.server, user.email, user.password)
      const missing = await withSession(m.server, session, {
        method: 'POST',
        path: '/auth/password',
        body: { newPassword: NEW_PASSWORD },
      })
      assertProblem(missing, 400, 'validation_failed')
      assert.equal(missing.json.errors[0].path, '/body/currentPassword')
      await login(m.server, user.email, user.password)
    })

    test('a stale session cannot change the email address; after re-authenticating the confirmation mail goes out', async () => {
      const user = await m.server.createUser()
      const session = await login(m.server, user.email, user.password)
      m.server.clock.advance(PAST_LIMIT_MS)
      const newEmail = `stepped-up-${Date.now()}@example.com`
      const change = {
        method: 'POST',
        path: '/auth/email/change',
        body: { newEmail, currentPassword: user.password },
      }
      assertProblem(await withSession(m.server, session, change), 401, 'reauth_required')
      const pending = await m.server.stores.stores.accountTokens.list('email_change', { limit: 500 })
      assert.equal(
        pending.filter((t) => t.userId === user.id).length,
        0,
        'no change was started: no token, no mail',
      )
      const again = { method: 'POST', path: '/auth/reauth', body: { password: user.password } }
      assert.equal((await withSession(m.server, session, again)).status, 200)
      const asked = await withSession(m.server, session, change)
      assert.equal(asked.status, 202, asked.text)
      const mail = await m.smtp.next(newEmail)
      assert.ok(mail.token)
      const missing = await withSession(m.server, session, {
        method: 'POST',
        path: '/auth/email/change',
        body: { newEmail: `other-${Date.now()}@example.com` },
      })
      assertProblem(missing, 400, 'validation_failed')
    })
  })
}
