import assert from 'node:assert/strict'
import { createHash, randomBytes } from 'node:crypto'
import { once } from 'node:events'
import { type AddressInfo, connect, createServer, type Socket } from 'node:net'
import { test } from 'node:test'
import { setTimeout as sleep } from 'node:timers/promises'
import { openSqlStores } from '../../../../../test/support/sql-stores.ts'
import type { RevocationEvent } from '../../core/stores.ts'
import { connectRedis } from './connect-redis.ts'
import { withRedis } from './create-redis-stores.ts'
import { RedisRevocationBus } from './redis-revocation-bus.ts'
import { whenReady } from './when-ready.ts'

/** The shared Redis, with a key prefix (so a channel) of this run's own. */
const REDIS_URL = 'redis://127.0.0.1:6379/7'

async function openBuses(count: number, ackTimeoutMs = 250) {
  const prefix = `tessera-bus-test-${randomBytes(6).toString('hex')}:`
  const clients = Array.from({ length: count }, () => connectRedis(REDIS_URL))
  await Promise.all(clients.map((client) => whenReady(client, 3_000)))
  const buses = clients.map((client) => new RedisRevocationBus(client, { keyPrefix: prefix, ackTimeoutMs }))
  return {
    prefix,
    buses,
    admin: clients[0] as (typeof clients)[0],
    async [Symbol.asyncDispose]() {
      await Promise.all(buses.map((bus) => bus.close()))
      for (const client of clients) client.disconnect()
    },
  }
}

/** Polls a condition that becomes true on its own (a reconnection); bounded. */
async function until(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting until ${what}`)
    await sleep(20)
  }
}

test('a subscriber that never acknowledges holds the revoking call for the bound, once, and is named', async () => {
  await using opened = await openBuses(1, 150)
  const [bus] = opened.buses as [RedisRevocationBus]
  await bus.subscribe(() => {})
  // Subscribed on the channel under an instance's connection name, but it never answers.
  const tag = createHash('sha256').update(`${opened.prefix}revocations`).digest('hex').slice(0, 8)
  const ghost = connectRedis(REDIS_URL)
  try {
    await whenReady(ghost, 3_000)
    await ghost.client('SETNAME', `tessera-bus-${tag}-ghost`)
    await ghost.subscribe(`${opened.prefix}revocations`)
    const started = performance.now()
    const receipt = await bus.publish({ credentialId: 'ses_ghosted' })
    const took = performance.now() - started
    assert.deepEqual(receipt, { published: true, expected: 2, confirmed: 1, unconfirmed: ['ghost'] })
    assert.ok(took >= 150 && took < 1_500, `waited the bound, not more (${took} ms)`)
  } finally {
    ghost.disconnect()
  }
})

test('an instance whose subscriber connection is killed no longer trusts itself when the revocation is reported done', async () => {
  await using opened = await openBuses(2)
  const [publisher, victim] = opened.buses as [RedisRevocationBus, RedisRevocationBus]
  const heard: RevocationEvent[] = []
  await publisher.subscribe(() => {})
  await victim.subscribe((event) => heard.push(event))
  for (let round = 0; round < 5; round++) {
    await until(() => victim.isLive(), 'the victim is live again')
    const generation = victim.generation()
    const list = String(await opened.admin.call('CLIENT', 'LIST', 'TYPE', 'pubsub'))
    const line = list.split('\n').find((l) => l.includes(`-${victim.instanceId} `))
    const id = line?.match(/^id=(\d+) /)?.[1]
    assert.ok(id, 'the victim’s subscriber connection is listed under its name')
    await opened.admin.call('CLIENT', 'KILL', 'ID', id)
    const event = { credentialId: `ses_round${round}` }
    await publisher.publish(event)
    assert.ok(
      !victim.isLive() || heard.some((e) => 'credentialId' in e && e.credentialId === event.credentialId),
      `round ${round}: the victim either applied it or no longer trusts its memory`,
    )
    await until(() => victim.generation() > generation, 'the victim resubscribed')
  }
})

/** A TCP proxy to the shared Redis that can refuse and drop every connection: one instance cut off. */
async function cuttableProxy() {
  const sockets = new Set<Socket>()
  let cut = false
  const server = createServer((socket) => {
    if (cut) return void socket.destroy()
    const upstream = connect(6379, '127.0.0.1')
    for (const s of [socket, upstream]) {
      sockets.add(s)
      s.on('error', () => {})
      s.on('close', () => {
        sockets.delete(s)
        socket.destroy()
        upstream.destroy()
      })
    }
    socket.pipe(upstream).pipe(socket)
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  return {
    port: (server.address() as AddressInfo).port,
    cut() {
      cut = true
      for (const socket of sockets) socket.destroy()
    },
    restore() {
      cut = false
    },
    close() {
      this.cut()
      server.close()
    },
  }
}

test('a revocation that could not be published (its instance cut off from Redis) is published once Redis is reachable again', async () => {
  await using opened = await openBuses(1, 100)
  const [listening] = opened.buses as [RedisRevocationBus]
  const heard: RevocationEvent[] = []
  await listening.subscribe((event) => heard.push(event))
  const proxy = await cuttableProxy()
  const client = connectRedis(`redis://127.0.0.1:${proxy.port}/7`)
  const cutOff = new RedisRevocationBus(client, { keyPrefix: opened.prefix, ackTimeoutMs: 100 })
  try {
    await cutOff.subscribe(() => {})
    proxy.cut()
    await until(() => client.status !== 'ready', 'the cut-off instance saw its connection drop')
    const started = performance.now()
    const receipt = await cutOff.publish({ credentialId: 'ses_while_cut_off' })
    assert.deepEqual(receipt, { published: false, expected: 0, confirmed: 0, unconfirmed: [] })
    assert.ok(
      performance.now() - started >= 100,
      'answered only after one lease: cut-off instances are fenced',
    )
    assert.deepEqual(heard, [])
    proxy.restore()
    await until(() => heard.length > 0, 'the revocation arrived once Redis was reachable')
    assert.deepEqual(heard, [{ credentialId: 'ses_while_cut_off' }])
  } finally {
    await cutOff.close()
    client.disconnect()
    proxy.close()
  }
})

test('withRedis hands its acknowledgement bound and instance name to the bus', async () => {
  const prefix = `tessera-bus-test-${randomBytes(6).toString('hex')}:`
  const sql = await openSqlStores('sqlite')
  const stores = withRedis(sql.stores, REDIS_URL, {
    keyPrefix: prefix,
    ackTimeoutMs: 1_000,
    instanceId: 'named-one',
  })
  const tag = createHash('sha256').update(`${prefix}revocations`).digest('hex').slice(0, 8)
  const ghost = connectRedis(REDIS_URL)
  const admin = connectRedis(REDIS_URL)
  try {
    await stores.revocations?.subscribe(() => {})
    await whenReady(ghost, 3_000)
    await ghost.client('SETNAME', `tessera-bus-${tag}-ghost`)
    await ghost.subscribe(`${prefix}revocations`)
    const started = performance.now()
    const receipt = await stores.revocations?.publish({ userId: 5 })
    const took = performance.now() - started
    assert.deepEqual(receipt, { published: true, expected: 2, confirmed: 1, unconfirmed: ['ghost'] })
    assert.ok(took >= 1_000, `waited its own 1 s bound, not the default 250 ms (${took} ms)`)
    await whenReady(admin, 3_000)
    const list = String(await admin.call('CLIENT', 'LIST', 'TYPE', 'pubsub'))
    assert.match(list, new RegExp(`name=tessera-bus-${tag}-named-one `))
  } finally {
    ghost.disconnect()
    admin.disconnect()
    await stores.close()
  }
})
