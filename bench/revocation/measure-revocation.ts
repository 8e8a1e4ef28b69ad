import { randomBytes } from 'node:crypto'
import { Redis } from 'ioredis'
import { Cluster } from '../../test/scale-out/scale-helpers.ts'
import { CredentialMint, type MintedSession } from '../../test/support/credential-mint.ts'
import { freshDatabase } from '../../test/support/databases.ts'
import { startDirectoryInstance } from '../../test/support/directory-instance.ts'
import { throwawayRedis } from '../../test/support/throwaway-services.ts'
import { freePort } from '../http/free-port.ts'
import { LatencyRecorder } from '../load/latency-recorder.ts'

export interface RevocationResult {
  instances: number
  rounds: number
  /** The revoking call (`POST /auth/logout` on A), acknowledged by both instances. */
  revoke: { p50Ms: number; p99Ms: number; maxMs: number }
  /** Requests on B, sent as soon as the logout was answered, that B still accepted: must be 0. */
  acceptedAfterRevocation: number
  /** Sequential authenticated reads (`GET /auth/me`) on B with its cache warm. */
  reads: { count: number; seconds: number; p50Ms: number; p99Ms: number }
  /** Redis commands the instances sent during those reads, other than their self-pings, per read. */
  redisCommandsPerRead: number
  /** PUBLISHes during the reads (each instance pings itself every 50 ms), per second. */
  pingsPerSecond: number
}

/**
 * Two `npm start` instances on a fresh PostgreSQL database and a redis-server of their own:
 * `rounds` times a fresh session is used twice on B (cached there), logged out on A (timed), and
 * sent to B at once; then `reads` cached reads on B, counting the Redis commands they caused.
 */
export async function measureRevocation(options: {
  rounds: number
  reads: number
}): Promise<RevocationResult> {
  const [portA, portB, redisPort, publicPort] = [
    await freePort(),
    await freePort(),
    await freePort(),
    await freePort(),
  ]
  const redis = await throwawayRedis(redisPort)
  const db = await freshDatabase('postgres')
  const cluster = new Cluster(publicPort)
  const secret = randomBytes(32).toString('hex')
  const env = {
    DATABASE_URL: db.url,
    REDIS_URL: redis.url,
    TESSERA_SECRET: secret,
    PUBLIC_ORIGIN: cluster.origin,
  }
  const a = await startDirectoryInstance(portA, env)
  const b = await startDirectoryInstance(portB, env).catch(async (error) => {
    await a.stop()
    throw error
  })
  const mint = CredentialMint.open(db.url, secret, cluster.origin)
  const stats = new Redis(redis.url)
  try {
    const me = async (port: number, session: MintedSession) =>
      (await cluster.request(port, 'GET', '/auth/me', [['cookie', session.cookie]])).status
    const revoke = new LatencyRecorder()
    let accepted = 0
    for (let round = 0; round < options.rounds; round++) {
      const session = await mint.session(await mint.user())
      for (let use = 0; use < 2; use++)
        if ((await me(portB, session)) !== 200) throw new Error('not accepted before')
      const headers: Array<[string, string]> = [
        ['cookie', session.cookie],
        ['origin', cluster.origin],
        ['x-csrf-token', session.csrf],
      ]
      const started = performance.now()
      const out = await cluster.request(portA, 'POST', '/auth/logout', headers)
      revoke.record(performance.now() - started)
      if (out.status !== 204) throw new Error(`logout answered ${out.status}`)
      if ((await me(portB, session)) !== 401) accepted++
    }
    const session = await mint.session(await mint.user())
    await me(portB, session)
    const before = await commandCounts(stats)
    const started = performance.now()
    const reads = new LatencyRecorder()
    for (let i = 0; i < options.reads; i++) {
      const t = performance.now()
      if ((await me(portB, session)) !== 200) throw new Error('a read was refused')
      reads.record(performance.now() - t)
    }
    const seconds = (performance.now() - started) / 1000
    const after = await commandCounts(stats)
    // INFO itself counts once per call.
    const others = after.total - before.total - (after.publish - before.publish) - 1
    const [p50, p99, max] = revoke.percentiles(50, 99, 100) as [number, number, number]
    const [r50, r99] = reads.percentiles(50, 99) as [number, number]
    return {
      instances: 2,
      rounds: options.rounds,
      revoke: { p50Ms: p50, p99Ms: p99, maxMs: max },
      acceptedAfterRevocation: accepted,
      reads: { count: options.reads, seconds, p50Ms: r50, p99Ms: r99 },
      redisCommandsPerRead: others / options.reads,
      pingsPerSecond: (after.publish - before.publish) / seconds,
    }
  } finally {
    stats.disconnect()
    await Promise.all([a.stop(), b.stop()])
    await mint.close()
    await redis.destroy()
    await db.drop()
  }
}

/** Commands Redis has executed so far, in all and PUBLISH alone (`INFO commandstats`). */
async function commandCounts(redis: Redis): Promise<{ total: number; publish: number }> {
  const info = await redis.info('commandstats')
  let total = 0
  let publish = 0
  for (const [, name, calls] of info.matchAll(/^cmdstat_(\S+?):calls=(\d+)/gm)) {
    total += Number(calls)
    if (name === 'publish') publish += Number(calls)
  }
  return { total, publish }
}

/** The result in three lines, as printed and as docs/benchmarks.md quotes it. */
export function formatRevocation(r: RevocationResult): string {
  return [
    `logout on A acknowledged by both instances, ${r.rounds} rounds: p50 ${r.revoke.p50Ms.toFixed(1)} ms, p99 ${r.revoke.p99Ms.toFixed(1)} ms, max ${r.revoke.maxMs.toFixed(1)} ms; ` +
      `accepted on B right after: ${r.acceptedAfterRevocation}`,
    `cached reads on B (${r.reads.count}, one at a time): p50 ${r.reads.p50Ms.toFixed(2)} ms, p99 ${r.reads.p99Ms.toFixed(2)} ms; ` +
      `Redis commands per read: ${r.redisCommandsPerRead.toFixed(3)} (self-pings: ${r.pingsPerSecond.toFixed(0)}/s for both instances, whatever the load)`,
  ].join('\n')
}
