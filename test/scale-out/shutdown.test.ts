import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { test } from 'node:test'
import { freshDatabase } from '../support/databases.ts'
import { startDirectoryInstance } from '../support/directory-instance.ts'
import { throwawayRedis } from '../support/throwaway-services.ts'
import { freePorts } from './free-ports.ts'
import { Cluster } from './scale-helpers.ts'

/**
 * Enough logins that many are still hashing at the signal, few enough to be answered in time on a
 * loaded machine; within the hashing queue (64) and an address's failure budget (100), both of which
 * count logins in flight.
 */
const LOGINS = 60

test('SIGTERM finishes the requests in flight, closes the pools and exits 0', {
  timeout: 60_000,
}, async () => {
  const [port, publicPort, redisPort] = await freePorts(3)
  // Counters live in Redis: a server of this test's own starts from none and touches nobody else's data.
  const redis = await throwawayRedis(redisPort as number)
  const db = await freshDatabase('postgres')
  const cluster = new Cluster(publicPort as number)
  const instance = await startDirectoryInstance(port as number, {
    DATABASE_URL: db.url,
    REDIS_URL: redis.url,
    PUBLIC_ORIGIN: cluster.origin,
    TESSERA_SECRET: randomBytes(32).toString('hex'),
    THROTTLE_IP_ATTEMPTS: '1000',
    OPEN_REGISTRATION: 'true',
    // Fastify logs each request as it reads it: the test signals only once all have been read.
    LOG_LEVEL: 'info',
  })
  try {
    // One account each: parallel logins on one account are held to its free failures (docs/security.md §5).
    const password = randomBytes(12).toString('hex')
    const staff = Array.from({ length: LOGINS }, (_, i) => `shutdown-${i}@example.com`)
    for (let i = 0; i < staff.length; i += 8) {
      const wave = staff.slice(i, i + 8).map((email) =>
        cluster.request(port as number, 'POST', '/auth/register', [['origin', cluster.origin]], {
          email,
          password,
          name: 'Shutdown Test',
        }),
      )
      for (const made of await Promise.all(wave)) assert.equal(made.status, 202, made.text)
    }
    // Each login is an Argon2id run, a few at a time on two cores. SIGTERM comes once the server
    // has read them all (it logs each as it reads it), so most are still hashing: every one must be answered.
    const read = (output: string) => output.match(/incoming request/g)?.length ?? 0
    const before = read(instance.output())
    let answered = 0
    const logins = staff.map((email) =>
      cluster
        .request(port as number, 'POST', '/auth/login', [['origin', cluster.origin]], { email, password })
        .finally(() => answered++),
    )
    await instance.waitForOutput((output) => read(output) >= before + LOGINS, 'read every request')
    const answeredAtSignal = answered
    const code = await instance.stop()
    const answers = await Promise.all(logins)
    // Each answered: checked (200), or, on a slow machine, refused by the hashing queue's 2 s wait
    // limit (503 with Retry-After 1); never a store's 503 (Retry-After 5) from pools closed too early.
    for (const a of answers)
      assert.ok(a.status === 200 || (a.status === 503 && a.headers['retry-after'] === '1'), a.text)
    assert.ok(answers.some((a) => a.status === 200))
    assert.ok(
      answeredAtSignal < LOGINS,
      `some logins were still in flight at the signal (${answeredAtSignal} answered)`,
    )
    assert.equal(code, 0)
    await assert.rejects(cluster.request(port as number, 'GET', '/api/ping'), 'no longer listening')
  } finally {
    await instance.kill()
    await redis.destroy()
    await db.drop()
  }
})
