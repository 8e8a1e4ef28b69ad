import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, test } from 'node:test'
import { freshDatabase } from '../support/databases.ts'
import { type DirectoryInstance, startDirectoryInstance } from '../support/directory-instance.ts'
import { throwawayRedis } from '../support/throwaway-services.ts'
import {
  assertAllReplaysRefused,
  freePort,
  type HmacKey,
  OPEN_ACCOUNTS,
  PublicOrigin,
} from './replay-instances.ts'

type Headers = Array<[string, string]>

/**
 * Fresh signed requests against `instance` from 8 connections; resolves once `enough` were
 * accepted, and keeps sending until `stopSending()` turns true (or the instance is gone).
 * Only requests answered 200 count: one cut off by a crash has no known outcome.
 */
function signedLoad(origin: PublicOrigin, instance: DirectoryInstance, key: HmacKey, enough: number) {
  const accepted: Headers[] = []
  let stop = false
  let reached: () => void
  const enoughAccepted = new Promise<void>((resolve) => {
    reached = resolve
  })
  const worker = async () => {
    while (!stop) {
      const headers = origin.signed(key)
      try {
        const answer = await origin.send(instance.port, headers)
        if (answer.status === 200) accepted.push(headers)
        if (accepted.length >= enough) reached()
      } catch {
        return
      }
    }
  }
  const done = Promise.all(Array.from({ length: 8 }, worker))
  return {
    accepted,
    enoughAccepted,
    async finish() {
      stop = true
      await done
    },
  }
}

async function sqliteEnv(file: string, origin: PublicOrigin) {
  return {
    DATABASE_URL: `sqlite:${file}`,
    TESSERA_SECRET_FILE: `${file}.secret`,
    PUBLIC_ORIGIN: origin.origin,
    THROTTLE_IP_ATTEMPTS: '100000',
    ...OPEN_ACCOUNTS,
  }
}

function removeSqlite(file: string): void {
  for (const suffix of ['', '-wal', '-shm', '.secret', '.nonces'])
    rmSync(file + suffix, { force: true, recursive: true })
}

describe('a signed request accepted before a crash or restart is refused after it', {
  timeout: 120_000,
}, () => {
  test('SQLite: every request accepted before kill -9 mid-load is refused after the restart', async () => {
    const file = join(tmpdir(), `journal-crash-${process.pid}-${randomBytes(4).toString('hex')}.db`)
    const port = await freePort()
    const origin = new PublicOrigin(port)
    const env = await sqliteEnv(file, origin)
    let instance = await startDirectoryInstance(port, env)
    try {
      const key = await origin.newKey(port)
      const load = signedLoad(origin, instance, key, 300)
      await load.enoughAccepted
      await instance.kill()
      await load.finish()
      instance = await startDirectoryInstance(port, env)
      await assertAllReplaysRefused(origin, port, load.accepted)
      assert.equal((await origin.send(port, origin.signed(key))).status, 200, 'fresh signatures still pass')
    } finally {
      await instance.stop()
      removeSqlite(file)
    }
  })

  test('SQLite: every request accepted before a clean restart is refused after it', async () => {
    const file = join(tmpdir(), `journal-restart-${process.pid}-${randomBytes(4).toString('hex')}.db`)
    const port = await freePort()
    const origin = new PublicOrigin(port)
    const env = await sqliteEnv(file, origin)
    let instance = await startDirectoryInstance(port, env)
    try {
      const key = await origin.newKey(port)
      const load = signedLoad(origin, instance, key, 100)
      await load.enoughAccepted
      await load.finish()
      assert.equal(await instance.stop(), 0)
      instance = await startDirectoryInstance(port, env)
      await assertAllReplaysRefused(origin, port, load.accepted)
    } finally {
      await instance.stop()
      removeSqlite(file)
    }
  })

  test('SQLite: a second process on the same file refuses signed requests (503) until the first stops', async () => {
    const file = join(tmpdir(), `journal-two-${process.pid}-${randomBytes(4).toString('hex')}.db`)
    const [portA, portB] = [await freePort(), await freePort()]
    const origin = new PublicOrigin(portA)
    const env = await sqliteEnv(file, origin)
    const a = await startDirectoryInstance(portA, env)
    let b: DirectoryInstance | undefined
    try {
      const key = await origin.newKey(portA)
      const first = origin.signed(key)
      assert.equal((await origin.send(portA, first)).status, 200)
      b = await startDirectoryInstance(portB, env)
      const refused = await origin.send(portB, origin.signed(key))
      assert.equal(refused.status, 503, refused.text)
      assert.equal(refused.json.code, 'service_unavailable')
      assert.equal(await a.stop(), 0)
      // The journal is free now: B replays it, and A's request stays spent.
      await assertAllReplaysRefused(origin, portB, [first])
      assert.equal((await origin.send(portB, origin.signed(key))).status, 200)
      await b.stop()
      assert.match(b.output(), /held by another process/, 'the log says why')
    } finally {
      await Promise.all([a.stop(), b?.stop()])
      removeSqlite(file)
    }
  })

  test('PostgreSQL + Redis: accepted on A before kill -9, refused on B and on A restarted; one of 40 parallel copies passes', async () => {
    const db = await freshDatabase('postgres')
    const redis = await throwawayRedis(await freePort())
    const [portA, portB] = [await freePort(), await freePort()]
    const origin = new PublicOrigin(portA)
    const env = {
      DATABASE_URL: db.url,
      REDIS_URL: redis.url,
      PUBLIC_ORIGIN: origin.origin,
      TESSERA_SECRET: randomBytes(32).toString('hex'),
      THROTTLE_IP_ATTEMPTS: '100000',
      ...OPEN_ACCOUNTS,
    }
    let a = await startDirectoryInstance(portA, env)
    const b = await startDirectoryInstance(portB, env)
    try {
      const key = await origin.newKey(portA)
      const load = signedLoad(origin, a, key, 300)
      await load.enoughAccepted
      await a.kill()
      await load.finish()
      await assertAllReplaysRefused(origin, portB, load.accepted)
      a = await startDirectoryInstance(portA, env)
      await assertAllReplaysRefused(origin, portA, load.accepted)
      // One signature sent 20 times to each instance at once: exactly one answer is 200.
      const once = origin.signed(key)
      const answers = await Promise.all(
        Array.from({ length: 40 }, (_, i) => origin.send(i % 2 === 0 ? portA : portB, once)),
      )
      assert.equal(answers.filter((answer) => answer.status === 200).length, 1)
    } finally {
      await Promise.all([a.stop(), b.stop()])
      await redis.destroy()
      await db.drop()
    }
  })
})
