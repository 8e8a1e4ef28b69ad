import assert from 'node:assert/strict'
import { generateKeyPairSync } from 'node:crypto'
import { after, before, describe, test } from 'node:test'
import { assertProblem, login, type Session, withSession } from '../../../../test/contract/session-helpers.ts'
import { signedSend } from '../../../../test/contract/signed-helpers.ts'
import { ADAPTERS, STEP_UP_SECONDS } from '../../../../test/support/auth-server.ts'
import { cookiePair, send } from '../../../../test/support/http-client.ts'
import { SoftAuthenticator } from '../../../../test/support/soft-authenticator.ts'
import { type MailServer, NEW_PASSWORD, startMailServer } from './account-mail-helpers.ts'
import { passkeyLogin, passkeyOptions } from './passkey-helpers.ts'

const PAST_LIMIT_MS = (STEP_UP_SECONDS + 1) * 1000

for (const adapter of ADAPTERS) {
  describe(`accepting an invitation with a passkey on ${adapter}`, () => {
    let m: MailServer
    before(async () => {
      m = await startMailServer(adapter)
    })
    after(() => m.close())

    /** Invites a new address; answers it and the token from the mail. */
    async function invite(): Promise<{ email: string; token: string }> {
      // A fresh admin each time: tests move the clock by days.
      const account = await m.server.createUser('admin')
      const admin = await login(m.server, account.email, account.password)
      const email = `passkey-invitee-${Date.now()}-${Math.random().toString(36).slice(2)}@example.com`
      const created = await withSession(m.server, admin, {
        method: 'POST',
        path: '/auth/admin/invitations',
        body: { email, name: 'Grace Hopper' },
      })
      assert.equal(created.status, 201, created.text)
      return { email, token: (await m.smtp.next(email)).token as string }
    }

    /** Step 1, then the authenticator's answer: the body step 2 takes. */
    async function ceremony(token: string, authenticator = new SoftAuthenticator()) {
      const started = await m.post('/auth/invitations/passkey/options', { token })
      assert.equal(started.status, 200, started.text)
      const response = authenticator.register(started.json.options, m.server.origin)
      return { token, ceremony: started.json.ceremony as string, response, name: 'Phone' }
    }

    const finish = (body: unknown) => m.post('/auth/invitations/passkey', body)

    function sessionOf(answer: Awaited<ReturnType<typeof finish>>): Session {
      const setCookie = answer.setCookies[0]
      assert.ok(setCookie, 'the acceptance sets a session cookie')
      return { cookie: cookiePair(setCookie), csrf: answer.json.csrfToken, answer }
    }

    test('creates the account with the passkey and no password, verified, with a session; then logs in with the passkey', async () => {
      const { email, token } = await invite()
      const authenticator = new SoftAuthenticator()
      const accepted = await finish(await ceremony(token, authenticator))
      assert.equal(accepted.status, 201, accepted.text)
      assert.equal(accepted.json.user.email, email)
      const me = await withSession(m.server, sessionOf(accepted), { path: '/auth/me' })
      assert.equal(me.status, 200, me.text)
      const status = await withSession(m.server, sessionOf(accepted), { path: '/auth/email' })
      assert.equal(status.json.verified, true, 'the link proved the address')
      const passkeys = await withSession(m.server, sessionOf(accepted), { path: '/auth/passkeys' })
      assert.deepEqual(
        passkeys.json.passkeys.map((p: { name: string }) => p.name),
        ['Phone'],
      )
      const { options, ceremony: loginCeremony } = await passkeyOptions(m.server)
      const again = await passkeyLogin(m.server, {
        ceremony: loginCeremony,
        response: authenticator.assert(options, m.server.origin),
      })
      assert.equal(again.status, 200, again.text)
      assert.equal(again.json.user.email, email)
      const [used] = await m.audits('token_consumed')
      assert.equal(used?.detail.purpose, 'invite', 'the invitation was spent')
    })

    test('the mobile client accepts with a passkey for a device key: no cookie, its requests are signed', async () => {
      const { email, token } = await invite()
      const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' })
      const publicKey = pair.publicKey.export({ format: 'jwk' })
      const accepted = await finish({ ...(await ceremony(token)), credential: 'key', publicKey })
      assert.equal(accepted.status, 201, accepted.text)
      assert.deepEqual(accepted.setCookies, [])
      const key = { id: accepted.json.key.id, algorithm: 'ecdsa-p256-sha256' as const, key: pair.privateKey }
      const me = await signedSend(m.server, key, { path: '/auth/me' })
      assert.equal(me.answer.json.user.email, email)
      const { token: other } = await invite()
      const keyless = await finish({ ...(await ceremony(other)), credential: 'key' })
      assertProblem(keyless, 400, 'validation_failed')
    })

    test('a passkey-only account refuses password logins exactly like a wrong password', async () => {
      const { email, token } = await invite()
      assert.equal((await finish(await ceremony(token))).status, 201)
      const other = await m.server.createUser()
      const body = (address: string) => ({ email: address, password: 'any password at all here' })
      const opts = (address: string) => ({
        method: 'POST',
        path: '/auth/login',
        headers: [['origin', m.server.origin]] as Array<[string, string]>,
        body: body(address),
      })
      const passkeyOnly = await send(m.server.baseUrl, opts(email))
      const wrong = await send(m.server.baseUrl, opts(other.email))
      assertProblem(passkeyOnly, 401, 'invalid_credentials')
      assert.equal(passkeyOnly.text, wrong.text, 'the same body as a wrong password')
      for (const empty of ['', ' ']) {
        const answer = await send(m.server.baseUrl, { ...opts(email), body: { email, password: empty } })
        assert.notEqual(answer.status, 200, 'no password, not even an empty one, opens it')
      }
    })

    test('a passkey-only account sets its first password without a current one, after step-up', async () => {
      const { email, token } = await invite()
      const authenticator = new SoftAuthenticator()
      const session = sessionOf(await finish(await ceremony(token, authenticator)))
      m.server.clock.advance(PAST_LIMIT_MS)
      const set = { method: 'POST', path: '/auth/password', body: { newPassword: NEW_PASSWORD } }
      assertProblem(await withSession(m.server, session, set), 401, 'reauth_required')
      const withPassword = { method: 'POST', path: '/auth/reauth', body: { password: 'a guess at nothing' } }
      assertProblem(await withSession(m.server, session, withPassword), 401, 'reauth_failed')
      const { options, ceremony: proof } = await passkeyOptions(m.server)
      const reauth = await withSession(m.server, session, {
        method: 'POST',
        path: '/auth/reauth',
        body: { passkey: { ceremony: proof, response: authenticator.assert(options, m.server.origin) } },
      })
      assert.equal(reauth.status, 200, reauth.text)
      const newEmail = `moved-${Date.now()}@example.com`
      const move = { method: 'POST', path: '/auth/email/change', body: { newEmail } }
      assert.equal(
        (await withSession(m.server, session, move)).status,
        202,
        'no password to give for an email change either',
      )
      await m.smtp.next(newEmail)
      const done = await withSession(m.server, session, set)
      assert.equal(done.status, 204, done.text)
      await login(m.server, email, NEW_PASSWORD)
      const noCurrent = await withSession(m.server, session, {
        method: 'POST',
        path: '/auth/password',
        body: { newPassword: `${NEW_PASSWORD} again` },
      })
      assertProblem(noCurrent, 400, 'validation_failed')
    })

    test('a spent or expired token is refused with its own code, before any ceremony', async () => {
      const spent = await invite()
      assert.equal((await finish(await ceremony(spent.token))).status, 201)
      const options = (token: string) => m.post('/auth/invitations/passkey/options', { token })
      assertProblem(await options(spent.token), 410, 'token_used')
      const expired = await invite()
      const late = await ceremony(expired.token)
      m.server.clock.advance(7 * 24 * 3_600_000 + 1)
      assertProblem(await options(expired.token), 410, 'token_expired')
      // The ceremony (5 minutes) died long before: nothing is created.
      assertProblem(await finish(late), 401, 'invalid_challenge')
      assert.equal(await m.server.stores.stores.users.findByEmailKey(expired.email), undefined)
    })

    test('two acceptances of one invitation in parallel: one account, the other gets token_used', async () => {
      const { email, token } = await invite()
      const [a, b] = [await ceremony(token), await ceremony(token)]
      const answers = await Promise.all([finish(a), finish(b)])
      assert.deepEqual(answers.map((x) => x.status).sort(), [201, 410], answers.map((x) => x.text).join())
      const loser = answers.find((x) => x.status === 410)
      assert.equal(loser?.json.code, 'token_used')
      const user = await m.server.stores.stores.users.findByEmailKey(email)
      assert.ok(user)
      assert.equal((await m.server.stores.stores.passkeys.listForUser(user.id)).length, 1)
    })

    test('a ceremony used twice, or started for another invitation, answers invalid_challenge and spends nothing', async () => {
      const first = await invite()
      const body = await ceremony(first.token)
      assert.equal((await finish(body)).status, 201)
      assertProblem(await finish(body), 401, 'invalid_challenge')
      const second = await invite()
      const foreign = await ceremony((await invite()).token)
      assertProblem(await finish({ ...foreign, token: second.token }), 401, 'invalid_challenge')
      assert.equal((await finish(await ceremony(second.token))).status, 201, 'the token was not spent')
    })

    test('a registration without user verification is refused and the token stays live', async () => {
      const { token } = await invite()
      const started = await m.post('/auth/invitations/passkey/options', { token })
      const response = new SoftAuthenticator().register(started.json.options, m.server.origin, { uv: false })
      assertProblem(
        await finish({ token, ceremony: started.json.ceremony, response }),
        401,
        'invalid_passkey',
      )
      assert.equal((await finish(await ceremony(token))).status, 201)
    })
  })
}
