import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { CookieJar } from '../src/cookie-jar.ts'
import { TesseraError } from '../src/tessera-error.ts'
import { type AuthServer, failure, recordEvents, sessionClient, startServer } from './client-fixtures.ts'

describe('session mode against a real server', () => {
  let server: AuthServer
  before(async () => {
    server = await startServer()
  })
  after(() => server.close())

  test('logs in, then GETs and PUTs with the cookie and the CSRF token', async () => {
    const user = await server.createUser()
    const client = sessionClient(server)
    const me = await client.login(user.email, user.password)
    assert.equal(me.email, user.email)
    const things = await client.request<{ user: { id: number } }>('/api/things')
    assert.equal(things.user.id, user.id)
    const saved = await client.request('/api/things/7', { method: 'PUT', json: { name: 'seven' } })
    assert.deepEqual(saved, { saved: { name: 'seven' } })
    assert.equal((await client.me()).credential.type, 'session')
  })

  test('after a reload (no token in memory) fetches the CSRF token before an unsafe call', async () => {
    const user = await server.createUser()
    const jar = new CookieJar()
    await sessionClient(server, { cookieJar: jar }).login(user.email, user.password)
    const seen: string[] = []
    const reloaded = sessionClient(server, {
      cookieJar: jar,
      fetch: (input, init) => {
        seen.push(`${init?.method} ${new URL(String(input)).pathname}`)
        return fetch(input, init)
      },
    })
    const saved = await reloaded.request('/api/things/1', { method: 'PUT', json: { a: 1 } })
    assert.deepEqual(saved, { saved: { a: 1 } })
    assert.deepEqual(seen, ['GET /auth/csrf', 'PUT /api/things/1'])
  })

  test('refreshes a stale CSRF token once on csrf_failed and succeeds', async () => {
    const user = await server.createUser()
    const jar = new CookieJar()
    const first = sessionClient(server, { cookieJar: jar })
    await first.login(user.email, user.password)
    // A second login in the same jar replaces the session: the first client's token is now for a dead session.
    await sessionClient(server, { cookieJar: jar }).login(user.email, user.password)
    const saved = await first.request('/api/things/2', { method: 'PUT', json: { b: 2 } })
    assert.deepEqual(saved, { saved: { b: 2 } })
  })

  test('retries once on session_refresh_required (a DBSC browser renews the bound cookie in between)', async () => {
    const user = await server.createUser()
    const jar = new CookieJar()
    await sessionClient(server, { cookieJar: jar }).login(user.email, user.password)
    let refusals = 1
    const seen: number[] = []
    const client = sessionClient(server, {
      cookieJar: jar,
      fetch: async (input, init) => {
        if (refusals-- > 0) {
          seen.push(401)
          const body = { type: 'about:blank', title: 'x', status: 401, code: 'session_refresh_required' }
          return new Response(JSON.stringify(body), {
            status: 401,
            headers: { 'content-type': 'application/problem+json' },
          })
        }
        const response = await fetch(input, init)
        seen.push(response.status)
        return response
      },
    })
    const things = await client.request<{ user: { id: number } }>('/api/things')
    assert.equal(things.user.id, user.id)
    assert.deepEqual(seen, [401, 200])
    refusals = 2
    const events = recordEvents(client)
    const error = await failure(client.request('/api/things'))
    assert.equal(error.code, 'session_refresh_required')
    assert.deepEqual(events.names(), ['unauthenticated'])
  })

  test('logs out: the session is revoked on the server and later calls say unauthenticated', async () => {
    const user = await server.createUser()
    const jar = new CookieJar()
    const client = sessionClient(server, { cookieJar: jar })
    await client.login(user.email, user.password)
    const cookie = jar.header()
    await client.logout()
    assert.equal(jar.header(), undefined)
    const replay = await fetch(`${server.baseUrl}/api/things`, { headers: { cookie: cookie! } })
    assert.equal(replay.status, 401)
    const events = recordEvents(client)
    const error = await failure(client.me())
    assert.equal(error.code, 'unauthenticated')
    assert.deepEqual(events.names(), ['unauthenticated'])
  })

  test('logging out when already logged out is not an error and emits nothing', async () => {
    const client = sessionClient(server)
    const events = recordEvents(client)
    await client.logout()
    assert.deepEqual(events.events, [])
  })

  test('a failed login is a typed invalid_credentials error and no event', async () => {
    const user = await server.createUser()
    const client = sessionClient(server)
    const events = recordEvents(client)
    const error = await failure(client.login(user.email, 'not the password at all'))
    assert.ok(error instanceof TesseraError)
    assert.deepEqual(
      [error.code, error.status, error.problem?.code],
      ['invalid_credentials', 401, 'invalid_credentials'],
    )
    assert.deepEqual(events.events, [])
  })

  test('emits forbidden on a route above the role, with the 403 in the error', async () => {
    const user = await server.createUser('user')
    const client = sessionClient(server)
    await client.login(user.email, user.password)
    const events = recordEvents(client)
    const error = await failure(client.request('/api/admin'))
    assert.deepEqual([error.code, error.status], ['forbidden', 403])
    assert.deepEqual(events.names(), ['forbidden'])
    const admin = await server.createUser('admin')
    const adminClient = sessionClient(server)
    await adminClient.login(admin.email, admin.password)
    assert.deepEqual(await adminClient.request('/api/admin'), {
      admin: true,
      user: await userOf(adminClient),
    })
  })

  test('emits expired when the session outlives its idle limit, then forgets the CSRF token', async () => {
    const user = await server.createUser()
    const seen: string[] = []
    const client = sessionClient(server, {
      fetch: (input, init) => {
        seen.push(`${init?.method} ${new URL(String(input)).pathname}`)
        return fetch(input, init)
      },
    })
    await client.login(user.email, user.password)
    const events = recordEvents(client)
    server.clock.advance(2 * 3_600_000)
    const error = await failure(client.request('/api/things'))
    assert.deepEqual([error.code, error.status], ['session_expired', 401])
    assert.deepEqual(events.names(), ['expired'])
    seen.length = 0
    await failure(client.request('/api/things/1', { method: 'PUT', json: {} }))
    assert.deepEqual(seen, ['GET /auth/csrf'], 'the old token is not sent again')
  })

  test('registers, changes the password, lists and revokes credentials', async () => {
    const client = sessionClient(server)
    const email = `new-${Date.now()}@example.com`
    const password = 'a long enough passphrase for tests'
    await client.register({ email, password, name: 'New Person' })
    assert.equal((await client.login(email, password)).email, email)
    const other = sessionClient(server)
    await other.login(email, password)
    await client.changePassword(password, 'another long passphrase for tests')
    assert.equal((await failure(other.me())).code, 'unauthenticated')
    const listed = await client.credentials()
    assert.equal(listed.filter((c) => c.current).length, 1)
    const current = listed.find((c) => c.current)!
    await client.revoke(current.id)
    assert.equal((await failure(client.me())).code, 'unauthenticated')
  })
})

async function userOf(client: ReturnType<typeof sessionClient>) {
  return (await client.me()).user
}
