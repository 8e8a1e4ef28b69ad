import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { after, before, describe, test } from 'node:test'
import { assertProblem, login, withSession } from '../../../../test/contract/session-helpers.ts'
import { ADAPTERS, type AuthServer, startAuthServer } from '../../../../test/support/auth-server.ts'
import { sharedPostgresRedis } from '../../../../test/support/sql-stores.ts'
import { totpCode } from '../../../../test/support/totp-code.ts'
import { internals } from '../../src/core/internals.ts'
import { enrolTotp, passwordStep, secondStep } from './mfa-helpers.ts'

for (const adapter of ADAPTERS) {
  describe(`second-factor policy and admin reset on ${adapter}`, () => {
    let server: AuthServer
    const notices: Array<{ user: number; by: number }> = []
    before(async () => {
      server = await startAuthServer(adapter, {
        mfaRequiredRoles: ['admin'],
        throttle: { ipAttempts: 10_000 },
        onSecondFactorReset: ({ user, by }) => void notices.push({ user: user.id, by: by.id }),
      })
    })
    after(() => server.close())

    test('an admin without a second factor may only enrol; once enrolled everything is open', async () => {
      const admin = await server.createUser('admin')
      const session = await login(server, admin.email, admin.password)
      assertProblem(await withSession(server, session, { path: '/api/admin' }), 403, 'mfa_enrolment_required')
      assertProblem(
        await withSession(server, session, { path: '/api/things' }),
        403,
        'mfa_enrolment_required',
      )
      assertProblem(
        await withSession(server, session, { path: '/auth/admin/users' }),
        403,
        'mfa_enrolment_required',
      )
      const status = await withSession(server, session, { path: '/auth/mfa' })
      assert.deepEqual(status.json, { totp: false, recoveryCodesLeft: 0, required: true })
      assert.equal((await withSession(server, session, { path: '/auth/me' })).status, 200)
      await enrolTotp(server, session)
      assert.equal((await withSession(server, session, { path: '/api/admin' })).status, 200)
    })

    test('users of other roles are not held by the policy', async () => {
      const user = await server.createUser('user')
      const session = await login(server, user.email, user.password)
      assert.equal((await withSession(server, session, { path: '/api/things' })).status, 200)
    })

    test('an admin resets a user’s second factor after a recent proof: audited, user notified, login by password again', async () => {
      const admin = await server.createUser('admin')
      const adminSession = await login(server, admin.email, admin.password)
      await enrolTotp(server, adminSession)
      const user = await server.createUser('user')
      await enrolTotp(server, await login(server, user.email, user.password))
      server.clock.advance(301_000)
      const path = `/auth/admin/users/${user.id}/mfa`
      // The admin's session is older than the step-up limit now: re-authenticate first.
      const stale = await withSession(server, adminSession, { method: 'DELETE', path })
      assertProblem(stale, 401, 'reauth_required')
      const body = { password: admin.password }
      assert.equal(
        (await withSession(server, adminSession, { method: 'POST', path: '/auth/reauth', body })).status,
        200,
      )
      const reset = await withSession(server, adminSession, { method: 'DELETE', path })
      assert.equal(reset.status, 204, reset.text)
      assert.deepEqual(notices.at(-1), { user: user.id, by: admin.id })
      const [event] = await internals(server.tessera).stores.audit.list({
        limit: 1,
        userId: user.id,
        event: 'mfa_reset',
      })
      assert.equal(event?.detail.by, admin.id)
      await login(server, user.email, user.password)
      assertProblem(
        await withSession(server, adminSession, { method: 'DELETE', path }),
        409,
        'mfa_not_enabled',
      )
    })

    test('a user cannot reset anyone’s second factor', async () => {
      const user = await server.createUser('user')
      const session = await login(server, user.email, user.password)
      const answer = await withSession(server, session, {
        method: 'DELETE',
        path: `/auth/admin/users/${user.id}/mfa`,
      })
      assertProblem(answer, 403, 'forbidden')
    })
  })
}

test('two instances on PostgreSQL + Redis: a TOTP code accepted on A is refused on B', {
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
    b.clock.now = a.clock.now
    const user = await a.createUser()
    const { secret: seed } = await enrolTotp(a, await login(a, user.email, user.password))
    b.clock.now = a.clock.now
    const code = totpCode(seed, a.clock.now)
    const [onA, onB] = [
      await passwordStep(a, user.email, user.password),
      await passwordStep(b, user.email, user.password),
    ]
    const answers = await Promise.all([
      secondStep(a, { challenge: onA, code }),
      secondStep(b, { challenge: onB, code }),
    ])
    assert.deepEqual(answers.map((x) => x.status).sort(), [200, 401])
    const refused = answers.find((x) => x.status === 401)
    assert.ok(refused)
    assertProblem(refused, 401, 'invalid_mfa_code')
  } finally {
    for (const server of servers) await server.close().catch(() => {})
    for (const server of servers) await server.stores.close().catch(() => {})
    await shared.close()
  }
})
