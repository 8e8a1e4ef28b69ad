import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { test } from 'node:test'
import { assertProblem } from '../../../../test/contract/session-helpers.ts'
import { type AuthServer, startAuthServer } from '../../../../test/support/auth-server.ts'
import { DIALECTS } from '../../../../test/support/databases.ts'
import { DbscClient, parseChallenge } from '../../../../test/support/dbsc-client.ts'
import { openSqlStores, sharedPostgresRedis } from '../../../../test/support/sql-stores.ts'
import { BOUND_COOKIE, boundSession, TEN_MINUTES } from './dbsc-helpers.ts'

for (const dialect of DIALECTS) {
  test(`DBSC on ${dialect}: register, expire, refresh, and the thief refused`, {
    timeout: 60_000,
  }, async () => {
    const server = await startAuthServer('fastify', { stores: await openSqlStores(dialect) })
    try {
      const { client } = await boundSession(server)
      server.clock.advance(TEN_MINUTES + 1000)
      assertProblem(await client.send('GET', '/api/things'), 401, 'session_refresh_required')
      const stolen = new Map(client.jar)
      assert.equal((await client.refresh()).signed?.status, 200)
      assert.equal((await client.send('GET', '/api/things')).status, 200)
      const thief = client.at(server.baseUrl)
      thief.jar = new Map([...stolen].filter(([name]) => name !== BOUND_COOKIE))
      assertProblem(await thief.send('GET', '/api/things'), 401, 'session_refresh_required')
    } finally {
      await server.close()
      await server.stores.close()
    }
  })
}

test('DBSC across two instances on PostgreSQL + Redis: registered on A, refreshed on B, each challenge used once', {
  timeout: 60_000,
}, async () => {
  const shared = await sharedPostgresRedis()
  const secret = randomBytes(32)
  const servers: AuthServer[] = []
  try {
    const a = await startAuthServer('fastify', { secret, stores: shared.instance() })
    servers.push(a)
    const b = await startAuthServer('hono', { secret, stores: shared.instance() })
    servers.push(b)
    const { client: onA } = await boundSession(a)
    const onB = onA.at(b.baseUrl)
    assert.equal((await onB.send('GET', '/api/things')).status, 200, 'the bound cookie from A works on B')
    for (const server of servers) server.clock.advance(TEN_MINUTES + 1000)
    assertProblem(await onB.send('GET', '/api/things'), 401, 'session_refresh_required')
    assert.equal((await onB.refresh()).signed?.status, 200, 'B refreshes the key registered on A')
    assert.equal((await onA.send('GET', '/api/things')).status, 200)
    // A challenge from B, its proof sent to both instances at once, ten times each: one renewal.
    const challenge = parseChallenge(String((await onB.askChallenge()).headers['secure-session-challenge']))
    const jwt = onB.proof(challenge, false)
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? onA : onB).sendProof(jwt)),
    )
    assert.deepEqual(answers.map((r) => r.status).sort(), [200, ...Array(19).fill(401)])

    // B saw a session pending; once A has bound it, B requires the bound cookie within 5 s.
    const user = await a.createUser()
    const browser = new DbscClient(a.baseUrl)
    const loginAnswer = await browser.login(user.email, user.password)
    const viaB = browser.at(b.baseUrl)
    assert.equal((await viaB.send('GET', '/api/things')).status, 200, 'pending: an ordinary session')
    assert.equal((await browser.register(loginAnswer)).status, 200)
    viaB.jar.delete(BOUND_COOKIE)
    b.clock.advance(5_000)
    assertProblem(await viaB.send('GET', '/api/things'), 401, 'session_refresh_required')
  } finally {
    for (const server of servers) await server.close().catch(() => {})
    for (const server of servers) await server.stores.close().catch(() => {})
    await shared.close()
  }
})
