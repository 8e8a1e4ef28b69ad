import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { describe, test } from 'node:test'
import { setTimeout as sleep } from 'node:timers/promises'
import { freshDatabase } from '../support/databases.ts'
import { startDirectoryInstance } from '../support/directory-instance.ts'
import type { HttpAnswer } from '../support/http-client.ts'
import { type Throwaway, throwawayPostgres, throwawayRedis } from '../support/throwaway-services.ts'
import { freePorts } from './free-ports.ts'
import { Cluster } from './scale-helpers.ts'

/** Polls until `check` passes (bounded): the service recovers on its own. */
async function eventually(check: () => Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const until = Date.now() + timeoutMs
  while (Date.now() < until) {
    if (await check()) return
    await sleep(200)
  }
  assert.fail(`${what} within ${timeoutMs} ms`)
}

/**
 * The outage drill: `get` works; with the store stopped it and a login answer 503 with
 * Retry-After (never 200, never 500); with the store back, `get` works again on its own.
 */
async function drill(
  cluster: Cluster,
  port: number,
  user: { email: string; password: string },
  get: () => Promise<HttpAnswer>,
  store: Throwaway,
) {
  assert.equal((await get()).status, 200)
  await store.stop()
  const down = await get()
  assert.equal(down.status, 503, down.text)
  assert.equal(down.json.code, 'service_unavailable')
  assert.ok(Number(down.headers['retry-after']) > 0)
  const login = await cluster.request(port, 'POST', '/auth/login', [['origin', cluster.origin]], {
    email: user.email,
    password: user.password,
  })
  assert.equal(login.status, 503)
  await store.start()
  await eventually(async () => (await get()).status === 200, 'requests work again')
}

describe('stores down: fail closed, then recover', { timeout: 120_000 }, () => {
  test('Redis down: signed requests and logins get 503 with Retry-After, and work again when it returns', async () => {
    const [port, publicPort, redisPort] = await freePorts(3)
    const redis = await throwawayRedis(redisPort as number)
    const db = await freshDatabase('postgres')
    const cluster = new Cluster(publicPort as number)
    const instance = await startDirectoryInstance(port as number, {
      DATABASE_URL: db.url,
      REDIS_URL: redis.url,
      PUBLIC_ORIGIN: cluster.origin,
      TESSERA_SECRET: randomBytes(32).toString('hex'),
    })
    try {
      const user = instance.demo.find((d) => d.role === 'user')
      assert.ok(user)
      const key = await cluster.loginForKey(port as number, user.email, user.password)
      const get = () =>
        cluster.request(
          port as number,
          'GET',
          '/api/employees/7',
          cluster.signed(key, 'GET', '/api/employees/7'),
        )
      await drill(cluster, port as number, user, get, redis)
    } finally {
      await instance.stop()
      await redis.destroy()
      await db.drop()
    }
  })

  test('PostgreSQL down: requests that need it get 503 with Retry-After, and work again when it returns', async () => {
    const [port, publicPort, pgPort] = await freePorts(3)
    const pg = await throwawayPostgres(pgPort as number)
    const cluster = new Cluster(publicPort as number)
    const instance = await startDirectoryInstance(port as number, {
      DATABASE_URL: pg.url,
      PUBLIC_ORIGIN: cluster.origin,
      TESSERA_SECRET: randomBytes(32).toString('hex'),
    })
    try {
      const user = instance.demo.find((d) => d.role === 'user')
      assert.ok(user)
      const session = await cluster.login(port as number, user.email, user.password)
      const get = () =>
        cluster.request(port as number, 'GET', '/api/employees/7', [['cookie', session.cookie]])
      await drill(cluster, port as number, user, get, pg)
    } finally {
      await instance.stop()
      await pg.destroy()
    }
  })
})
