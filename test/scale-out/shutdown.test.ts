import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { test } from 'node:test'
import { setTimeout as sleep } from 'node:timers/promises'
import { freshDatabase } from '../support/databases.ts'
import { startDirectoryInstance } from '../support/directory-instance.ts'
import { freePorts } from './free-ports.ts'
import { Cluster } from './scale-helpers.ts'

test('SIGTERM finishes the requests in flight, closes the pools and exits 0', {
  timeout: 60_000,
}, async () => {
  const db = await freshDatabase('postgres')
  const [port, publicPort] = await freePorts(2)
  const cluster = new Cluster(publicPort as number)
  const instance = await startDirectoryInstance(port as number, {
    DATABASE_URL: db.url,
    REDIS_URL: 'redis://127.0.0.1:6379/11',
    PUBLIC_ORIGIN: cluster.origin,
    TESSERA_SECRET: randomBytes(32).toString('hex'),
    THROTTLE_IP_ATTEMPTS: '1000',
  })
  try {
    const user = instance.demo.find((d) => d.role === 'user')
    assert.ok(user)
    // 60 logins take ~150 ms of Argon2id on two cores: once the server has read them all (a few ms
    // on loopback), most are still hashing when the signal comes, and every one must be answered.
    const logins = Array.from({ length: 60 }, () =>
      cluster.request(port as number, 'POST', '/auth/login', [['origin', cluster.origin]], {
        email: user.email,
        password: user.password,
      }),
    )
    await sleep(60)
    const code = await instance.stop()
    const answers = await Promise.all(logins)
    assert.deepEqual(
      answers.map((a) => a.status),
      Array(60).fill(200),
    )
    assert.equal(code, 0)
    await assert.rejects(cluster.request(port as number, 'GET', '/api/ping'), 'no longer listening')
  } finally {
    await instance.kill()
    await db.drop()
  }
})
