import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, test } from 'node:test'
import { loadConfig } from '../../apps/directory/src/config.ts'
import { removeStaleSocket } from '../../apps/directory/src/unix-socket.ts'
import { freshDatabase } from '../support/databases.ts'
import { startDirectoryInstance } from '../support/directory-instance.ts'
import { socketSend } from './public-client.ts'

const dir = mkdtempSync(join(tmpdir(), 'tessera-socket-'))
after(() => rmSync(dir, { recursive: true, force: true }))

const SOCKET_ENV = {
  HOST: '/run/tessera/a.sock',
  PUBLIC_ORIGIN: 'https://directory.example.com',
  MOBILE_PORT: 'off',
}

describe('HOST as a Unix socket path (docs/deploy.md)', () => {
  test('is read as the socket to listen on, and needs PUBLIC_ORIGIN and MOBILE_PORT=off', () => {
    assert.equal(loadConfig(SOCKET_ENV).host, '/run/tessera/a.sock')
    assert.throws(
      () => loadConfig({ ...SOCKET_ENV, PUBLIC_ORIGIN: '' }),
      /HOST as a Unix socket path needs PUBLIC_ORIGIN/,
    )
    assert.throws(() => loadConfig({ ...SOCKET_ENV, MOBILE_PORT: '3001' }), /needs MOBILE_PORT=off/)
  })

  test('before listening, a live socket is kept, a missing one is fine, and any other file is an error', async () => {
    const live = join(dir, 'live.sock')
    const server = createServer()
    await new Promise<void>((resolve) => server.listen(live, resolve))
    try {
      await removeStaleSocket(live)
      assert.ok(statSync(live).isSocket(), 'the live socket is kept')
      const file = join(dir, 'not-a-socket')
      writeFileSync(file, 'data')
      await assert.rejects(removeStaleSocket(file), /exists and is not a socket/)
      await removeStaleSocket(join(dir, 'missing.sock'))
    } finally {
      server.close()
    }
  })

  test('an instance killed with SIGKILL starts again on the same socket; a second one on a live socket does not', {
    timeout: 90_000,
  }, async () => {
    const db = await freshDatabase('sqlite')
    const socket = join(dir, `i-${randomBytes(4).toString('hex')}.sock`)
    const env = {
      ...SOCKET_ENV,
      HOST: socket,
      DATABASE_URL: db.url,
      TESSERA_SECRET: randomBytes(32).toString('hex'),
      LOG_LEVEL: 'silent',
    }
    try {
      const killed = await startDirectoryInstance(0, env)
      assert.match(killed.output(), new RegExp(`listening on unix:${socket}`))
      await killed.kill()
      assert.ok(existsSync(socket), 'SIGKILL left the socket file')
      const restarted = await startDirectoryInstance(0, env)
      try {
        assert.equal((await socketSend(socket, { path: '/api/ping' })).status, 200)
        await assert.rejects(startDirectoryInstance(0, env), /EADDRINUSE/)
        assert.equal(
          (await socketSend(socket, { path: '/api/ping' })).status,
          200,
          'the first one still answers',
        )
      } finally {
        await restarted.stop()
      }
    } finally {
      await db.drop()
    }
  })
})
