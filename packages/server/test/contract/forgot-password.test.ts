import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { assertProblem, login, withSession } from '../../../../test/contract/session-helpers.ts'
import { ADAPTERS } from '../../../../test/support/auth-server.ts'
import { send } from '../../../../test/support/http-client.ts'
import { internals } from '../../src/core/internals.ts'
import { type MailServer, NEW_PASSWORD, startMailServer } from './account-mail-helpers.ts'

for (const adapter of ADAPTERS) {
  describe(`forgot and reset password on ${adapter}`, () => {
    let m: MailServer
    before(async () => {
      m = await startMailServer(adapter)
    })
    after(() => m.close())

    test('answers a known and an unknown address identically, and mails only the known one a link and a code', async () => {
      const user = await m.server.createUser()
      const known = await m.post('/auth/password/forgot', { email: user.email })
      const unknown = await m.post('/auth/password/forgot', { email: 'nobody-here@example.com' })
      assert.equal(known.status, 202)
      assert.deepEqual([unknown.status, unknown.text], [known.status, known.text])
      assert.equal(unknown.headers['content-type'], known.headers['content-type'])
      const mail = await m.smtp.next(user.email)
      assert.match(mail.subject, /^Directory: Reset your password$/)
      assert.match(mail.link ?? '', new RegExp(`^${m.server.origin}/#reset/[A-Za-z0-9_-]{43}$`))
      assert.match(mail.code ?? '', /^\d{6}$/)
      assert.match(mail.html, /Choose a new password/)
      await m.settle()
      assert.equal(m.smtp.mails.filter((x) => x.to === 'nobody-here@example.com').length, 0)
    })

    test('a reset link sets the password, ends every session and key, mails a notice, and works once', async () => {
      const user = await m.server.createUser()
      const session = await login(m.server, user.email, user.password)
      await m.post('/auth/password/forgot', { email: user.email })
      const mail = await m.smtp.next(user.email)
      const reset = await m.post('/auth/password/reset', { token: mail.token, newPassword: NEW_PASSWORD })
      assert.equal(reset.status, 204, reset.text)
      assertProblem(await withSession(m.server, session, { path: '/auth/me' }), 401, 'unauthenticated')
      await login(m.server, user.email, NEW_PASSWORD)
      const notice = await m.smtp.next(user.email)
      assert.match(notice.subject, /password was changed/)
      assert.doesNotMatch(notice.text, /\/#/, 'a notice holds no link that acts')
      const again = await m.post('/auth/password/reset', {
        token: mail.token,
        newPassword: `${NEW_PASSWORD}!`,
      })
      assertProblem(again, 410, 'token_used')
    })

    test('a refused new password keeps the link usable', async () => {
      const user = await m.server.createUser()
      await m.post('/auth/password/forgot', { email: user.email })
      const mail = await m.smtp.next(user.email)
      const weak = await m.post('/auth/password/reset', { token: mail.token, newPassword: 'password1234567' })
      assertProblem(weak, 400, 'validation_failed')
      assert.equal(
        (await m.post('/auth/password/reset', { token: mail.token, newPassword: NEW_PASSWORD })).status,
        204,
      )
    })

    test('the 6-digit code with the address resets the password too', async () => {
      const user = await m.server.createUser()
      await m.post('/auth/password/forgot', { email: user.email })
      const { code } = await m.smtp.next(user.email)
      const reset = await m.post('/auth/password/reset', {
        email: user.email,
        code,
        newPassword: NEW_PASSWORD,
      })
      assert.equal(reset.status, 204, reset.text)
      await login(m.server, user.email, NEW_PASSWORD)
    })

    test('five wrong codes kill the token: the right code and the link are refused after', async () => {
      const user = await m.server.createUser()
      await m.post('/auth/password/forgot', { email: user.email })
      const mail = await m.smtp.next(user.email)
      const wrong = mail.code === '000000' ? '000001' : '000000'
      const answers = []
      for (let i = 0; i < 5; i++)
        answers.push(
          await m.post('/auth/password/reset', { email: user.email, code: wrong, newPassword: NEW_PASSWORD }),
        )
      for (const a of answers.slice(0, 4)) assertProblem(a, 400, 'token_invalid')
      assertProblem(answers[4] as (typeof answers)[0], 410, 'token_used')
      const right = await m.post('/auth/password/reset', {
        email: user.email,
        code: mail.code,
        newPassword: NEW_PASSWORD,
      })
      assert.ok([400, 410].includes(right.status), right.text)
      assertProblem(
        await m.post('/auth/password/reset', { token: mail.token, newPassword: NEW_PASSWORD }),
        410,
        'token_used',
      )
      await login(m.server, user.email, user.password)
    })

    test('parallel code guesses never judge more than five', async () => {
      const user = await m.server.createUser()
      await m.post('/auth/password/forgot', { email: user.email })
      const mail = await m.smtp.next(user.email)
      const guesses = Array.from({ length: 30 }, (_, i) => String(i).padStart(6, '0')).filter(
        (c) => c !== mail.code,
      )
      await Promise.all(
        guesses.map((code) =>
          m.post('/auth/password/reset', { email: user.email, code, newPassword: NEW_PASSWORD }),
        ),
      )
      const rows = await m.server.stores.stores.accountTokens.list('reset', { limit: 500 })
      const token = rows.find((r) => r.userId === user.id)
      assert.equal(token?.attempts, 5)
      assert.equal(token?.endReason, 'exhausted')
    })

    test('refuses unknown, forged, expired and other-purpose tokens and changes nothing', async () => {
      const user = await m.server.createUser()
      const forged = 'A'.repeat(43)
      assertProblem(
        await m.post('/auth/password/reset', { token: forged, newPassword: NEW_PASSWORD }),
        400,
        'token_invalid',
      )
      assertProblem(
        await m.post('/auth/password/reset', { token: 'short', newPassword: NEW_PASSWORD }),
        400,
        'validation_failed',
      )
      const other = await internals(m.server.tessera).tokens.issue(
        'verify',
        { userId: user.id, email: user.email },
        m.server.clock.now,
      )
      assertProblem(
        await m.post('/auth/password/reset', { token: other.token, newPassword: NEW_PASSWORD }),
        400,
        'token_invalid',
      )
      await m.post('/auth/password/forgot', { email: user.email })
      const mail = await m.smtp.next(user.email)
      m.server.clock.advance(30 * 60_000 + 1)
      assertProblem(
        await m.post('/auth/password/reset', { token: mail.token, newPassword: NEW_PASSWORD }),
        410,
        'token_expired',
      )
      await login(m.server, user.email, user.password)
      const failed = await m.audits('token_failed')
      assert.ok(failed.some((e) => e.detail.reason === 'token_expired'))
      assert.ok(!JSON.stringify(failed).includes(String(mail.token)), 'the audit never holds a token')
    })

    test('a code for another account is refused', async () => {
      const [alice, bob] = [await m.server.createUser(), await m.server.createUser()]
      await m.post('/auth/password/forgot', { email: alice.email })
      const { code } = await m.smtp.next(alice.email)
      assertProblem(
        await m.post('/auth/password/reset', { email: bob.email, code, newPassword: NEW_PASSWORD }),
        400,
        'token_invalid',
      )
      assertProblem(
        await m.post('/auth/password/reset', {
          email: 'nobody@example.com',
          code,
          newPassword: NEW_PASSWORD,
        }),
        400,
        'token_invalid',
      )
    })

    test('a 1 MB address is refused before anything runs', async () => {
      const answer = await send(m.server.baseUrl, {
        method: 'POST',
        path: '/auth/password/forgot',
        headers: [['origin', m.server.origin]],
        body: { email: `${'a'.repeat(1024 * 1024)}@example.com` },
      })
      assert.ok([400, 413].includes(answer.status), answer.text)
      assert.match(String(answer.headers['content-type']), /^application\/problem\+json/)
    })
  })
}

describe('forgot password send limits', () => {
  let m: MailServer
  before(async () => {
    m = await startMailServer('fastify', { mailLimits: { perAddress: 3, perIp: 5 } })
  })
  after(() => m.close())

  test('holds back the fourth mail to one address an hour, with the same answer', async () => {
    const user = await m.server.createUser()
    const answers = []
    for (let i = 0; i < 4; i++) answers.push(await m.post('/auth/password/forgot', { email: user.email }))
    assert.deepEqual(new Set(answers.map((a) => `${a.status} ${a.text}`)).size, 1)
    await m.settle()
    assert.equal(m.smtp.mails.filter((x) => x.to === user.email.toLowerCase()).length, 3)
    assert.ok((await m.audits('mail_held')).some((e) => e.detail.limit === 'address'))
  })

  test('holds back mails past the per-IP limit, with the same answer', async () => {
    const emails = Array.from({ length: 3 }, (_, i) => `ip-limit-${i}@example.com`)
    const answers = []
    for (const email of emails) answers.push(await m.post('/auth/password/forgot', { email }))
    assert.equal(new Set(answers.map((a) => `${a.status} ${a.text}`)).size, 1)
    assert.ok((await m.audits('mail_held')).some((e) => e.detail.limit === 'ip'))
  })
})

describe('answer timing', () => {
  let m: MailServer
  before(async () => {
    m = await startMailServer('fastify', { openRegistration: true })
  })
  after(() => m.close())

  /** Medians of `a` and `b`, run alternately so that load on the machine falls on both alike. */
  async function medians(
    a: () => Promise<unknown>,
    b: () => Promise<unknown>,
    runs = 21,
  ): Promise<[number, number]> {
    const times: [number[], number[]] = [[], []]
    const time = async (request: () => Promise<unknown>, into: number[]) => {
      const started = performance.now()
      await request()
      into.push(performance.now() - started)
    }
    for (let i = 0; i < runs; i++) {
      await time(a, times[0])
      await time(b, times[1])
    }
    const median = (list: number[]) => list.sort((x, y) => x - y)[Math.floor(list.length / 2)] as number
    return [median(times[0]), median(times[1])]
  }

  /** Same class: within 10 ms or 50 % of each other (the request path does the same work for both). */
  function assertSameClass([known, unknown]: [number, number]): void {
    const slack = Math.max(10, 0.5 * Math.max(known, unknown))
    assert.ok(
      Math.abs(known - unknown) <= slack,
      `known ${known.toFixed(1)} ms vs unknown ${unknown.toFixed(1)} ms`,
    )
  }

  test('forgot password takes the same time for a known and an unknown address', async () => {
    const user = await m.server.createUser()
    assertSameClass(
      await medians(
        () => m.post('/auth/password/forgot', { email: user.email }),
        () => m.post('/auth/password/forgot', { email: 'unknown-timing@example.com' }),
      ),
    )
  })

  test('registration takes the same time for a taken and a free address', async () => {
    const user = await m.server.createUser()
    let n = 0
    const password = 'violet submarine under granite'
    assertSameClass(
      await medians(
        () => m.post('/auth/register', { email: user.email, password, name: 'T' }),
        () =>
          m.post('/auth/register', { email: `free-${++n}-${Date.now()}@example.com`, password, name: 'F' }),
      ),
    )
  })
})
