import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { after, before, describe, test } from 'node:test'
import { promisify } from 'node:util'
import { type FreshDatabase, freshDatabase } from '../support/databases.ts'
import { type DirectoryInstance, startDirectoryInstance } from '../support/directory-instance.ts'
import { TESSERA_CLI } from '../support/tessera-cli.ts'
import { type Throwaway, throwawayRedis } from '../support/throwaway-services.ts'
import { freePorts } from './free-ports.ts'
import { Cluster } from './scale-helpers.ts'

const run = promisify(execFile)

/** Issue 7: two `npm start` processes on two ports sharing real PostgreSQL and Redis. */
describe('two instances on PostgreSQL + Redis', { timeout: 120_000 }, () => {
  let db: FreshDatabase
  let a: DirectoryInstance
  let b: DirectoryInstance
  let cluster: Cluster
  let user: { email: string; password: string }
  let env: Record<string, string>
  let redis: Throwaway

  before(async () => {
    db = await freshDatabase('postgres')
    const [portA, portB, publicPort, redisPort] = await freePorts(4)
    // A Redis server of this file's own: its counters start from none, and nobody else's data is touched.
    redis = await throwawayRedis(redisPort as number)
    cluster = new Cluster(publicPort as number)
    env = {
      DATABASE_URL: db.url,
      REDIS_URL: redis.url,
      TESSERA_SECRET: randomBytes(32).toString('hex'),
      PUBLIC_ORIGIN: cluster.origin,
    }
    a = await startDirectoryInstance(portA as number, env)
    b = await startDirectoryInstance(portB as number, env)
    const demo = a.demo.find((d) => d.role === 'user')
    assert.ok(demo, 'the first instance made the demo accounts')
    user = demo
  })
  after(async () => {
    await Promise.all([a?.stop(), b?.stop()])
    await redis?.destroy()
    await db?.drop()
  })

  test('a session made on A works on B', async () => {
    const session = await cluster.login(a.port, user.email, user.password)
    const onB = await cluster.request(b.port, 'GET', '/api/employees/7', [['cookie', session.cookie]])
    assert.equal(onB.status, 200, onB.text)
  })

  test('a signed request accepted by A and replayed to B is rejected', async () => {
    const key = await cluster.loginForKey(a.port, user.email, user.password)
    const headers = cluster.signed(key, 'GET', '/api/employees/7')
    assert.equal((await cluster.request(a.port, 'GET', '/api/employees/7', headers)).status, 200)
    const replay = await cluster.request(b.port, 'GET', '/api/employees/7', headers)
    assert.equal(replay.status, 401)
    assert.equal(replay.json.code, 'replayed_signature')
  })

  test('revoking on A is honoured by B on the very next request, even with B caching the credential', async () => {
    const session = await cluster.login(a.port, user.email, user.password)
    const key = await cluster.loginForKey(a.port, user.email, user.password)
    // Both credentials used on B three times: from the second use on, B answers from its cache.
    const statusesOnB = async () => [
      (await cluster.request(b.port, 'GET', '/api/employees/7', [['cookie', session.cookie]])).status,
      (
        await cluster.request(
          b.port,
          'GET',
          '/api/employees/7',
          cluster.signed(key, 'GET', '/api/employees/7'),
        )
      ).status,
    ]
    for (let i = 0; i < 3; i++) assert.deepEqual(await statusesOnB(), [200, 200])
    const out = await cluster.request(a.port, 'POST', '/auth/logout', [
      ['cookie', session.cookie],
      ['origin', cluster.origin],
      ['x-csrf-token', session.csrf],
    ])
    assert.equal(out.status, 204)
    const keyOut = await cluster.request(
      a.port,
      'POST',
      '/auth/logout',
      cluster.signed(key, 'POST', '/auth/logout'),
    )
    assert.equal(keyOut.status, 204)
    assert.deepEqual(await statusesOnB(), [401, 401])
  })

  test('wrong-password throttling counts across both instances', async () => {
    const email = `nobody-${randomBytes(4).toString('hex')}@example.com`
    const attempt = (port: number) =>
      cluster.request(port, 'POST', '/auth/login', [['origin', cluster.origin]], {
        email,
        password: 'a wrong password, long enough',
      })
    const statuses: number[] = []
    for (let i = 0; i < 6; i++) statuses.push((await attempt(i % 2 === 0 ? a.port : b.port)).status)
    assert.deepEqual(statuses, [401, 401, 401, 401, 401, 401])
    const limited = await attempt(b.port)
    assert.equal(limited.status, 429, 'the sixth failure, three of them on A, started the delay on B')
    assert.ok(Number(limited.headers['retry-after']) >= 1)
  })

  test('the CLI revoking a user is honoured by both instances on the next request', async () => {
    const session = await cluster.login(a.port, user.email, user.password)
    for (const port of [a.port, b.port]) {
      assert.equal(
        (await cluster.request(port, 'GET', '/api/employees/7', [['cookie', session.cookie]])).status,
        200,
      )
    }
    const { stdout } = await run(process.execPath, [TESSERA_CLI, 'user', 'revoke', user.email], {
      env: { ...process.env, ...env },
      timeout: 20_000,
    })
    assert.match(stdout, /credential\(s\) of .* revoked/)
    for (const port of [a.port, b.port]) {
      assert.equal(
        (await cluster.request(port, 'GET', '/api/employees/7', [['cookie', session.cookie]])).status,
        401,
      )
    }
  })
})
