import assert from 'node:assert/strict'
import { createSecretKey, generateKeyPairSync } from 'node:crypto'
import { after, before, describe, test } from 'node:test'
import { ADAPTERS, type AuthServer, STEP_UP_SECONDS, startAuthServer } from '../support/auth-server.ts'
import { assertProblem, login, type Session, withSession } from './session-helpers.ts'
import { signedSend } from './signed-helpers.ts'

const PAST_LIMIT_MS = (STEP_UP_SECONDS + 1) * 1000

for (const adapter of ADAPTERS) {
  describe(`an admin issues keys to other accounts over HTTP on ${adapter}`, () => {
    let server: AuthServer
    before(async () => {
      server = await startAuthServer(adapter)
    })
    after(() => server.close())

    const issue = (session: Session, id: number, body: unknown = { label: 'ci' }) =>
      withSession(server, session, { method: 'POST', path: `/auth/admin/users/${id}/keys`, body })

    test('a fresh admin gets 201 and the secret once; the key signs requests as its owner', async () => {
      const admin = await server.createUser('admin')
      const target = await server.createUser()
      const session = await login(server, admin.email, admin.password)
      const issued = await issue(session, target.id)
      assert.equal(issued.status, 201, issued.text)
      assert.equal(issued.json.user.id, target.id)
      const { id, secret, algorithm } = issued.json.key
      assert.equal(algorithm, 'hmac-sha256')
      const key = {
        id,
        algorithm: 'hmac-sha256' as const,
        key: createSecretKey(Buffer.from(secret, 'base64url')),
      }
      const me = await signedSend(server, key, { path: '/auth/me' })
      assert.equal(me.answer.status, 200, me.answer.text)
      assert.equal(me.answer.json.user.id, target.id, "the key is the target's, not the admin's")
      const listed = await withSession(server, session, { path: '/auth/credentials' })
      assert.ok(!JSON.stringify(listed.json).includes(secret), 'the secret is never shown again')
      const [event] = await server.stores.stores.audit.list({ limit: 1, event: 'authz_admin' })
      assert.deepEqual(
        [event?.userId, event?.detail.action, event?.detail.targetUserId, event?.detail.keyId],
        [admin.id, 'issue_key', target.id, id],
        'audited with the actor and the target',
      )
    })

    test('with a public JWK it registers a device key: no secret, requests signed by the private key pass', async () => {
      const admin = await server.createUser('admin')
      const target = await server.createUser()
      const session = await login(server, admin.email, admin.password)
      const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' })
      const issued = await issue(session, target.id, { publicKey: pair.publicKey.export({ format: 'jwk' }) })
      assert.equal(issued.status, 201, issued.text)
      assert.equal(issued.json.key.secret, undefined)
      const key = { id: issued.json.key.id, algorithm: issued.json.key.algorithm, key: pair.privateKey }
      const me = await signedSend(server, key, { path: '/auth/me' })
      assert.equal(me.answer.json.user.id, target.id)
    })

    test('a user gets 403; a stale admin 401 reauth_required and no key, then after re-authenticating 201', async () => {
      const user = await server.createUser()
      const target = await server.createUser()
      const userSession = await login(server, user.email, user.password)
      assertProblem(await issue(userSession, target.id), 403, 'forbidden')
      const admin = await server.createUser('admin')
      const session = await login(server, admin.email, admin.password)
      server.clock.advance(PAST_LIMIT_MS)
      assertProblem(await issue(session, target.id), 401, 'reauth_required')
      const keys = await server.stores.stores.credentials.listForUser(target.id, server.clock.now)
      assert.equal(keys.length, 0, 'no key was issued')
      const again = { method: 'POST', path: '/auth/reauth', body: { password: admin.password } }
      assert.equal((await withSession(server, session, again)).status, 200)
      assert.equal((await issue(session, target.id)).status, 201)
    })

    test('unknown and disabled users are refused with their own codes; bad input is refused by the schema', async () => {
      const admin = await server.createUser('admin')
      const target = await server.createUser()
      const session = await login(server, admin.email, admin.password)
      assertProblem(await issue(session, 999_999_999), 404, 'not_found')
      const disable = { method: 'PATCH', path: `/auth/admin/users/${target.id}`, body: { disabled: true } }
      assert.equal((await withSession(server, session, disable)).status, 200)
      assertProblem(await issue(session, target.id), 409, 'user_disabled')
      assertProblem(await issue(session, target.id, { label: 'x', extra: 1 }), 400, 'validation_failed')
      const live = await server.createUser()
      assertProblem(await issue(session, live.id, { publicKey: { kty: 'oct' } }), 400, 'validation_failed')
      const keys = await server.stores.stores.credentials.listForUser(live.id, server.clock.now)
      assert.equal(keys.length, 0)
    })
  })
}
