import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { type OpenStores, useStores } from './open-stores.ts'
import { liveSession } from './session-record.ts'
import { uniqueId } from './unique-id.ts'

const NOW = Date.UTC(2030, 0, 1)
const JWK = '{"kty":"EC","crv":"P-256","x":"x","y":"y"}'

/** The DbscStore contract (device bindings of sessions), run against every SQL dialect. */
export function dbscStoreSuite(backend: string, open: OpenStores<'users' | 'credentials' | 'dbsc'>): void {
  describe(`DbscStore on ${backend}`, { timeout: 30_000 }, () => {
    const stores = useStores(open)
    const dbsc = () => {
      const store = stores().dbsc
      if (store === undefined) throw new Error('no DBSC store')
      return store
    }

    async function session(): Promise<string> {
      const email = `${uniqueId('dbsc')}@example.test`
      const user = await stores().users.create(
        { email, emailKey: email, name: 'd', role: 'user', passwordHash: 'h' },
        NOW,
      )
      assert.ok(user !== 'email_taken')
      const id = uniqueId('ses')
      await stores().credentials.create(liveSession(id, user.id, NOW))
      return id
    }

    test('an offer is pending until a key is bound, once', async () => {
      const id = await session()
      await dbsc().offer(id, false)
      assert.deepEqual(await dbsc().find(id), {
        credentialId: id,
        required: false,
        algorithm: null,
        publicJwk: null,
        boundAt: null,
      })
      assert.equal(await dbsc().bind(id, 'ES256', JWK, NOW + 1), true)
      assert.deepEqual(await dbsc().find(id), {
        credentialId: id,
        required: false,
        algorithm: 'ES256',
        publicJwk: JWK,
        boundAt: NOW + 1,
      })
      assert.equal(await dbsc().bind(id, 'RS256', '{}', NOW + 2), false)
      assert.equal((await dbsc().find(id))?.publicJwk, JWK, 'the first key stays')
    })

    test('keeps the role policy flag', async () => {
      const id = await session()
      await dbsc().offer(id, true)
      assert.equal((await dbsc().find(id))?.required, true)
    })

    test('binds nothing for a session never offered', async () => {
      const id = await session()
      assert.equal(await dbsc().bind(id, 'ES256', JWK, NOW), false)
      assert.equal(await dbsc().find(id), undefined)
    })

    test('binds exactly one of 20 parallel keys', async () => {
      const id = await session()
      await dbsc().offer(id, false)
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) => dbsc().bind(id, 'ES256', `{"n":${i}}`, NOW)),
      )
      assert.equal(results.filter(Boolean).length, 1)
    })

    test('tells which sessions are bound', async () => {
      const [bound, pending, never] = [await session(), await session(), await session()]
      await dbsc().offer(bound, false)
      await dbsc().offer(pending, false)
      await dbsc().bind(bound, 'ES256', JWK, NOW)
      assert.deepEqual([...(await dbsc().boundAmong([bound, pending, never]))], [bound])
      assert.deepEqual([...(await dbsc().boundAmong([]))], [])
    })
  })
}
