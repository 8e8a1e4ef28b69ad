import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { memoryKeyStore } from '../src/key-store.ts'
import {
  ALGORITHMS,
  type AuthServer,
  failure,
  recordEvents,
  signedClient,
  startServer,
} from './client-fixtures.ts'

describe('signed mode against a real server', () => {
  let server: AuthServer
  before(async () => {
    server = await startServer()
  })
  after(() => server.close())

  for (const algorithm of ALGORITHMS) {
    describe(algorithm, () => {
      test('logs in for a key, then GETs and PUTs signed requests', async () => {
        const user = await server.createUser()
        const client = signedClient(server, algorithm)
        await client.login(user.email, user.password)
        const key = await client.keyInfo()
        assert.equal(key?.algorithm, algorithm)
        const me = await client.me()
        assert.deepEqual([me.user.id, me.credential.id], [user.id, key?.id])
        assert.equal(me.credential.type, algorithm === 'hmac-sha256' ? 'hmac' : 'device')
        const saved = await client.request('/api/things/3?x=1', { method: 'PUT', json: { n: 3 } })
        assert.deepEqual(saved, { saved: { n: 3 } })
        const raw = await client.fetch('/api/things/4', {
          method: 'put',
          body: new TextEncoder().encode('{ "raw" : true }'),
          headers: { 'content-type': 'application/json' },
        })
        assert.deepEqual(await raw.json(), { saved: { raw: true } })
      })

      test('rotates the key: the new one works, the old one is gone from the client', async () => {
        const user = await server.createUser()
        const client = signedClient(server, algorithm)
        await client.login(user.email, user.password)
        const before = await client.keyInfo()
        const rotated = await client.rotateKey()
        assert.notEqual(rotated.id, before?.id)
        assert.equal(rotated.algorithm, algorithm)
        assert.deepEqual(await client.keyInfo(), rotated)
        assert.equal((await client.me()).credential.id, rotated.id)
      })

      test('logs out: the key is revoked on the server and cleared from the store', async () => {
        const user = await server.createUser()
        const store = memoryKeyStore()
        const client = signedClient(server, algorithm, { keyStore: store })
        await client.login(user.email, user.password)
        const key = await store.load()
        await client.logout()
        assert.equal(await store.load(), undefined)
        // The same key, kept by someone else, is refused: revoked on the server.
        const thief = signedClient(server, algorithm, { keyStore: storeWith(key) })
        const events = recordEvents(thief)
        const error = await failure(thief.request('/api/things'))
        assert.deepEqual([error.code, error.status], ['unknown_key', 401])
        assert.deepEqual(events.names(), ['unauthenticated'])
      })
    })
  }

  test('a key revoked elsewhere: unauthenticated event, key dropped, next call unsigned', async () => {
    const user = await server.createUser()
    const phone = signedClient(server)
    const laptop = signedClient(server, 'hmac-sha256')
    await phone.login(user.email, user.password)
    await laptop.login(user.email, user.password)
    const phoneKey = await phone.keyInfo()
    await laptop.revoke(phoneKey!.id)
    const events = recordEvents(phone)
    const error = await failure(phone.request('/api/things'))
    assert.deepEqual([error.code, error.status, error.problem?.code], ['unknown_key', 401, 'unknown_key'])
    assert.deepEqual(events.names(), ['unauthenticated'])
    assert.equal(await phone.keyInfo(), undefined)
    assert.equal((await failure(phone.request('/api/things'))).code, 'unauthenticated')
    assert.deepEqual(await phone.request('/api/public'), { ok: true })
  })

  test('revoking its own key logs the client out', async () => {
    const user = await server.createUser()
    const client = signedClient(server)
    await client.login(user.email, user.password)
    const key = await client.keyInfo()
    const listed = await client.credentials()
    assert.deepEqual(
      listed.filter((c) => c.current).map((c) => c.id),
      [key?.id],
    )
    await client.revoke(key!.id)
    assert.equal(await client.keyInfo(), undefined)
  })

  test('a public route answers without a key, unsigned', async () => {
    const client = signedClient(server)
    assert.deepEqual(await client.request('/api/public'), { ok: true })
    assert.equal((await failure(client.request('/api/things'))).code, 'unauthenticated')
  })

  test('emits forbidden for a signed call above the role', async () => {
    const user = await server.createUser('user')
    const client = signedClient(server, 'ed25519')
    await client.login(user.email, user.password)
    const events = recordEvents(client)
    const error = await failure(client.request('/api/admin'))
    assert.deepEqual([error.code, error.status], ['forbidden', 403])
    assert.deepEqual(events.names(), ['forbidden'])
    assert.ok(await client.keyInfo(), 'a 403 keeps the key')
  })

  test('refuses to send credentials to another origin', async () => {
    const client = signedClient(server)
    await assert.rejects(client.fetch('https://elsewhere.example/api'), TypeError)
  })
})

function storeWith(key: unknown) {
  const store = memoryKeyStore()
  return { ...store, load: async () => key as never }
}
