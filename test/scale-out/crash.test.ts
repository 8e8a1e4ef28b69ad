import assert from 'node:assert/strict'
import { type KeyObject, randomBytes } from 'node:crypto'
import { rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, test } from 'node:test'
import { freshDatabase } from '../support/databases.ts'
import { startDirectoryInstance } from '../support/directory-instance.ts'
import { throwawayRedis } from '../support/throwaway-services.ts'
import { freePorts } from './free-ports.ts'
import { Cluster } from './scale-helpers.ts'

const PASSWORD = 'a perfectly long passphrase'

interface Outcomes {
  registered: string[]
  sessions: Array<{ cookie: string }>
  revoked: Array<{ cookie: string }>
  keys: Array<{ id: string; key: KeyObject }>
}

/** Acknowledged writes of each kind to see before the crash: the kill then lands mid-load. */
const BEFORE_CRASH = 8

/**
 * Write load against one instance: registrations, logins, and logouts of some of those
 * sessions, until `load.stop()`. Only what the server acknowledged is recorded; requests cut
 * off by the crash have no known outcome and are not counted. `underWay` resolves once
 * BEFORE_CRASH registrations and revocations have been acknowledged.
 */
function writeLoad(cluster: Cluster, port: number) {
  const out: Outcomes = { registered: [], sessions: [], revoked: [], keys: [] }
  let stopped = false
  const underWay = Promise.withResolvers<void>()
  const progressed = () => {
    if (out.registered.length >= BEFORE_CRASH && out.revoked.length >= BEFORE_CRASH) underWay.resolve()
  }
  const worker = async () => {
    while (!stopped) {
      const email = `crash-${randomBytes(6).toString('hex')}@example.com`
      try {
        const reg = await cluster.request(port, 'POST', '/auth/register', [['origin', cluster.origin]], {
          email,
          password: PASSWORD,
          name: 'Crash Test',
        })
        if (reg.status !== 202) continue
        out.registered.push(email)
        out.keys.push(await cluster.loginForKey(port, email, PASSWORD))
        const session = await cluster.login(port, email, PASSWORD)
        if (out.sessions.length % 2 === 0) {
          out.sessions.push(session)
          continue
        }
        const bye = await cluster.request(port, 'POST', '/auth/logout', [
          ['cookie', session.cookie],
          ['origin', cluster.origin],
          ['x-csrf-token', session.csrf],
        ])
        if (bye.status === 204) out.revoked.push(session)
        else out.sessions.push(session)
        progressed()
      } catch {
        // Cut off by the crash (or refused after it): no known outcome; the loop ends once stopped.
      }
    }
  }
  const workers = Promise.all(Array.from({ length: 6 }, worker))
  return {
    underWay: underWay.promise,
    async stop(): Promise<Outcomes> {
      stopped = true
      await workers
      return out
    },
  }
}

async function verify(cluster: Cluster, port: number, out: Outcomes): Promise<void> {
  assert.ok(out.registered.length > 5, `some writes were acknowledged (${out.registered.length})`)
  for (const email of out.registered) await cluster.login(port, email, PASSWORD)
  for (const s of out.sessions) {
    assert.equal(
      (await cluster.request(port, 'GET', '/auth/me', [['cookie', s.cookie]])).status,
      200,
      'an acknowledged session survives',
    )
  }
  for (const s of out.revoked) {
    assert.equal(
      (await cluster.request(port, 'GET', '/auth/me', [['cookie', s.cookie]])).status,
      401,
      'an acknowledged revocation survives',
    )
  }
  for (const k of out.keys) {
    const headers = cluster.signed(k, 'GET', '/auth/me')
    assert.equal(
      (await cluster.request(port, 'GET', '/auth/me', headers)).status,
      200,
      'an acknowledged key survives',
    )
  }
}

/**
 * Write load on instance A, `kill -9` of A in the middle of it, then every acknowledged write
 * checked on the survivor B (when there is one: shared stores) and on A restarted.
 */
async function crashMidLoad(env: Record<string, string>, withSurvivor: boolean) {
  const [portA, portB, publicPort] = (await freePorts(3)) as [number, number, number]
  const cluster = new Cluster(publicPort)
  const full = {
    ...env,
    PUBLIC_ORIGIN: cluster.origin,
    TESSERA_SECRET: randomBytes(32).toString('hex'),
    THROTTLE_IP_ATTEMPTS: '100000',
    // The load registers accounts: no verification tokens, and the welcome mails go nowhere
    // (refused at once, audited as failed).
    OPEN_REGISTRATION: 'true',
    EMAIL_VERIFICATION: 'off',
    SMTP_URL: 'smtp://127.0.0.1:1',
  }
  let a = await startDirectoryInstance(portA, full)
  const b = withSurvivor ? await startDirectoryInstance(portB, full) : undefined
  try {
    const load = writeLoad(cluster, portA)
    await load.underWay
    await a.kill()
    const outcomes = await load.stop()
    if (b !== undefined) await verify(cluster, b.port, outcomes)
    a = await startDirectoryInstance(portA, full)
    await verify(cluster, portA, outcomes)
  } finally {
    await Promise.all([a.stop(), b?.stop()])
  }
}

describe('kill -9 under write load', { timeout: 120_000 }, () => {
  test('PostgreSQL + Redis, two instances: no acknowledged user, session, key or revocation is lost', async () => {
    const [redisPort] = (await freePorts(1)) as [number]
    // A Redis server of this test's own: nobody else's data is touched.
    const redis = await throwawayRedis(redisPort)
    const db = await freshDatabase('postgres')
    try {
      await crashMidLoad({ DATABASE_URL: db.url, REDIS_URL: redis.url }, true)
    } finally {
      await redis.destroy()
      await db.drop()
    }
  })

  test('SQLite: no acknowledged user, session, key or revocation is lost', async () => {
    const file = join(tmpdir(), `crash-${process.pid}-${Date.now()}.db`)
    try {
      await crashMidLoad({ DATABASE_URL: `sqlite:${file}`, TESSERA_SECRET_FILE: `${file}.secret` }, false)
    } finally {
      for (const suffix of ['', '-wal', '-shm', '.secret']) rmSync(file + suffix, { force: true })
    }
  })
})
