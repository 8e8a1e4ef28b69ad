import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { type AuthServer, failure, recordEvents, signedClient, startServer } from './client-fixtures.ts'

const TEN_MINUTES = 600_000

/** A fetch that counts the calls to each path, and may act before each. */
function countingFetch(before: (path: string) => void = () => {}) {
  const calls = new Map<string, number>()
  const spy: typeof fetch = (input, init) => {
    const path = new URL(String(input)).pathname
    calls.set(path, (calls.get(path) ?? 0) + 1)
    before(path)
    return fetch(input, init)
  }
  return { spy, count: (path: string) => calls.get(path) ?? 0 }
}

describe('clock skew correction', () => {
  let server: AuthServer
  before(async () => {
    server = await startServer()
  })
  after(() => server.close())

  test('a device clock 10 minutes slow is corrected from the Date header before the first signature', async () => {
    const user = await server.createUser()
    const counter = countingFetch()
    const client = signedClient(server, 'hmac-sha256', { clockOffsetMs: -TEN_MINUTES, fetch: counter.spy })
    await client.login(user.email, user.password)
    assert.ok(Math.abs(client.clockOffsetMs) < 3000, `offset ${client.clockOffsetMs}`)
    await client.request('/api/things')
    assert.equal(counter.count('/api/things'), 1, 'no stale attempt was needed')
  })

  test('a server clock 10 minutes ahead: stale_signature, offset learnt from serverTime, one retry passes', async () => {
    const user = await server.createUser()
    const counter = countingFetch()
    const client = signedClient(server, 'ecdsa-p256-sha256', { fetch: counter.spy })
    await client.login(user.email, user.password)
    const events = recordEvents(client)
    const wallClock = Date.now()
    server.clock.advance(TEN_MINUTES)
    try {
      assert.ok(await client.request('/api/things'))
      assert.equal(counter.count('/api/things'), 2)
      assert.ok(Math.abs(client.clockOffsetMs - TEN_MINUTES) < 3000, `offset ${client.clockOffsetMs}`)
      await client.request('/api/things/1', { method: 'PUT', json: { after: 'correction' } })
      assert.equal(counter.count('/api/things/1'), 1, 'later requests are signed with the learnt offset')
      assert.deepEqual(events.events, [])
      assert.ok(Math.abs(Date.now() - wallClock) < 60_000, 'the system clock is untouched')
    } finally {
      server.clock.advance(-TEN_MINUTES)
    }
  })

  test('retries a stale request only once', async () => {
    const user = await server.createUser()
    let moved = 0
    const counter = countingFetch((path) => {
      // The server's clock runs away before every API call: each signature is stale on arrival.
      if (path === '/api/things') {
        server.clock.advance(TEN_MINUTES)
        moved += TEN_MINUTES
      }
    })
    const client = signedClient(server, 'ed25519', { fetch: counter.spy })
    await client.login(user.email, user.password)
    const events = recordEvents(client)
    try {
      const error = await failure(client.request('/api/things'))
      assert.deepEqual([error.code, error.status], ['stale_signature', 401])
      assert.equal(typeof error.problem?.serverTime, 'number')
      assert.equal(counter.count('/api/things'), 2)
      assert.deepEqual(events.names(), ['unauthenticated'])
      assert.ok(await client.keyInfo(), 'a stale signature is no reason to drop the key')
    } finally {
      server.clock.advance(-moved)
    }
  })
})
