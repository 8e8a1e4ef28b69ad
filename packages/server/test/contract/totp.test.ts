import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { assertProblem, login, withSession } from '../../../../test/contract/session-helpers.ts'
import { ADAPTERS, type AuthServer, startAuthServer } from '../../../../test/support/auth-server.ts'
import { cookiePair, send } from '../../../../test/support/http-client.ts'
import { totpCode } from '../../../../test/support/totp-code.ts'
import { internals } from '../../src/core/internals.ts'
import { enrolTotp, passwordStep, secondStep } from './mfa-helpers.ts'

for (const adapter of ADAPTERS) {
  describe(`TOTP second factor on ${adapter}`, () => {
    let server: AuthServer
    before(async () => {
      // Every test logs in from 127.0.0.1: the per-IP budget is not what is tested here.
      server = await startAuthServer(adapter, { throttle: { ipAttempts: 10_000 } })
    })
    after(() => server.close())

    test('enrolment shows the secret, an otpauth URI and a local SVG QR code; a first code confirms it', async () => {
      const user = await server.createUser()
      const session = await login(server, user.email, user.password)
      const begun = await withSession(server, session, { method: 'POST', path: '/auth/mfa/totp', body: {} })
      assert.equal(begun.status, 200, begun.text)
      assert.match(begun.json.secret, /^[A-Z2-7]{32}$/)
      assert.match(begun.json.uri, /^otpauth:\/\/totp\/.*algorithm=SHA1.*digits=6.*period=30/)
      assert.match(begun.json.qrCode, /^data:image\/svg\+xml;base64,/)
      const wrong = await withSession(server, session, {
        method: 'POST',
        path: '/auth/mfa/totp/confirm',
        body: { code: totpCode(begun.json.secret, server.clock.now + 120_000) },
      })
      assertProblem(wrong, 401, 'invalid_mfa_code')
      const code = totpCode(begun.json.secret, server.clock.now)
      const ok = await withSession(server, session, {
        method: 'POST',
        path: '/auth/mfa/totp/confirm',
        body: { code },
      })
      assert.equal(ok.status, 200, ok.text)
      assert.equal(ok.json.recoveryCodes.length, 10)
      assert.equal(new Set(ok.json.recoveryCodes).size, 10)
      const status = await withSession(server, session, { path: '/auth/mfa' })
      assert.deepEqual(status.json, { totp: true, recoveryCodesLeft: 10, required: false })
    })

    test('enrolling needs a recent proof of the user', async () => {
      const user = await server.createUser()
      const session = await login(server, user.email, user.password)
      server.clock.advance(301_000)
      const answer = await withSession(server, session, { method: 'POST', path: '/auth/mfa/totp', body: {} })
      assertProblem(answer, 401, 'reauth_required')
    })

    test('a second enrolment while one is confirmed is refused', async () => {
      const user = await server.createUser()
      const session = await login(server, user.email, user.password)
      await enrolTotp(server, session)
      const again = await withSession(server, session, { method: 'POST', path: '/auth/mfa/totp', body: {} })
      assertProblem(again, 409, 'mfa_already_enabled')
    })

    test('with TOTP the password alone answers mfa_required; the code completes the login', async () => {
      const user = await server.createUser()
      const { secret } = await enrolTotp(server, await login(server, user.email, user.password))
      const challenge = await passwordStep(server, user.email, user.password)
      const done = await secondStep(server, { challenge, code: totpCode(secret, server.clock.now) })
      assert.equal(done.status, 200, done.text)
      assert.equal(done.json.user.email, user.email)
      const cookie = cookiePair(done.setCookies[0] as string)
      const me = await send(server.baseUrl, { path: '/auth/me', headers: [['cookie', cookie]] })
      assert.equal(me.status, 200)
    })

    test('a code is accepted once per time step: its replay in another login is refused', async () => {
      const user = await server.createUser()
      const { secret } = await enrolTotp(server, await login(server, user.email, user.password))
      const code = totpCode(secret, server.clock.now)
      const first = await passwordStep(server, user.email, user.password)
      assert.equal((await secondStep(server, { challenge: first, code })).status, 200)
      const second = await passwordStep(server, user.email, user.password)
      assertProblem(await secondStep(server, { challenge: second, code }), 401, 'invalid_mfa_code')
      server.clock.advance(30_000)
      const next = await secondStep(server, { challenge: second, code: totpCode(secret, server.clock.now) })
      assert.equal(next.status, 200, 'the next step’s code passes')
    })

    test('a code two steps old is refused', async () => {
      const user = await server.createUser()
      const { secret } = await enrolTotp(server, await login(server, user.email, user.password))
      const challenge = await passwordStep(server, user.email, user.password)
      const old = totpCode(secret, server.clock.now - 60_000)
      assertProblem(await secondStep(server, { challenge, code: old }), 401, 'invalid_mfa_code')
    })

    test('many parallel answers with one code yield exactly one login', async () => {
      const user = await server.createUser()
      const { secret } = await enrolTotp(server, await login(server, user.email, user.password))
      const challenges = await Promise.all(
        Array.from({ length: 8 }, () => passwordStep(server, user.email, user.password)),
      )
      const code = totpCode(secret, server.clock.now)
      const answers = await Promise.all(
        challenges.map((challenge) => secondStep(server, { challenge, code })),
      )
      assert.equal(answers.filter((a) => a.status === 200).length, 1)
      // The losers are refused; past 5 failures the per-user budget answers 429 instead.
      for (const a of answers.filter((a) => a.status !== 200))
        assert.ok(['invalid_mfa_code', 'rate_limited'].includes(a.json.code), a.text)
    })

    test('a recovery code logs in once; used twice it is refused', async () => {
      const user = await server.createUser()
      const { recoveryCodes } = await enrolTotp(server, await login(server, user.email, user.password))
      const recoveryCode = (recoveryCodes[3] as string).toLowerCase()
      const first = await passwordStep(server, user.email, user.password)
      assert.equal((await secondStep(server, { challenge: first, recoveryCode })).status, 200)
      const second = await passwordStep(server, user.email, user.password)
      assertProblem(await secondStep(server, { challenge: second, recoveryCode }), 401, 'invalid_mfa_code')
    })

    test('a challenge is single-use, dies after 5 minutes and after 5 wrong answers', async () => {
      const user = await server.createUser()
      const { secret } = await enrolTotp(server, await login(server, user.email, user.password))
      const used = await passwordStep(server, user.email, user.password)
      assert.equal(
        (await secondStep(server, { challenge: used, code: totpCode(secret, server.clock.now) })).status,
        200,
      )
      server.clock.advance(30_000)
      const code = () => totpCode(secret, server.clock.now)
      assertProblem(await secondStep(server, { challenge: used, code: code() }), 401, 'invalid_challenge')
      const late = await passwordStep(server, user.email, user.password)
      server.clock.advance(5 * 60_000 + 1)
      assertProblem(await secondStep(server, { challenge: late, code: code() }), 401, 'invalid_challenge')
      const guessed = await passwordStep(server, user.email, user.password)
      for (let i = 0; i < 5; i++) await secondStep(server, { challenge: guessed, code: '000000' })
      const afterGuesses = await secondStep(server, { challenge: guessed, code: code() })
      assert.ok(['invalid_challenge', 'rate_limited'].includes(afterGuesses.json.code), afterGuesses.text)
    })

    test('guessing codes is throttled like logins (429 with Retry-After)', async () => {
      const user = await server.createUser()
      await enrolTotp(server, await login(server, user.email, user.password))
      let answer = await secondStep(server, {
        challenge: await passwordStep(server, user.email, user.password),
        code: '000000',
      })
      for (let i = 0; i < 12 && answer.status !== 429; i++) {
        const challenge = await passwordStep(server, user.email, user.password)
        answer = await secondStep(server, { challenge, code: '000000' })
      }
      assertProblem(answer, 429, 'rate_limited')
      assert.ok(Number(answer.headers['retry-after']) > 0)
    })

    test("a challenge answered with another account's code is refused", async () => {
      const alice = await server.createUser()
      const bob = await server.createUser()
      await enrolTotp(server, await login(server, alice.email, alice.password))
      const bobs = await enrolTotp(server, await login(server, bob.email, bob.password))
      const challenge = await passwordStep(server, alice.email, alice.password)
      const answer = await secondStep(server, { challenge, code: totpCode(bobs.secret, server.clock.now) })
      assertProblem(answer, 401, 'invalid_mfa_code')
      const recovery = await secondStep(server, { challenge, recoveryCode: bobs.recoveryCodes[0] })
      assertProblem(recovery, 401, 'invalid_mfa_code')
    })

    test('bad second-step input gets validation_failed or invalid_challenge', async () => {
      assertProblem(await secondStep(server, { challenge: 'x'.repeat(43) }), 400, 'validation_failed')
      assertProblem(
        await secondStep(server, { challenge: 'x'.repeat(43), code: '1' }),
        401,
        'invalid_challenge',
      )
      assertProblem(
        await secondStep(server, { challenge: 'short', code: '123456' }),
        400,
        'validation_failed',
      )
    })

    test('the key login (mobile) takes the second step too and yields a working signing key', async () => {
      const user = await server.createUser()
      const { secret } = await enrolTotp(server, await login(server, user.email, user.password))
      const challenge = await passwordStep(server, user.email, user.password, { credential: 'key' })
      const done = await secondStep(server, { challenge, code: totpCode(secret, server.clock.now) })
      assert.equal(done.status, 200, done.text)
      assert.match(done.json.key.id, /^key_/)
      assert.equal(typeof done.json.key.secret, 'string')
      assert.deepEqual(done.setCookies, [])
    })

    test('a TOTP code re-authenticates; disabling needs that, then logins need the password only', async () => {
      const user = await server.createUser()
      const session = await login(server, user.email, user.password)
      const { secret } = await enrolTotp(server, session)
      server.clock.advance(301_000)
      const refused = await withSession(server, session, { method: 'DELETE', path: '/auth/mfa/totp' })
      assertProblem(refused, 401, 'reauth_required')
      const code = totpCode(secret, server.clock.now)
      const again = await withSession(server, session, {
        method: 'POST',
        path: '/auth/reauth',
        body: { code },
      })
      assert.equal(again.status, 200, again.text)
      const off = await withSession(server, session, { method: 'DELETE', path: '/auth/mfa/totp' })
      assert.equal(off.status, 204, off.text)
      await login(server, user.email, user.password)
      const twice = await withSession(server, session, { method: 'DELETE', path: '/auth/mfa/totp' })
      assertProblem(twice, 409, 'mfa_not_enabled')
    })

    test('enrolment, use, failure and removal are audited', async () => {
      const user = await server.createUser()
      const session = await login(server, user.email, user.password)
      const { secret } = await enrolTotp(server, session)
      const challenge = await passwordStep(server, user.email, user.password)
      await secondStep(server, { challenge, code: '000000' })
      await secondStep(server, { challenge, code: totpCode(secret, server.clock.now) })
      await withSession(server, session, { method: 'DELETE', path: '/auth/mfa/totp' })
      const events = (await internals(server.tessera).stores.audit.list({ limit: 50, userId: user.id })).map(
        (e) => e.event,
      )
      for (const name of ['mfa_enrolled', 'mfa_fail', 'mfa_success', 'mfa_disabled'])
        assert.ok(events.includes(name as never), `${name} in ${events.join(', ')}`)
    })
  })
}
