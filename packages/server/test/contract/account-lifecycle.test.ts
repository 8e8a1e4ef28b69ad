import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { assertProblem, login, withSession } from '../../../../test/contract/session-helpers.ts'
import { ADAPTERS } from '../../../../test/support/auth-server.ts'
import { type MailServer, NEW_PASSWORD, startMailServer } from './account-mail-helpers.ts'

const PASSWORD = 'violet submarine under granite'

for (const adapter of ADAPTERS) {
  describe(`invitations, registration, verification and email change on ${adapter}`, () => {
    let m: MailServer
    before(async () => {
      m = await startMailServer(adapter)
    })
    after(() => m.close())

    test('an admin invites; the invitee sets a password from the link and logs in; the link works once', async () => {
      const admin = await m.server.createUser('admin')
      const session = await login(m.server, admin.email, admin.password)
      const email = `invitee-${Date.now()}@example.com`
      const created = await withSession(m.server, session, {
        method: 'POST',
        path: '/auth/admin/invitations',
        body: { email, name: 'Ada Lovelace', role: 'user' },
      })
      assert.equal(created.status, 201, created.text)
      assert.equal(created.json.invitation.status, 'pending')
      const mail = await m.smtp.next(email)
      assert.match(mail.link ?? '', /\/#invitation\/[A-Za-z0-9_-]{43}$/)
      const inspected = await m.post('/auth/invitations/inspect', { token: mail.token })
      assert.deepEqual(
        [inspected.json.invitation.email, inspected.json.invitation.name],
        [email, 'Ada Lovelace'],
      )
      const accepted = await m.post('/auth/invitations/accept', { token: mail.token, password: PASSWORD })
      assert.equal(accepted.status, 201, accepted.text)
      await login(m.server, email, PASSWORD)
      assertProblem(
        await m.post('/auth/invitations/accept', { token: mail.token, password: PASSWORD }),
        410,
        'token_used',
      )
      const list = await withSession(m.server, session, { path: '/auth/admin/invitations' })
      assert.equal(
        list.json.invitations.find((i: { email: string }) => i.email === email)?.status,
        'accepted',
      )
    })

    test('a revoked invitation no longer works; a user cannot invite; an existing address is refused', async () => {
      const admin = await m.server.createUser('admin')
      const session = await login(m.server, admin.email, admin.password)
      const email = `revoked-${Date.now()}@example.com`
      const created = await withSession(m.server, session, {
        method: 'POST',
        path: '/auth/admin/invitations',
        body: { email, name: 'Revoked Person' },
      })
      const mail = await m.smtp.next(email)
      const revoked = await withSession(m.server, session, {
        method: 'DELETE',
        path: `/auth/admin/invitations/${created.json.invitation.id}`,
      })
      assert.equal(revoked.status, 204, revoked.text)
      assertProblem(
        await m.post('/auth/invitations/accept', { token: mail.token, password: PASSWORD }),
        410,
        'token_used',
      )
      const user = await m.server.createUser()
      const userSession = await login(m.server, user.email, user.password)
      const denied = await withSession(m.server, userSession, {
        method: 'POST',
        path: '/auth/admin/invitations',
        body: { email: 'x@example.com', name: 'X' },
      })
      assertProblem(denied, 403, 'forbidden')
      const taken = await withSession(m.server, session, {
        method: 'POST',
        path: '/auth/admin/invitations',
        body: { email: user.email, name: 'Dup' },
      })
      assertProblem(taken, 409, 'email_taken')
    })

    test('an invitation expires after 7 days', async () => {
      const admin = await m.server.createUser('admin')
      const session = await login(m.server, admin.email, admin.password)
      const email = `late-${Date.now()}@example.com`
      await withSession(m.server, session, {
        method: 'POST',
        path: '/auth/admin/invitations',
        body: { email, name: 'Late' },
      })
      const mail = await m.smtp.next(email)
      m.server.clock.advance(7 * 24 * 3_600_000 + 1)
      assertProblem(
        await m.post('/auth/invitations/accept', { token: mail.token, password: PASSWORD }),
        410,
        'token_expired',
      )
    })

    test('a display name with CR LF is refused and adds no mail header', async () => {
      const admin = await m.server.createUser('admin')
      const session = await login(m.server, admin.email, admin.password)
      const email = `inject-${Date.now()}@example.com`
      const answer = await withSession(m.server, session, {
        method: 'POST',
        path: '/auth/admin/invitations',
        body: { email, name: 'Eve\r\nBcc: victim@example.com' },
      })
      assertProblem(answer, 400, 'validation_failed')
      await m.settle()
      assert.ok(!m.smtp.mails.some((x) => /^Bcc:/im.test(x.raw)))
    })

    test('registering a taken address answers exactly like a new one, and mails the owner instead', async () => {
      const owner = await m.server.createUser()
      const fresh = `fresh-${Date.now()}@example.com`
      const first = await m.post('/auth/register', { email: fresh, password: PASSWORD, name: 'Fresh' })
      const taken = await m.post('/auth/register', {
        email: owner.email,
        password: PASSWORD,
        name: 'Intruder',
      })
      assert.equal(first.status, 202, first.text)
      assert.deepEqual([taken.status, taken.text], [first.status, first.text])
      const toOwner = await m.smtp.next(owner.email)
      assert.match(toOwner.subject, /tried to register/)
      assert.match(toOwner.link ?? '', /\/#reset\//)
      const toFresh = await m.smtp.next(fresh)
      assert.match(toFresh.subject, /Confirm your email address/)
      await login(m.server, owner.email, owner.password)
    })

    test('a verification link marks the address verified', async () => {
      const email = `verify-${Date.now()}@example.com`
      await m.post('/auth/register', { email, password: PASSWORD, name: 'Verifier' })
      const mail = await m.smtp.next(email)
      const session = await login(m.server, email, PASSWORD)
      assert.equal((await withSession(m.server, session, { path: '/auth/email' })).json.verified, false)
      assert.equal((await m.post('/auth/email/verify', { token: mail.token })).status, 204)
      assert.equal((await withSession(m.server, session, { path: '/auth/email' })).json.verified, true)
      assertProblem(await m.post('/auth/email/verify', { token: mail.token }), 410, 'token_used')
    })

    test('changing the email needs the current password, a confirmation from the new address, and can be undone from the old', async () => {
      const user = await m.server.createUser()
      const session = await login(m.server, user.email, user.password)
      const newEmail = `moved-${Date.now()}@example.com`
      const wrong = await withSession(m.server, session, {
        method: 'POST',
        path: '/auth/email/change',
        body: { newEmail, currentPassword: 'not my password at all' },
      })
      assertProblem(wrong, 400, 'validation_failed')
      const asked = await withSession(m.server, session, {
        method: 'POST',
        path: '/auth/email/change',
        body: { newEmail, currentPassword: user.password },
      })
      assert.equal(asked.status, 202, asked.text)
      const confirm = await m.smtp.next(newEmail)
      assert.equal(
        (await withSession(m.server, session, { path: '/auth/email' })).json.email,
        user.email,
        'nothing changes before the confirmation',
      )
      const confirmed = await m.post('/auth/email/confirm', { token: confirm.token })
      assert.equal(confirmed.status, 200, confirmed.text)
      assert.equal((await withSession(m.server, session, { path: '/auth/me' })).json.user.email, newEmail)
      const notice = await m.smtp.next(user.email)
      assert.match(notice.subject, /email address was changed/)
      assert.match(notice.link ?? '', /\/#email-undo\//)
      const undone = await m.post('/auth/email/undo', { token: notice.token })
      assert.equal(undone.status, 200, undone.text)
      assertProblem(await withSession(m.server, session, { path: '/auth/me' }), 401, 'unauthenticated')
      await login(m.server, user.email, user.password)
    })

    test('mails a notice for a password change, a new device, disabling and a role change', async () => {
      const admin = await m.server.createUser('admin')
      const adminSession = await login(m.server, admin.email, admin.password)
      const user = await m.server.createUser()
      const session = await login(m.server, user.email, user.password)
      await m.settle()
      await withSession(m.server, session, {
        method: 'POST',
        path: '/auth/password',
        body: { currentPassword: user.password, newPassword: NEW_PASSWORD },
      })
      assert.match((await m.smtp.next(user.email)).subject, /password was changed/)
      const { send } = await import('../../../../test/support/http-client.ts')
      await send(m.server.baseUrl, {
        method: 'POST',
        path: '/auth/login',
        headers: [
          ['origin', m.server.origin],
          ['user-agent', 'Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0'],
        ],
        body: { email: user.email, password: NEW_PASSWORD },
      })
      const device = await m.smtp.next(user.email)
      assert.match(device.subject, /New sign-in/)
      assert.match(device.text, /Firefox on Linux from 127\.0\.0\.0\/24/)
      const patch = (body: unknown) =>
        withSession(m.server, adminSession, { method: 'PATCH', path: `/auth/admin/users/${user.id}`, body })
      await patch({ role: 'admin' })
      assert.match((await m.smtp.next(user.email)).subject, /role was changed/)
      await patch({ disabled: true })
      assert.match((await m.smtp.next(user.email)).subject, /account was disabled/)
    })
  })
}

describe('email verification required', () => {
  let m: MailServer
  before(async () => {
    m = await startMailServer('fastify', { emailVerification: 'required' })
  })
  after(() => m.close())

  test('an unverified account is refused with email_unverified until it follows its link', async () => {
    const email = `required-${Date.now()}@example.com`
    assert.equal((await m.post('/auth/register', { email, password: PASSWORD, name: 'Req' })).status, 202)
    const mail = await m.smtp.next(email)
    assertProblem(await m.post('/auth/login', { email, password: PASSWORD }), 403, 'email_unverified')
    assertProblem(
      await m.post('/auth/login', { email, password: 'wrong password here' }),
      401,
      'invalid_credentials',
    )
    assert.equal((await m.post('/auth/email/verify/resend', { email })).status, 202)
    const again = await m.smtp.next(email)
    assertProblem(await m.post('/auth/email/verify', { token: mail.token }), 410, 'token_used')
    assert.equal((await m.post('/auth/email/verify', { token: again.token })).status, 204)
    await login(m.server, email, PASSWORD)
  })

  test('a password reset from the mail proves the address too', async () => {
    const email = `reset-verifies-${Date.now()}@example.com`
    await m.post('/auth/register', { email, password: PASSWORD, name: 'Rv' })
    await m.smtp.next(email)
    await m.post('/auth/password/forgot', { email })
    const mail = await m.smtp.next(email)
    assert.equal(
      (await m.post('/auth/password/reset', { token: mail.token, newPassword: NEW_PASSWORD })).status,
      204,
    )
    await login(m.server, email, NEW_PASSWORD)
  })
})

describe('email verification off', () => {
  let m: MailServer
  before(async () => {
    m = await startMailServer('fastify', { emailVerification: 'off' })
  })
  after(() => m.close())

  test('a new account gets a welcome mail and logs in at once', async () => {
    const email = `off-${Date.now()}@example.com`
    assert.equal((await m.post('/auth/register', { email, password: PASSWORD, name: 'Off' })).status, 202)
    assert.match((await m.smtp.next(email)).subject, /Your account/)
    await login(m.server, email, PASSWORD)
  })
})
