import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { test } from 'node:test'
import { type AuthServer, startAuthServer } from '../../../../test/support/auth-server.ts'
import { send } from '../../../../test/support/http-client.ts'
import { sharedPostgresRedis } from '../../../../test/support/sql-stores.ts'
import { internals } from '../../src/core/internals.ts'
import { NEW_PASSWORD } from './account-mail-helpers.ts'

const ROUNDS = 15
const RACERS_PER_INSTANCE = 4

test('two instances on PostgreSQL + Redis racing to consume one reset token: exactly one wins, every time', {
  timeout: 120_000,
}, async () => {
  const shared = await sharedPostgresRedis()
  const secret = randomBytes(32)
  const servers: AuthServer[] = []
  try {
    const options = { secret, throttle: { ipAttempts: 100_000 } }
    const a = await startAuthServer('fastify', { ...options, stores: shared.instance() })
    servers.push(a)
    const b = await startAuthServer('express', { ...options, stores: shared.instance() })
    servers.push(b)
    const user = await a.createUser()
    for (let round = 0; round < ROUNDS; round++) {
      const { token } = await internals(a.tessera).tokens.issue(
        'reset',
        { userId: user.id, email: user.email },
        a.clock.now,
      )
      const racers = [a, b].flatMap((server) =>
        Array.from({ length: RACERS_PER_INSTANCE }, (_, i) =>
          send(server.baseUrl, {
            method: 'POST',
            path: '/auth/password/reset',
            headers: [['origin', server.origin]],
            body: { token, newPassword: `${NEW_PASSWORD} ${round}-${i}` },
          }),
        ),
      )
      const answers = await Promise.all(racers)
      const statuses = answers.map((x) => x.status).sort()
      assert.deepEqual(statuses, [204, ...Array(2 * RACERS_PER_INSTANCE - 1).fill(410)], `round ${round}`)
      for (const loser of answers.filter((x) => x.status !== 204)) assert.equal(loser.json.code, 'token_used')
    }
    const consumed = await a.stores.stores.audit.list({
      limit: 1000,
      event: 'token_consumed',
      userId: user.id,
    })
    assert.equal(consumed.length, ROUNDS)
  } finally {
    for (const server of servers) await server.close().catch(() => {})
    for (const server of servers) await server.stores.close().catch(() => {})
    await shared.close()
  }
})
