import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { test } from 'node:test'
import { setTimeout as sleep } from 'node:timers/promises'
import { Redis } from 'ioredis'
import { freshDatabase } from '../support/databases.ts'
import { startDirectoryInstance } from '../support/directory-instance.ts'
import { freePorts } from './free-ports.ts'
import { Cluster } from './scale-helpers.ts'

const REDIS_URL = 'redis://127.0.0.1:6379/12'

test('SIGTERM finishes the requests in flight, closes the pools and exits 0', {
  timeout: 60_000,
}, async () => {
  const db = await freshDatabase('postgres')
  // Counters live in Redis: start from none, or earlier runs' logins would count against this one.
  const redis = new Redis(REDIS_URL)
  await redis.flushdb()
  redis.disconnect()
  const [port, publicPort] = await freePorts(2)
  const cluster = new Cluster(publicPort as number)
  const instance = await startDirectoryInstance(port as number, {
    DATABASE_URL: db.url,
    REDIS_URL,
    PUBLIC_ORIGIN: cluster.origin,
    TESSERA_SECRET: randomBytes(32).toString('hex'),
    THROTTLE_IP_ATTEMPTS: '1000',
    // Fastify logs each request as it reads it: the test signals only once all have been read.
    LOG_LEVEL: 'info',
  })
  try {
    const user = instance.demo.find((d) => d.role === 'user')
    assert.ok(user)
    // 200 logins take ~500 ms of Argon2id on two cores. SIGTERM comes once the server has read
    // them all (it logs each as it reads it), so most are still hashing: every one must be answered.
    const read = () => instance.output().match(/incoming request/g)?.length ?? 0
    const before = read()
    const logins = Array.from({ length: 200 }, () =>
      cluster.request(port as number, 'POST', '/auth/login', [['origin', cluster.origin]], {
        email: user.email,
        password: user.password,
      }),
    )
    for (let waited = 0; read() < before + 200 && waited < 10_000; waited += 10) await sleep(10)
    assert.equal(read(), before + 200, 'the server read every request')
    let answered = 0
    for (const login of logins) void login.then(() => answered++)
    await sleep(0)
    const answeredAtSignal = answered
    const code = await instance.stop()
    const answers = await Promise.all(logins)
    assert.deepEqual(
      answers.map((a) => a.status),
      Array(200).fill(200),
    )
    assert.ok(
      answeredAtSignal < 200,
      `some logins were still in flight at the signal (${answeredAtSignal} answered)`,
    )
    assert.equal(code, 0)
    await assert.rejects(cluster.request(port as number, 'GET', '/api/ping'), 'no longer listening')
  } finally {
    await instance.kill()
    await db.drop()
  }
})
