import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { after, describe, test } from 'node:test'
import type { Kysely } from 'kysely'
import { DIALECTS, type FreshDatabase, freshDatabase } from '../../../../test/support/databases.ts'
import { liveness } from '../../src/core/credentials.ts'
import { StoreUnavailableError } from '../../src/core/errors.ts'
import type { Stores } from '../../src/core/stores.ts'
import { type Database, migrateToLatest, openDatabase, type SqlDialect } from '../../src/db/index.ts'
import { AUTH_MIGRATIONS, type AuthTables, createSqlStores } from '../../src/stores/sql/index.ts'
import { toCredentialRow } from '../../src/stores/sql/to-credential-record.ts'
import { accountTokenStoreSuite } from './account-token-store-suite.ts'
import { auditStoreSuite } from './audit-store-suite.ts'
import { credentialStoreSuite } from './credential-store-suite.ts'
import { dbscStoreSuite } from './dbsc-store-suite.ts'
import { mfaStoreSuite } from './mfa-store-suite.ts'
import { nonceStoreSuite } from './nonce-store-suite.ts'
import { oidcStoreSuite } from './oidc-store-suite.ts'
import type { OpenedStores } from './open-stores.ts'
import { passkeyStoreSuite } from './passkey-store-suite.ts'
import { rateLimitStoreSuite } from './rate-limit-store-suite.ts'
import { liveSession } from './session-record.ts'
import { uniqueId } from './unique-id.ts'
import { userStoreSuite } from './user-store-suite.ts'

const NOW = Date.UTC(2030, 0, 1)
/** Nothing listens on port 1: connections are refused at once, or time out after CONNECT_TIMEOUT_MS. */
const UNREACHABLE: Record<SqlDialect, string> = {
  sqlite: '',
  postgres: 'postgres://postgres@127.0.0.1:1/x',
  mysql: 'mysql://root@127.0.0.1:1/x',
}
const CONNECT_TIMEOUT_MS = 500

function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex')
}

function migrate(database: Database<AuthTables>): Promise<string[]> {
  return migrateToLatest(database.kysely as Kysely<unknown>, AUTH_MIGRATIONS)
}

/** One fresh, migrated database per dialect for this file, created on first use and dropped at the end. */
function sharedDatabase(dialect: SqlDialect) {
  let ready: Promise<FreshDatabase> | undefined
  async function prepare(): Promise<FreshDatabase> {
    const fresh = await freshDatabase(dialect)
    const database = openDatabase<AuthTables>(fresh.url)
    try {
      assert.deepEqual(await migrate(database), Object.keys(AUTH_MIGRATIONS.migrations).sort())
    } finally {
      await database.close()
    }
    return fresh
  }
  return {
    async open(): Promise<OpenedStores<keyof Stores> & { database: Database<AuthTables> }> {
      ready ??= prepare()
      const database = openDatabase<AuthTables>((await ready).url)
      const stores = createSqlStores(database)
      return { stores, database, close: () => stores.close() }
    },
    async drop(): Promise<void> {
      if (ready !== undefined) await (await ready).drop()
    },
  }
}

/** Stores whose database cannot answer: unreachable for servers, closed for SQLite. */
async function deadStores(dialect: SqlDialect): Promise<Stores> {
  if (dialect !== 'sqlite') {
    return createSqlStores(
      openDatabase<AuthTables>(UNREACHABLE[dialect], { connectTimeoutMs: CONNECT_TIMEOUT_MS }),
    )
  }
  const fresh = await freshDatabase('sqlite')
  const stores = createSqlStores(openDatabase<AuthTables>(fresh.url))
  await stores.close()
  await fresh.drop()
  return stores
}

const CALLS: Record<string, (stores: Stores) => Promise<unknown>> = {
  'users.create': (s) =>
    s.users.create({ email: 'a@b.c', emailKey: 'a@b.c', name: 'a', role: 'user', passwordHash: 'h' }, NOW),
  'users.findById': (s) => s.users.findById(1),
  'credentials.findByTokenHash': (s) => s.credentials.findByTokenHash('0'.repeat(64)),
  'nonces.consume': (s) => s.nonces.consume('key_x', 'nonce', NOW + 1000, NOW),
  'rateLimits.hit': (s) => s.rateLimits.hit('login:x', 1000, NOW),
  'rateLimits.reserve': (s) =>
    s.rateLimits.reserve('login:x', { windowMs: 1000, limit: 5, free: 5, pausesMs: [] }, NOW),
  'rateLimits.release': (s) => s.rateLimits.release('login:x', NOW),
  'dbsc.find': (s) => s.dbsc?.find('ses_x') ?? Promise.resolve(),
  'accountTokens.consume': (s) => s.accountTokens.consume('0'.repeat(64), 'reset', NOW),
  'audit.record': (s) =>
    s.audit.record({ event: 'logout', at: NOW, userId: null, credentialId: null, ip: null, detail: {} }),
}

for (const dialect of DIALECTS) {
  describe(`SQL stores on ${dialect}`, () => {
    const shared = sharedDatabase(dialect)
    after(() => shared.drop())

    userStoreSuite(dialect, shared.open)
    credentialStoreSuite(dialect, shared.open)
    nonceStoreSuite(dialect, shared.open)
    rateLimitStoreSuite(dialect, shared.open)
    auditStoreSuite(dialect, shared.open)
    dbscStoreSuite(dialect, shared.open)
    accountTokenStoreSuite(dialect, shared.open)
    oidcStoreSuite(dialect, shared.open)
    mfaStoreSuite(dialect, shared.open)
    passkeyStoreSuite(dialect, shared.open)

    test('runs the auth migration once', async () => {
      const { database, close } = await shared.open()
      await using _ = { [Symbol.asyncDispose]: close }
      assert.deepEqual(await migrate(database), [])
    })

    test('credentials issued before 0002_credential_epoch stay live after it, and 0007_mfa dates their last proof at creation', async () => {
      const fresh = await freshDatabase(dialect)
      const database = openDatabase<AuthTables>(fresh.url)
      try {
        const { '0001_auth': first } = AUTH_MIGRATIONS.migrations
        await migrateToLatest(database.kysely as Kysely<unknown>, {
          ...AUTH_MIGRATIONS,
          migrations: { '0001_auth': first as NonNullable<typeof first> },
        })
        // Rows as 0001 knew them: no credential_epoch column yet.
        const user = { email: 'old@x', email_key: 'old@x', name: 'Old', role: 'user', password_hash: 'h' }
        await database.kysely
          .insertInto('tessera_user')
          .values({ ...user, disabled: 0, created_at: NOW, updated_at: NOW } as never)
          .execute()
        const { id } = await database.kysely.selectFrom('tessera_user').select('id').executeTakeFirstOrThrow()
        const session = { ...liveSession('ses_old', Number(id), NOW), tokenHash: sha256Hex('old') }
        const { credential_epoch: _, authenticated_at: __, ...oldRow } = toCredentialRow(session)
        await database.kysely
          .insertInto('tessera_credential')
          .values(oldRow as never)
          .execute()
        assert.deepEqual(await migrate(database), Object.keys(AUTH_MIGRATIONS.migrations).sort().slice(1))
        const found = await createSqlStores(database).credentials.findById('ses_old')
        assert.ok(found !== undefined)
        assert.deepEqual([found.credential.credentialEpoch, found.user.credentialEpoch], [0, 0])
        assert.equal(liveness(found, NOW), 'live')
        assert.equal(found.credential.authenticatedAt, session.createdAt)
      } finally {
        await database.close()
        await fresh.drop()
      }
    })

    test("deletes a user's credentials along with the user", async () => {
      const { stores, database, close } = await shared.open()
      await using _ = { [Symbol.asyncDispose]: close }
      const email = `${uniqueId('cascade')}@example.test`
      const user = await stores.users.create(
        { email, emailKey: email, name: 'c', role: 'user', passwordHash: 'h' },
        NOW,
      )
      assert.ok(user !== 'email_taken')
      const id = uniqueId('ses')
      await stores.credentials.create(liveSession(id, user.id, NOW))
      assert.notEqual(await stores.credentials.findById(id), undefined)
      await database.kysely.deleteFrom('tessera_user').where('id', '=', user.id).execute()
      assert.equal(await stores.credentials.findById(id), undefined)
    })

    test("deletes a session's DBSC binding along with the session", async () => {
      const { stores, database, close } = await shared.open()
      await using _ = { [Symbol.asyncDispose]: close }
      const email = `${uniqueId('dbsc-cascade')}@example.test`
      const user = await stores.users.create(
        { email, emailKey: email, name: 'c', role: 'user', passwordHash: 'h' },
        NOW,
      )
      assert.ok(user !== 'email_taken')
      const id = uniqueId('ses')
      await stores.credentials.create(liveSession(id, user.id, NOW))
      await stores.dbsc?.offer(id, false)
      assert.equal(await stores.dbsc?.bind(id, 'ES256', '{}', NOW), true)
      await database.kysely.deleteFrom('tessera_credential').where('id', '=', id).execute()
      assert.equal(await stores.dbsc?.find(id), undefined)
    })

    test('fails closed: every store rejects with StoreUnavailableError when the database is gone', async () => {
      const stores = await deadStores(dialect)
      try {
        for (const [name, call] of Object.entries(CALLS)) {
          const started = Date.now()
          await assert.rejects(call(stores), StoreUnavailableError, name)
          assert.ok(Date.now() - started < 5 * CONNECT_TIMEOUT_MS, `${name} answered within a bounded time`)
        }
      } finally {
        await stores.close()
      }
    })
  })
}
