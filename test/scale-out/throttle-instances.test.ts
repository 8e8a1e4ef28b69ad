import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { describe, test } from 'node:test'
import type { Stores } from '@tessera/server'
import { migrateToLatest, openDatabase } from '@tessera/server/db'
import { withRedis } from '@tessera/server/redis'
import { AUTH_MIGRATIONS, type AuthTables, createSqlStores } from '@tessera/server/sql'
import { Redis } from 'ioredis'
import { login } from '../contract/session-helpers.ts'
import { assertAllLimited, attemptLogin, tally, WRONG } from '../contract/throttle-helpers.ts'
import { type AuthServer, startAuthServer } from '../support/auth-server.ts'
import { freshDatabase } from '../support/databases.ts'
import type { OpenedSqlStores } from '../support/sql-stores.ts'

/** The shared Redis, in a database of its own; every key of this run starts with PREFIX, deleted at the end. */
const REDIS_URL = 'redis://127.0.0.1:6379/7'
const PREFIX = `tessera-throttle-${randomBytes(6).toString('hex')}:`

type Sharing = 'one SQLite file' | 'PostgreSQL + Redis' | 'one MariaDB'

/** Two Tessera servers, each with its own connections to one shared store, on one standing clock. */
async function twoInstances(
  sharing: Sharing,
): Promise<{ a: AuthServer; b: AuthServer; close(): Promise<void> }> {
  const dialects = {
    'one SQLite file': 'sqlite',
    'PostgreSQL + Redis': 'postgres',
    'one MariaDB': 'mysql',
  } as const
  const fresh = await freshDatabase(dialects[sharing])
  const open = async (): Promise<OpenedSqlStores> => {
    const database = openDatabase<AuthTables>(fresh.url)
    const sql = createSqlStores(database)
    const stores: Stores =
      sharing === 'one SQLite file' ? sql : withRedis(sql, REDIS_URL, { keyPrefix: PREFIX })
    return { stores, database, url: fresh.url, close: () => stores.close() }
  }
  const first = await open()
  await migrateToLatest(first.database.kysely as never, AUTH_MIGRATIONS)
  const second = await open()
  const secret = randomBytes(32)
  const a = await startAuthServer('fastify', { stores: first, secret })
  const b = await startAuthServer('fastify', { stores: second, secret })
  b.clock.now = a.clock.now
  return {
    a,
    b,
    async close() {
      await Promise.allSettled([a.close(), b.close()])
      await Promise.allSettled([first.close(), second.close()])
      await fresh.drop()
    },
  }
}

async function deleteRedisKeys(): Promise<void> {
  const client = new Redis(REDIS_URL)
  try {
    for await (const keys of client.scanStream({ match: `${PREFIX}*`, count: 500 })) {
      if ((keys as string[]).length > 0) await client.unlink(...(keys as string[]))
    }
  } finally {
    client.disconnect()
  }
}

/** Issue 12, item 1 across instances: the reservation is one atomic step in the shared store. */
for (const sharing of ['one SQLite file', 'PostgreSQL + Redis', 'one MariaDB'] as const) {
  describe(`two instances on ${sharing}`, { timeout: 120_000 }, () => {
    test('after 5 wrong logins, 30 parallel guesses spread over both instances get exactly one password check', async () => {
      const { a, b, close } = await twoInstances(sharing)
      try {
        const user = await a.createUser()
        for (let i = 0; i < 5; i++) await attemptLogin(i % 2 ? a : b, user.email, WRONG)
        const answers = await Promise.all(
          Array.from({ length: 30 }, (_, i) => attemptLogin(i % 2 ? a : b, user.email, `${WRONG} ${i}`)),
        )
        assert.deepEqual(tally(answers), { 401: 1, 429: 29 })
        assertAllLimited(
          answers.filter((x) => x.status === 429),
          1,
        )
      } finally {
        await close()
        if (sharing === 'PostgreSQL + Redis') await deleteRedisKeys()
      }
    })

    test('after 6 wrong logins, 30 parallel guesses including the right password are all refused on both', async () => {
      const { a, b, close } = await twoInstances(sharing)
      try {
        const user = await a.createUser()
        for (let i = 0; i < 6; i++) await attemptLogin(i % 2 ? a : b, user.email, WRONG)
        const answers = await Promise.all(
          Array.from({ length: 30 }, (_, i) =>
            attemptLogin(i % 2 ? a : b, user.email, i === 13 ? user.password : `${WRONG} ${i}`),
          ),
        )
        assertAllLimited(answers, 1)
        a.clock.advance(1000)
        b.clock.advance(1000)
        await login(b, user.email, user.password)
      } finally {
        await close()
        if (sharing === 'PostgreSQL + Redis') await deleteRedisKeys()
      }
    })
  })
}
