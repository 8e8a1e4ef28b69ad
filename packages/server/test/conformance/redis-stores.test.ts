import assert from 'node:assert/strict'
import { type ChildProcess, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { once } from 'node:events'
import { createServer, type Server, type Socket } from 'node:net'
import { after, describe, test } from 'node:test'
import type { Redis } from 'ioredis'
import { openSqlStores } from '../../../../test/support/sql-stores.ts'
import { StoreUnavailableError } from '../../src/core/errors.ts'
import type { RevocationEvent } from '../../src/core/stores.ts'
import {
  connectRedis,
  createRedisStores,
  RedisNonceStore,
  RedisRateLimitStore,
  RedisRevocationBus,
  type RedisStores,
  whenReady,
  withRedis,
} from '../../src/stores/redis/index.ts'
import { nonceStoreSuite } from './nonce-store-suite.ts'
import { rateLimitStoreSuite } from './rate-limit-store-suite.ts'
import { revocationBusSuite } from './revocation-bus-suite.ts'
import { uniqueId } from './unique-id.ts'

/** The shared Redis, in a database of its own; every key of this run starts with PREFIX, deleted at the end. */
const REDIS_URL = 'redis://127.0.0.1:6379/7'
const PREFIX = `tessera-test-${randomBytes(6).toString('hex')}:`
const NOW = Date.UTC(2030, 0, 1)
/** What "bounded time" means here: the client's 2 s connect timeout plus slack. */
const BOUND_MS = 3_000
const WANTED = (process.env.STORES ?? 'redis').split(',').includes('redis')

async function openStores(url = REDIS_URL): Promise<RedisStores> {
  return createRedisStores(connectRedis(url), { keyPrefix: PREFIX })
}

const open = async () => {
  const stores = await openStores()
  return { stores, close: () => stores.close() }
}

const openBus = async () => {
  const client = connectRedis(REDIS_URL)
  await whenReady(client, BOUND_MS)
  // A generous bound: publish still answers as soon as every ack is in, and a loaded machine's
  // pause cannot turn a late ack into a miss (the bound itself is tested in redis-revocation-bus.test.ts).
  const bus = new RedisRevocationBus(client, { keyPrefix: PREFIX, ackTimeoutMs: 5_000 })
  return {
    bus,
    publishRaw: async (message: string) => void (await client.publish(`${PREFIX}revocations`, message)),
    close: async () => {
      await bus.close()
      client.disconnect()
    },
  }
}

/** A plain client for looking behind the stores; ready before `work` runs, closed after. */
async function withAdmin<T>(work: (client: Redis) => Promise<T>): Promise<T> {
  const client = connectRedis(REDIS_URL)
  try {
    await whenReady(client, BOUND_MS)
    return await work(client)
  } finally {
    client.disconnect()
  }
}

function deleteRunKeys(): Promise<void> {
  return withAdmin(async (client) => {
    for await (const keys of client.scanStream({ match: `${PREFIX}*`, count: 500 })) {
      if ((keys as string[]).length > 0) await client.unlink(...(keys as string[]))
    }
  })
}

const CALLS: Record<string, (stores: RedisStores) => Promise<unknown>> = {
  'nonces.consume': (s) => s.nonces.consume('key_x', uniqueId('n'), NOW + 1000, NOW),
  'nonces.deleteExpired': (s) => s.nonces.deleteExpired(NOW),
  'rateLimits.hit': (s) => s.rateLimits.hit('login:x', 1000, NOW),
  'rateLimits.reserve': (s) =>
    s.rateLimits.reserve('login:x', { windowMs: 1000, limit: 5, free: 5, pausesMs: [] }, NOW),
  'rateLimits.release': (s) => s.rateLimits.release('login:x', NOW),
  'rateLimits.peek': (s) => s.rateLimits.peek('login:x', NOW),
  'rateLimits.reset': (s) => s.rateLimits.reset('login:x'),
  'revocations.subscribe': (s) => s.revocations.subscribe(() => {}),
}

/**
 * Every store call rejects with StoreUnavailableError, each within BOUND_MS; a revocation is
 * not refused (it is already in the database) but answered unpublished, within the same bound.
 */
async function assertAllFailClosed(stores: RedisStores): Promise<void> {
  const published = async () => {
    const started = Date.now()
    const receipt = await stores.revocations.publish({ userId: 1 })
    assert.deepEqual(receipt, { published: false, expected: 0, confirmed: 0, unconfirmed: [] })
    const took = Date.now() - started
    assert.ok(took < BOUND_MS, `revocations.publish answered within ${BOUND_MS} ms (took ${took} ms)`)
  }
  await Promise.all([
    published(),
    ...Object.entries(CALLS).map(async ([name, call]) => {
      const started = Date.now()
      await assert.rejects(call(stores), StoreUnavailableError, name)
      const took = Date.now() - started
      assert.ok(took < BOUND_MS, `${name} answered within ${BOUND_MS} ms (took ${took} ms)`)
    }),
  ])
}

async function eventually<T>(attempt: () => Promise<T>, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    try {
      return await attempt()
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`, { cause: error })
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
  }
}

async function listen(server: Server): Promise<number> {
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const address = server.address()
  assert.ok(address !== null && typeof address === 'object')
  return address.port
}

async function freePort(): Promise<number> {
  const server = createServer()
  const port = await listen(server)
  server.close()
  await once(server, 'close')
  return port
}

/** A throwaway redis-server of this test's own (never the shared one), without persistence. */
async function startRedisServer(port: number): Promise<ChildProcess> {
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no']
  const child = spawn('redis-server', [...args, '--daemonize', 'no'], { stdio: ['ignore', 'pipe', 'ignore'] })
  let output = ''
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString()
  })
  await eventually(
    async () => assert.match(output, /Ready to accept connections/),
    'redis-server is up',
    5_000,
  )
  return child
}

async function stopRedisServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  child.kill('SIGTERM')
  await once(child, 'exit')
}

describe('Redis stores', { skip: !WANTED }, () => {
  after(deleteRunKeys)

  nonceStoreSuite('redis', open)
  rateLimitStoreSuite('redis', open)
  revocationBusSuite('redis', openBus)

  test('withRedis keeps the SQL stores and puts nonces, rate limits and revocations on Redis', async () => {
    const sql = await openSqlStores('sqlite')
    const stores = withRedis(sql.stores, REDIS_URL, { keyPrefix: PREFIX })
    const [keyId, nonce] = [uniqueId('key'), uniqueId('n')]
    try {
      assert.equal(stores.users, sql.stores.users)
      assert.equal(stores.credentials, sql.stores.credentials)
      assert.ok(stores.nonces instanceof RedisNonceStore)
      assert.ok(stores.rateLimits instanceof RedisRateLimitStore)
      assert.ok(stores.revocations instanceof RedisRevocationBus)
      assert.equal(await stores.nonces.consume(keyId, nonce, Date.now() + 60_000, Date.now()), true)
      assert.equal(await withAdmin((admin) => admin.exists(`${PREFIX}nonce:${keyId}:${nonce}`)), 1)
    } finally {
      await stores.close()
      await sql.close()
    }
    await assert.rejects(stores.nonces.consume(keyId, uniqueId('n'), NOW + 1, NOW), StoreUnavailableError)
    await assert.rejects(stores.users.findById(1), StoreUnavailableError)
  })

  test('keeps a nonce in Redis only as long as asked (plus grace), and stores none already expired', async () => {
    const stores = await openStores()
    const key = (nonce: string) => `${PREFIX}nonce:key_ttl:${nonce}`
    try {
      const [live, dead] = [uniqueId('n'), uniqueId('n')]
      assert.equal(await stores.nonces.consume('key_ttl', live, NOW + 60_000, NOW), true)
      assert.equal(await stores.nonces.consume('key_ttl', dead, NOW, NOW), true)
      const [ttl, exists] = await withAdmin((admin) =>
        Promise.all([admin.pttl(key(live)), admin.exists(key(dead))]),
      )
      assert.ok(ttl > 60_000 && ttl <= 65_000, `ttl ${ttl}`)
      assert.equal(exists, 0)
    } finally {
      await stores.close()
    }
  })

  test('fails closed within bounded time when nothing listens on the port', async () => {
    const stores = await openStores('redis://127.0.0.1:1')
    try {
      await assertAllFailClosed(stores)
    } finally {
      await stores.close()
    }
  })

  test('fails closed within bounded time when the server accepts but never answers', async () => {
    const sockets = new Set<Socket>()
    const server = createServer((socket) => {
      sockets.add(socket.on('error', () => {}))
    })
    const port = await listen(server)
    const stores = await openStores(`redis://127.0.0.1:${port}`)
    try {
      await assertAllFailClosed(stores)
    } finally {
      await stores.close()
      for (const socket of sockets) socket.destroy()
      server.close()
    }
  })

  test('fails closed while its Redis is down and recovers by itself when it returns', async () => {
    const port = await freePort()
    let server = await startRedisServer(port)
    const stores = await openStores(`redis://127.0.0.1:${port}`)
    try {
      const heard: RevocationEvent[] = []
      await stores.revocations.subscribe((event) => heard.push(event))
      assert.equal(await stores.nonces.consume('key_r', uniqueId('n'), NOW + 1000, NOW), true)
      assert.equal(stores.revocations.isLive(), true)

      await stopRedisServer(server)
      await eventually(async () => assert.notEqual(stores.revocations.isLive(), true), 'the bus saw the loss')
      await assertAllFailClosed(stores)

      server = await startRedisServer(port)
      const state = await eventually(() => stores.rateLimits.hit('login:r', 60_000, NOW), 'Redis is back')
      assert.deepEqual(state, { count: 1, resetAt: NOW + 60_000 })
      await eventually(async () => assert.equal(stores.revocations.isLive(), true), 'the bus resubscribed')
      await stores.revocations.publish({ credentialId: 'ses_after' })
      await eventually(
        async () => assert.deepEqual(heard.at(-1), { credentialId: 'ses_after' }),
        'delivery resumed',
      )
    } finally {
      await stores.close()
      await stopRedisServer(server)
    }
  })
})
