import assert from 'node:assert/strict'
import { createSecretKey } from 'node:crypto'
import { describe, test } from 'node:test'
import { assertProblem, login, type Session, withSession } from '../../../../test/contract/session-helpers.ts'
import { loginForKey, signedSend } from '../../../../test/contract/signed-helpers.ts'
import { type AuthServer, startAuthServer } from '../../../../test/support/auth-server.ts'
import { DIALECTS } from '../../../../test/support/databases.ts'
import { send } from '../../../../test/support/http-client.ts'
import { openSqlStores } from '../../../../test/support/sql-stores.ts'
import { internals } from '../../src/core/internals.ts'
import { PasswordHasher } from '../../src/core/password-hasher.ts'
import type { SqlDialect } from '../../src/db/index.ts'
import {
  assertAllRefused,
  holdVerifications,
  KEY_LOGINS,
  loginsRacing,
  RACING_LOGINS,
} from './login-race-helpers.ts'

/**
 * Issue 12 item 4: a login reads the user, waits for the slow password hash, then issues its
 * credential. A password change, role change or disabling that lands in that wait must leave
 * the credential dead. The hasher is held open (login-race-helpers.ts), so the race is hit every
 * run, not by timing.
 */

const NEW_PASSWORD = 'Quartz-lantern 58 over the fjord'
const OLD_PASSWORD = 'correct horse battery staple'

async function serverOn(dialect: SqlDialect): Promise<AuthServer> {
  return startAuthServer('fastify', { stores: await openSqlStores(dialect), throttle: RACING_LOGINS })
}

async function closeWithStores(server: AuthServer): Promise<void> {
  try {
    await server.close()
  } finally {
    await server.stores.close()
  }
}

async function adminChanges(server: AuthServer, admin: Session, userId: number, body: object) {
  const path = `/auth/admin/users/${userId}`
  const answer = await withSession(server, admin, { method: 'PATCH', path, body })
  assert.equal(answer.status, 200, answer.text)
}

for (const dialect of DIALECTS) {
  describe(`credentials issued by a login racing a change are dead (${dialect})`, { timeout: 60_000 }, () => {
    test('every key and session issued from the old password is refused after a password change', async () => {
      const server = await serverOn(dialect)
      try {
        const user = await server.createUser()
        const changer = await login(server, user.email, user.password)
        const issued = await loginsRacing(server, user.email, user.password, async () => {
          const body = { currentPassword: user.password, newPassword: NEW_PASSWORD }
          const answer = await withSession(server, changer, { method: 'POST', path: '/auth/password', body })
          assert.equal(answer.status, 204, answer.text)
        })
        await assertAllRefused(server, issued)
        const kept = await withSession(server, changer, { path: '/api/things' })
        assert.equal(kept.status, 200, 'the session that changed the password stays live')
        const fresh = await loginForKey(server, user.email, NEW_PASSWORD)
        assert.equal((await signedSend(server, fresh, { path: '/api/things' })).answer.status, 200)
      } finally {
        await closeWithStores(server)
      }
    })

    test('every key and session issued before a role change is refused after it', async () => {
      const server = await serverOn(dialect)
      try {
        const adminUser = await server.createUser('admin')
        const admin = await login(server, adminUser.email, adminUser.password)
        const user = await server.createUser('admin')
        const issued = await loginsRacing(server, user.email, user.password, () =>
          adminChanges(server, admin, user.id, { role: 'user' }),
        )
        await assertAllRefused(server, issued)
        const fresh = await loginForKey(server, user.email, user.password)
        const { answer } = await signedSend(server, fresh, { path: '/api/admin' })
        assertProblem(answer, 403, 'forbidden')
      } finally {
        await closeWithStores(server)
      }
    })

    test('every key and session issued before disabling is refused, even once re-enabled', async () => {
      const server = await serverOn(dialect)
      try {
        const adminUser = await server.createUser('admin')
        const admin = await login(server, adminUser.email, adminUser.password)
        const user = await server.createUser()
        const issued = await loginsRacing(server, user.email, user.password, async () => {
          await adminChanges(server, admin, user.id, { disabled: true })
          await adminChanges(server, admin, user.id, { disabled: false })
        })
        await assertAllRefused(server, issued)
        const fresh = await loginForKey(server, user.email, user.password)
        assert.equal((await signedSend(server, fresh, { path: '/api/things' })).answer.status, 200)
      } finally {
        await closeWithStores(server)
      }
    })

    test('a rename leaves live credentials live', async () => {
      const server = await serverOn(dialect)
      try {
        const adminUser = await server.createUser('admin')
        const admin = await login(server, adminUser.email, adminUser.password)
        const user = await server.createUser()
        const key = await loginForKey(server, user.email, user.password)
        await adminChanges(server, admin, user.id, { name: 'Renamed', role: 'user', disabled: false })
        assert.equal((await signedSend(server, key, { path: '/api/things' })).answer.status, 200)
        const listed = await signedSend(server, key, { path: '/auth/credentials' })
        assert.equal(listed.answer.status, 200, listed.answer.text)
      } finally {
        await closeWithStores(server)
      }
    })
  })
}

test('a stale credential is not listed among the live ones', async () => {
  const server = await serverOn('sqlite')
  try {
    const user = await server.createUser()
    const changer = await login(server, user.email, user.password)
    const issued = await loginsRacing(server, user.email, user.password, async () => {
      const body = { currentPassword: user.password, newPassword: NEW_PASSWORD }
      await withSession(server, changer, { method: 'POST', path: '/auth/password', body })
    })
    assert.equal(issued.keys.length, KEY_LOGINS)
    const answer = await withSession(server, changer, { path: '/auth/credentials' })
    assert.equal(answer.status, 200, answer.text)
    const ids = answer.json.credentials.map((c: { id: string }) => c.id)
    assert.equal(ids.length, 1, `only the changing session is live: ${ids}`)
  } finally {
    await closeWithStores(server)
  }
})

test('a key rotated while a password change lands gets a successor that is dead too', async () => {
  const server = await serverOn('sqlite')
  try {
    const user = await server.createUser()
    const key = await loginForKey(server, user.email, user.password)
    const credentials = internals(server.tessera).stores.credentials
    const findById = credentials.findById.bind(credentials)
    let lookups = 0
    // The first lookup authenticates the request; the change lands before the endpoint's own lookup.
    credentials.findById = async (id) => {
      if (id === key.id && ++lookups === 2) {
        const passwordHash = await internals(server.tessera).hasher.hash(NEW_PASSWORD)
        await internals(server.tessera).stores.users.update(user.id, { passwordHash }, server.clock.now)
      }
      return findById(id)
    }
    const rotated = await signedSend(server, key, { method: 'POST', path: '/auth/keys/rotate', body: {} })
    assert.equal(rotated.answer.status, 200, rotated.answer.text)
    const { id, secret, algorithm } = rotated.answer.json.key
    const successor = { id, algorithm, key: createSecretKey(Buffer.from(secret, 'base64url')) }
    assertProblem((await signedSend(server, successor, { path: '/api/things' })).answer, 401, 'unknown_key')
  } finally {
    await closeWithStores(server)
  }
})

test('a rehash at login never undoes a password change that raced it', async () => {
  const server = await serverOn('sqlite')
  try {
    const { tessera } = server
    const email = 'rehash@example.com'
    // Stored with other Argon2 parameters than the server's: a good login rehashes it.
    const oldHash = await new PasswordHasher({ memoryCost: 2048, timeCost: 1, parallelism: 1 }).hash(
      OLD_PASSWORD,
    )
    const user = await internals(tessera).stores.users.create(
      { email, emailKey: email, name: 'R', role: 'user', passwordHash: oldHash },
      server.clock.now,
    )
    assert.ok(user !== 'email_taken')
    const hold = holdVerifications(tessera, 1)
    const racing = loginForKey(server, email, OLD_PASSWORD)
    try {
      await hold.arrived
      const passwordHash = await internals(tessera).hasher.hash(NEW_PASSWORD)
      await internals(tessera).stores.users.update(user.id, { passwordHash }, server.clock.now)
    } finally {
      hold.release()
    }
    await racing
    await loginForKey(server, email, NEW_PASSWORD)
    const old = await send(server.baseUrl, {
      method: 'POST',
      path: '/auth/login',
      body: { email, password: OLD_PASSWORD, credential: 'key' },
    })
    assertProblem(old, 401, 'invalid_credentials')
  } finally {
    await closeWithStores(server)
  }
})
