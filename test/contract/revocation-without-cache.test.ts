import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { after, before, describe, test } from 'node:test'
import { type AuthServer, startAuthServer } from '../support/auth-server.ts'
import { instanceStores, type OpenedSqlStores, openSqlStores } from '../support/sql-stores.ts'
import { type ClientKey, loginForKey, signedSend } from './signed-helpers.ts'

/**
 * A caches credential lookups; B (`credentialCache: false`) caches nothing, but whatever B
 * revokes must still reach A through the bus before A's next request, or A would keep
 * accepting from memory a credential the database already calls dead.
 */
describe('an instance without the credential cache revoking, a caching instance on the same PostgreSQL + Redis', {
  timeout: 90_000,
}, () => {
  let fresh: OpenedSqlStores
  let a: AuthServer
  let b: AuthServer
  before(async () => {
    fresh = await openSqlStores('postgres')
    const prefix = `tessera-test-${randomBytes(6).toString('hex')}:`
    const secret = randomBytes(32)
    a = await startAuthServer('fastify', { secret, stores: instanceStores(fresh.url, prefix) })
    b = await startAuthServer('express', {
      secret,
      stores: instanceStores(fresh.url, prefix),
      credentialCache: false,
    })
  })
  after(async () => {
    for (const server of [a, b]) await server?.close().catch(() => {})
    for (const server of [a, b]) await server?.stores.close().catch(() => {})
    await fresh?.close()
  })

  /** A key A has just accepted (so A holds it in its cache). */
  async function keyCachedOnA(): Promise<{ key: ClientKey; userId: number }> {
    const user = await a.createUser()
    const key = await loginForKey(a, user.email, user.password)
    assert.equal((await signedSend(a, key, { path: '/api/things' })).answer.status, 200)
    return { key, userId: user.id }
  }

  async function assertRefusedOnA(key: ClientKey): Promise<void> {
    const { answer } = await signedSend(a, key, { path: '/api/things' })
    assert.equal(answer.status, 401, 'A must not answer from its cache')
  }

  async function auditOf(
    userId: number,
    event: 'logout' | 'authn_token_revoked' | 'privilege_permissions_changed',
  ) {
    return b.tessera.auditTrail({ limit: 10, userId, event })
  }

  test('a logout over HTTP on B is refused on A at the next request, and audited', async () => {
    const { key, userId } = await keyCachedOnA()
    const { answer } = await signedSend(b, key, { method: 'POST', path: '/auth/logout' })
    assert.equal(answer.status, 204, answer.text)
    await assertRefusedOnA(key)
    assert.equal((await auditOf(userId, 'logout')).length, 1)
  })

  test('revokeUser called on B is refused on A at the next request, and audited', async () => {
    const { key, userId } = await keyCachedOnA()
    assert.equal(await b.tessera.revokeUser(userId, { via: 'test' }), 1)
    await assertRefusedOnA(key)
    assert.equal((await auditOf(userId, 'authn_token_revoked')).length, 1)
  })

  test('disabling the user on B is refused on A at the next request, and audited', async () => {
    const { key, userId } = await keyCachedOnA()
    assert.equal((await b.tessera.updateUser(userId, { disabled: true }, { via: 'test' }))?.revoked, 1)
    await assertRefusedOnA(key)
    assert.equal((await auditOf(userId, 'privilege_permissions_changed')).length, 1)
  })
})
