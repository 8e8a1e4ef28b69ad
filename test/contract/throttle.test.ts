import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { startAuthServer } from '../support/auth-server.ts'
import type { HttpAnswer } from '../support/http-client.ts'
import { assertProblem, login, withSession } from './session-helpers.ts'
import { assertAllLimited, attemptLogin, inWaves, tally, WRONG } from './throttle-helpers.ts'

/** Issue 12, items 1–3, on the library defaults unless a test says otherwise; the clock stands still. */
describe('throttling under concurrency', { timeout: 120_000 }, () => {
  test('after 6 wrong logins, 30 parallel guesses including the right password are all refused while the delay holds', async () => {
    const server = await startAuthServer('fastify')
    try {
      const user = await server.createUser()
      for (let i = 0; i < 6; i++)
        assertProblem(await attemptLogin(server, user.email, WRONG), 401, 'invalid_credentials')
      const guesses = Array.from({ length: 30 }, (_, i) => (i === 17 ? user.password : `${WRONG} ${i}`))
      assertAllLimited(await Promise.all(guesses.map((p) => attemptLogin(server, user.email, p))), 1)
      server.clock.advance(1000)
      await login(server, user.email, user.password)
    } finally {
      await server.close()
    }
  })

  test('once the 1 s delay has passed, 30 parallel guesses get one check and the right password waits for the next delay', async () => {
    const server = await startAuthServer('fastify')
    try {
      const user = await server.createUser()
      for (let i = 0; i < 6; i++) await attemptLogin(server, user.email, WRONG)
      server.clock.advance(1000)
      const answers = await Promise.all(
        Array.from({ length: 30 }, (_, i) => attemptLogin(server, user.email, `${WRONG} ${i}`)),
      )
      assert.deepEqual(tally(answers), { 401: 1, 429: 29 })
      assertAllLimited([await attemptLogin(server, user.email, user.password)], 2)
      server.clock.advance(2000)
      await login(server, user.email, user.password)
    } finally {
      await server.close()
    }
  })

  test('after 5 wrong logins, 30 parallel wrong guesses get exactly one password check, as 30 sequential ones would', async () => {
    const server = await startAuthServer('fastify')
    try {
      const email = 'nobody-at-all@example.com'
      for (let i = 0; i < 5; i++)
        assertProblem(await attemptLogin(server, email, WRONG), 401, 'invalid_credentials')
      const answers = await Promise.all(Array.from({ length: 30 }, () => attemptLogin(server, email, WRONG)))
      assert.deepEqual(tally(answers), { 401: 1, 429: 29 })
      assertAllLimited(
        answers.filter((a) => a.status === 429),
        1,
      )
    } finally {
      await server.close()
    }
  })

  test('a stolen session guessing the current password in parallel is held to the same delay', async () => {
    const server = await startAuthServer('fastify')
    try {
      const user = await server.createUser()
      const session = await login(server, user.email, user.password)
      const change = (currentPassword: string) =>
        withSession(server, session, {
          method: 'POST',
          path: '/auth/password',
          body: { currentPassword, newPassword: 'a brand new passphrase for the test' },
        })
      for (let i = 0; i < 6; i++) assertProblem(await change(`${WRONG} ${i}`), 400, 'validation_failed')
      const guesses = Array.from({ length: 30 }, (_, i) => (i === 11 ? user.password : `${WRONG} ${i}`))
      assertAllLimited(await Promise.all(guesses.map(change)), 1)
      server.clock.advance(1000)
      const answers = await Promise.all(Array.from({ length: 30 }, (_, i) => change(`${WRONG} ${i}`)))
      assert.deepEqual(tally(answers), { 400: 1, 429: 29 })
      assertAllLimited([await change(user.password)], 2)
      server.clock.advance(2000)
      assert.equal((await change(user.password)).status, 204)
    } finally {
      await server.close()
    }
  })

  test('an office behind one address: 200 good logins in a minute all pass', async () => {
    const server = await startAuthServer('fastify')
    try {
      const staff = await Promise.all(Array.from({ length: 20 }, () => server.createUser()))
      const answers = await inWaves(200, 10, (i) => {
        const colleague = staff[i % staff.length] as (typeof staff)[number]
        return attemptLogin(server, colleague.email, colleague.password)
      })
      assert.deepEqual(tally(answers), { 200: 200 })
    } finally {
      await server.close()
    }
  })

  test('200 wrong passwords from one address: the first 100 are checked, the rest get 429 until the window ends', async () => {
    const server = await startAuthServer('fastify')
    try {
      const answers = await inWaves(200, 10, (i) => attemptLogin(server, `stuffed-${i}@example.com`, WRONG))
      assert.deepEqual(tally(answers), { 401: 100, 429: 100 })
      assertAllLimited(
        answers.filter((a) => a.status === 429),
        15 * 60,
      )
      const user = await server.createUser()
      assertProblem(await attemptLogin(server, user.email, user.password), 429, 'rate_limited')
      server.clock.advance(15 * 60_000)
      await login(server, user.email, user.password)
    } finally {
      await server.close()
    }
  })

  test('a storm of bogus logins: overflow gets 503 with Retry-After 1, and a real login still gets in at once', async () => {
    // Slow hashes (64 MiB, t = 3) and a short queue, so 150 parallel requests overflow it on any machine.
    const server = await startAuthServer('fastify', {
      passwordHashing: {
        memoryCost: 65_536,
        timeCost: 3,
        parallelism: 1,
        queueLength: 8,
        queueWaitMs: 20_000,
      },
      throttle: { freeFailures: 100_000, ipFailures: 100_000, ipAttempts: 100_000 },
    })
    try {
      const user = await server.createUser()
      let overflowed: () => void = () => {}
      const firstOverflow = new Promise<void>((resolve) => {
        overflowed = resolve
      })
      const storm = Array.from({ length: 150 }, async () => {
        const answer = await attemptLogin(server, 'victim@example.com', WRONG)
        if (answer.status === 503) overflowed()
        return { ...answer, at: performance.now() }
      })
      await firstOverflow
      const started = performance.now()
      const real = await attemptLogin(server, user.email, user.password)
      const realAt = performance.now()
      const bogus: Array<HttpAnswer & { at: number }> = await Promise.all(storm)
      assert.equal(real.status, 200, real.text)
      const counts = tally(bogus)
      assert.deepEqual(Object.keys(counts).sort(), ['401', '503'])
      for (const a of bogus.filter((b) => b.status === 503)) {
        assertProblem(a, 503, 'service_unavailable')
        assert.equal(a.headers['retry-after'], '1')
      }
      // Served ahead of the bogus logins already queued (it waited only for the hashes running),
      // and well within the queue's wait limit.
      const lastChecked = Math.max(...bogus.filter((b) => b.status === 401).map((b) => b.at))
      assert.ok(realAt < lastChecked, 'the real login was answered before the queued bogus ones')
      assert.ok(realAt - started < 5000, `the real login took ${Math.round(realAt - started)} ms`)
    } finally {
      await server.close()
    }
  })
})
