import assert from 'node:assert/strict'
import { test } from 'node:test'
import { ADMIN_GROUP } from '../../../../apps/directory/src/oidc/local-identity-provider.ts'
import type { AuthServer } from '../../../../test/support/auth-server.ts'
import { send } from '../../../../test/support/http-client.ts'
import { cookiePairs, type OidcRig, startOidcRig, webSignIn } from '../../../../test/support/oidc.ts'
import { emailKey } from '../../src/core/email.ts'
import { internals } from '../../src/core/internals.ts'

function person(rig: OidcRig, login: string, email: string, emailVerified = true, groups: string[] = []) {
  rig.people.set(login, {
    login,
    password: `${login}-demo-password`,
    email,
    emailVerified,
    name: login,
    groups,
  })
}

async function localUser(server: AuthServer, email: string) {
  const user = await server.stores.stores.users.create(
    {
      email,
      emailKey: emailKey(email),
      name: 'Local',
      role: 'user',
      passwordHash: await internals(server.tessera).hasher.hash('x'),
    },
    server.clock.now,
  )
  assert.ok(user !== 'email_taken')
  return user
}

function sessionOf(setCookies: string[]): string {
  const session = cookiePairs(setCookies).find((c) => c.startsWith('tessera-session='))
  assert.ok(session, 'a session cookie is set')
  return session
}

async function failures(server: AuthServer) {
  const events = await server.stores.stores.audit.list({ limit: 50, event: 'authn_login_fail' })
  return events.map((e) => e.detail.reason)
}

test('provisions a user just in time for an allowed domain, and refuses another domain', async () => {
  const rig = await startOidcRig('fastify')
  try {
    person(rig, 'erin', 'erin@elsewhere.org')
    const refused = await webSignIn(rig.server, 'erin')
    assert.equal(refused.status, 403, refused.text)
    assert.equal(refused.json.code, 'sso_account_refused')
    assert.equal(await rig.server.stores.stores.users.findByEmailKey('erin@elsewhere.org'), undefined)
    assert.ok((await failures(rig.server)).includes('domain_not_allowed'))

    const answer = await webSignIn(rig.server, 'bob')
    assert.equal(answer.status, 303, answer.text)
    const created = await rig.server.stores.stores.users.findByEmailKey('bob@example.com')
    assert.equal(created?.name, 'Bob Builder')
    assert.equal(created?.role, 'user')
  } finally {
    await rig.close()
  }
})

test('links an existing account when the provider says the email is verified, audited', async () => {
  const rig = await startOidcRig('fastify')
  try {
    const local = await localUser(rig.server, 'carol@example.com')
    person(rig, 'carol', 'Carol@Example.com')
    const answer = await webSignIn(rig.server, 'carol')
    assert.equal(answer.status, 303, answer.text)
    const me = await send(rig.server.baseUrl, {
      path: '/auth/me',
      headers: [['cookie', sessionOf(answer.setCookies)]],
    })
    assert.equal(me.json.user.id, local.id, 'the existing account, not a new one')
    const linked = await internals(rig.server.tessera).oidc?.store.listIdentities(local.id)
    assert.deepEqual(
      linked?.map((i) => [i.provider, i.subject]),
      [['corp', 'carol']],
    )
    const audit = await rig.server.stores.stores.audit.list({
      limit: 10,
      userId: local.id,
      event: 'user_updated',
    })
    assert.deepEqual(audit[0]?.detail, { via: 'oidc', provider: 'corp', linked: true })
  } finally {
    await rig.close()
  }
})

test('refuses to link an existing account when the email is not verified, and changes nothing', async () => {
  const rig = await startOidcRig('fastify')
  try {
    const local = await localUser(rig.server, 'dave@example.com')
    person(rig, 'dave', 'dave@example.com', false)
    const answer = await webSignIn(rig.server, 'dave')
    assert.equal(answer.status, 403, answer.text)
    assert.equal(answer.json.code, 'sso_account_refused')
    assert.deepEqual(
      cookiePairs(answer.setCookies).filter((c) => c.startsWith('tessera-session')),
      [],
    )
    assert.deepEqual(await internals(rig.server.tessera).oidc?.store.listIdentities(local.id), [])
    assert.deepEqual(
      await rig.server.stores.stores.credentials.listForUser(local.id, rig.server.clock.now),
      [],
    )
    assert.ok((await failures(rig.server)).includes('email_unverified'))
  } finally {
    await rig.close()
  }
})

test("takes the role from the provider's admin group at every sign-in: a demotion revokes the admin's sessions", async () => {
  const rig = await startOidcRig('fastify')
  try {
    const first = await webSignIn(rig.server, 'alice')
    assert.equal(first.status, 303, first.text)
    const adminSession = sessionOf(first.setCookies)
    const admin = await send(rig.server.baseUrl, { path: '/api/admin', headers: [['cookie', adminSession]] })
    assert.equal(admin.status, 200, 'alice is admin through the group')

    const alice = rig.people.get('alice')
    assert.ok(alice)
    alice.groups = alice.groups.filter((g) => g !== ADMIN_GROUP)
    const second = await webSignIn(rig.server, 'alice')
    assert.equal(second.status, 303, second.text)
    const old = await send(rig.server.baseUrl, { path: '/auth/me', headers: [['cookie', adminSession]] })
    assert.equal(old.status, 401, 'the admin session died with the demotion')
    const now = await send(rig.server.baseUrl, {
      path: '/api/admin',
      headers: [['cookie', sessionOf(second.setCookies)]],
    })
    assert.equal(now.status, 403, 'the new session is a plain user')
    const changes = await rig.server.stores.stores.audit.list({
      limit: 5,
      event: 'privilege_permissions_changed',
    })
    assert.equal(changes[0]?.detail.role, 'user')
    assert.equal(changes[0]?.detail.by, 'oidc:corp')
  } finally {
    await rig.close()
  }
})

test('refuses a password login and a registration for an SSO-only domain; other domains log in', async () => {
  const rig = await startOidcRig('fastify', { oidcExtra: { ssoOnlyDomains: ['corp.example'] } })
  try {
    await localUser(rig.server, 'frank@corp.example')
    const headers: Array<[string, string]> = [['origin', rig.server.origin]]
    const login = await send(rig.server.baseUrl, {
      method: 'POST',
      path: '/auth/login',
      headers,
      body: { email: 'frank@CORP.example', password: 'x' },
    })
    assert.equal(login.status, 403, login.text)
    assert.equal(login.json.code, 'sso_required')
    const register = await send(rig.server.baseUrl, {
      method: 'POST',
      path: '/auth/register',
      headers,
      body: { email: 'gina@corp.example', password: 'Quartz-lantern 58 over the fjord', name: 'Gina' },
    })
    assert.equal(register.json.code, 'sso_required')
    const other = await rig.server.createUser()
    const ok = await send(rig.server.baseUrl, {
      method: 'POST',
      path: '/auth/login',
      headers,
      body: { email: other.email, password: other.password },
    })
    assert.equal(ok.status, 200, ok.text)
  } finally {
    await rig.close()
  }
})

test('refuses a provider sign-in for a disabled account', async () => {
  const rig = await startOidcRig('fastify')
  try {
    const local = await localUser(rig.server, 'hank@example.com')
    await rig.server.stores.stores.users.update(local.id, { disabled: true }, rig.server.clock.now)
    person(rig, 'hank', 'hank@example.com')
    const answer = await webSignIn(rig.server, 'hank')
    assert.equal(answer.status, 403, answer.text)
    assert.equal(answer.json.code, 'sso_account_refused')
  } finally {
    await rig.close()
  }
})

test('reads email verification from the claim the provider is configured with', async () => {
  const rig = await startOidcRig('fastify', { providerExtra: { emailVerifiedClaim: 'xms_edov' } })
  try {
    const refused = await webSignIn(rig.server, 'bob')
    assert.equal(refused.json?.code, 'sso_account_refused', 'email_verified alone is not that claim')
  } finally {
    await rig.close()
  }
})
