import assert from 'node:assert/strict'
import { mkdtemp, rm } from 'node:fs/promises'
import { connect, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, test } from 'node:test'
import { openDatabase } from '@tessera/server/db'
import type { FastifyInstance } from 'fastify'
import { buildApp } from './build-app.ts'
import type { DirectoryTables } from './db/directory-tables.ts'
import { DEFAULT_HTTP_TIMEOUTS, fastifyTimeoutOptions, type HttpTimeouts } from './http-timeouts.ts'
import { buildMobileApp } from './mobile-app.ts'
import { testConfig } from './testing/directory-fixture.ts'
import { fakeFrontEnds } from './testing/fake-front-ends.ts'

/** Issue 12 item 5: a client that stalls or dribbles its request is cut off within a bound. */

const HEADERS = 'POST /api/employees HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n'
const STALLED_REQUEST = `${HEADERS}Content-Length: 1000\r\n\r\n{"firstName`

/** A directory app on 127.0.0.1 with the given bounds; answers its port. */
async function listening(timeouts: HttpTimeouts): Promise<{ app: FastifyInstance; port: number }> {
  const database = openDatabase<DirectoryTables>('sqlite::memory:')
  const app = await buildApp({ database, config: testConfig('sqlite::memory:', { timeouts }), logger: false })
  app.addHook('onClose', () => database.close())
  return listen(app)
}

async function listen(app: FastifyInstance): Promise<{ app: FastifyInstance; port: number }> {
  await app.listen({ host: '127.0.0.1', port: 0 })
  const address = app.server.address()
  assert.ok(address !== null && typeof address === 'object')
  return { app, port: address.port }
}

/** Connects, runs `talk`, and answers what the server sent and how long until it closed the socket. */
function untilClosed(
  port: number,
  talk: (socket: Socket) => void,
): Promise<{ received: string; ms: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now()
    let received = ''
    const socket = connect(port, '127.0.0.1', () => talk(socket))
    socket.setEncoding('utf8')
    socket.on('data', (chunk: string) => {
      received += chunk
    })
    socket.on('error', () => {})
    socket.on('close', () => resolve({ received, ms: performance.now() - started }))
    // The bound of the test itself: a server that never closes fails here, not by hanging.
    setTimeout(() => {
      socket.destroy()
      reject(new Error(`socket still open after 10 s; received ${JSON.stringify(received)}`))
    }, 10_000).unref()
  })
}

describe('slow clients', { timeout: 30_000 }, () => {
  test('a body that stalls after 10 of 1000 bytes has its connection closed after the idle timeout', async () => {
    const { app, port } = await listening({
      requestMs: 60_000,
      headersMs: 60_000,
      idleMs: 300,
      keepAliveMs: 5_000,
    })
    try {
      const { received, ms } = await untilClosed(port, (socket) => socket.write(STALLED_REQUEST))
      assert.ok(ms >= 250, `closed after ${ms} ms, not before the idle timeout`)
      assert.ok(ms < 5_000, `closed after ${ms} ms`)
      assert.equal(received, '', 'nothing was answered: the request never completed')
    } finally {
      await app.close()
    }
  })

  test('a body sent a byte at a time is cut off at the request timeout with a problem', async () => {
    const { app, port } = await listening({
      requestMs: 400,
      headersMs: 400,
      idleMs: 60_000,
      keepAliveMs: 5_000,
    })
    let dribble: NodeJS.Timeout | undefined
    try {
      const { received, ms } = await untilClosed(port, (socket) => {
        socket.write(`${HEADERS}Content-Length: 1000\r\n\r\n`)
        // Never idle long enough for the idle timeout: only the whole-request bound can end this.
        dribble = setInterval(() => socket.writable && socket.write(' '), 20)
      })
      assert.ok(ms >= 350 && ms < 5_000, `closed after ${ms} ms`)
      assert.match(received, /^HTTP\/1\.1 400 /)
      assert.match(received, /application\/problem\+json/)
      assert.match(received, /"detail":"Request not received in time"/)
    } finally {
      clearInterval(dribble)
      await app.close()
    }
  })

  test('headers sent a byte at a time are cut off at the headers timeout', async () => {
    const { app, port } = await listening({
      requestMs: 5_000,
      headersMs: 300,
      idleMs: 60_000,
      keepAliveMs: 5_000,
    })
    let dribble: NodeJS.Timeout | undefined
    try {
      const { received, ms } = await untilClosed(port, (socket) => {
        socket.write('GET /api/ping HTTP/1.1\r\nHost: 127.0.0.1\r\n')
        dribble = setInterval(() => socket.writable && socket.write('X-Slow: a\r\n'), 20)
      })
      assert.ok(ms >= 250 && ms < 4_000, `closed after ${ms} ms`)
      assert.match(received, /"detail":"Request not received in time"/)
    } finally {
      clearInterval(dribble)
      await app.close()
    }
  })
})

test("the mobile client's origin cuts off a stalled body too", { timeout: 30_000 }, async () => {
  const root = await mkdtemp(join(tmpdir(), 'slow-mobile-'))
  const dir = (await fakeFrontEnds(root)).mobile
  const timeouts = { requestMs: 60_000, headersMs: 60_000, idleMs: 300, keepAliveMs: 5_000 }
  const { app, port } = await listen(
    await buildMobileApp({ dir, apiOrigin: 'http://127.0.0.1:3000', logger: false, timeouts }),
  )
  try {
    const { ms } = await untilClosed(port, (socket) =>
      socket.write(STALLED_REQUEST.replace('/api/employees', '/m/')),
    )
    assert.ok(ms >= 250 && ms < 5_000, `closed after ${ms} ms`)
  } finally {
    await app.close()
    await rm(root, { recursive: true, force: true })
  }
})

test('the directory bounds the request, its headers, idle sockets and keep-alive, checked every second', () => {
  const options = fastifyTimeoutOptions(DEFAULT_HTTP_TIMEOUTS)
  assert.equal(options.requestTimeout, 30_000)
  assert.equal(options.connectionTimeout, 15_000)
  assert.equal(options.keepAliveTimeout, 72_000)
  assert.deepEqual(options.http, { headersTimeout: 10_000, connectionsCheckingInterval: 1_000 })
})
