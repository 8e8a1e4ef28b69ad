import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { Kysely } from 'kysely'
import { type FreshDatabase, freshDatabase } from '../../../../test/support/databases.ts'
import { type Database, migrateToLatest, openDatabase } from '../../src/db/index.ts'
import { AUTH_MIGRATIONS, type AuthTables, SqlNonceStore } from '../../src/stores/sql/index.ts'
import { makeFixture, makeKey, signedRequest } from './signature-fixtures.ts'

/** The replay rules once more, against the real SQLite nonce store, including a restart. */
describe('replay protection on the SQLite nonce store', () => {
  let fresh: FreshDatabase
  let database: Database<AuthTables>

  before(async () => {
    fresh = await freshDatabase('sqlite')
    database = openDatabase<AuthTables>(fresh.url)
    await migrateToLatest(database.kysely as Kysely<unknown>, AUTH_MIGRATIONS)
  })

  after(async () => {
    await database.close()
    await fresh.drop()
  })

  async function recorded(keyId: string): Promise<number> {
    const rows = await database.kysely
      .selectFrom('tessera_nonce')
      .select('nonce')
      .where('key_id', '=', keyId)
      .execute()
    return rows.length
  }

  test('rejects a byte-identical replay', async () => {
    const key = makeKey('hmac-sha256', 'key_sql_replay')
    const { verifier } = makeFixture([key], { nonceStore: new SqlNonceStore(database.kysely) })
    const request = signedRequest(key, { body: '{"a":1}' })
    assert.equal((await verifier.verify(request)).ok, true)
    const replay = await verifier.verify(request)
    assert.equal(replay.ok === false && replay.code, 'replayed_signature')
    assert.equal(await recorded(key.id), 1)
  })

  test('accepts the same nonce under another key', async () => {
    const first = makeKey('ed25519', 'key_sql_a')
    const second = makeKey('ed25519', 'key_sql_b')
    const { verifier } = makeFixture([first, second], { nonceStore: new SqlNonceStore(database.kysely) })
    const nonce = 'c2hhcmVkLW5vbmNlLTAwMDAx'
    assert.equal((await verifier.verify(signedRequest(first, {}, { nonce }))).ok, true)
    assert.equal((await verifier.verify(signedRequest(second, {}, { nonce }))).ok, true)
  })

  test('records no nonce when the signature is wrong', async () => {
    const key = makeKey('hmac-sha256', 'key_sql_wrong')
    const { verifier } = makeFixture([key], { nonceStore: new SqlNonceStore(database.kysely) })
    const request = signedRequest(key, { target: '/api/employees?a=1' })
    const result = await verifier.verify({ ...request, target: '/api/employees?a=2' })
    assert.equal(result.ok === false && result.code, 'invalid_signature')
    assert.equal(await recorded(key.id), 0)
  })

  test('still rejects the replay after a restart (a new connection to the same file)', async () => {
    const key = makeKey('hmac-sha256', 'key_sql_restart')
    const request = signedRequest(key)
    const before = makeFixture([key], { nonceStore: new SqlNonceStore(database.kysely) })
    assert.equal((await before.verifier.verify(request)).ok, true)
    const reopened = openDatabase<AuthTables>(fresh.url)
    try {
      const afterRestart = makeFixture([key], { nonceStore: new SqlNonceStore(reopened.kysely) })
      const replay = await afterRestart.verifier.verify(request)
      assert.equal(replay.ok === false && replay.code, 'replayed_signature')
    } finally {
      await reopened.close()
    }
  })
})
