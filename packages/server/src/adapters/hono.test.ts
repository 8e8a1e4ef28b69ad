import assert from 'node:assert/strict'
import { createSecretKey, randomBytes } from 'node:crypto'
import { after, before, describe, test } from 'node:test'
import { Hono } from 'hono'
import { HTTPException } from 'hono/http-exception'
import { TEST_HASHING } from '../../../../test/support/auth-server.ts'
import { type OpenedSqlStores, openSqlStores } from '../../../../test/support/sql-stores.ts'
import { signRequest } from '../core/signatures/sign-request.ts'
import { createTessera, type Tessera } from '../core/tessera.ts'
import { type TesseraHonoEnv, tesseraHono } from './hono.ts'

/**
 * The adapter driven through `app.fetch` alone, with no Node request behind it: what Bun,
 * Deno and edge runtimes give Hono. Over real HTTP on Node the contract suite covers it.
 */

const ORIGIN = 'https://app.example'
const PEER = '192.0.2.10'
const PASSWORD = 'correct horse battery staple'

describe('Hono on app.fetch alone (no Node request)', () => {
  let stores: OpenedSqlStores
  let tessera: Tessera
  let app: Hono<TesseraHonoEnv>

  before(async () => {
    stores = await openSqlStores()
    tessera = createTessera({
      stores: stores.stores,
      secret: randomBytes(32),
      publicOrigin: ORIGIN,
      openRegistration: true,
      passwordHashing: TEST_HASHING,
    })
    app = new Hono<TesseraHonoEnv>()
    const t = tesseraHono({ tessera, peerAddress: () => PEER })
    app.use(t.cors)
    app.route('/', t.routes)
    app.use('/api/*', t.json)
    app.get('/api/things', t.authorize('user'), (c) => c.json({ user: c.get('auth')?.user }))
    app.put('/api/things/:id', t.authorize('user'), async (c) =>
      c.json({ saved: c.get('body'), again: await c.req.json() }),
    )
    app.get('/boom/http', () => {
      throw new HTTPException(413, { message: 'internal detail' })
    })
    app.get('/boom/error', () => {
      throw new Error('internal detail')
    })
    app.notFound(t.notFound)
    app.onError(t.onError)
  })
  after(() => stores.close())

  function call(path: string, init: RequestInit = {}): Promise<Response> {
    return Promise.resolve(app.fetch(new Request(`${ORIGIN}${path}`, init)))
  }

  async function keyFor(email: string) {
    const registered = await call('/auth/register', {
      method: 'POST',
      headers: { origin: ORIGIN, 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: PASSWORD, name: 'Edge User' }),
    })
    assert.equal(registered.status, 202, await registered.clone().text())
    const login = await call('/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: PASSWORD, credential: 'key' }),
    })
    assert.equal(login.status, 200)
    const { key } = (await login.json()) as { key: { id: string; secret: string } }
    return { id: key.id, key: createSecretKey(Buffer.from(key.secret, 'base64url')) }
  }

  function signed(
    key: { id: string; key: ReturnType<typeof createSecretKey> },
    method: string,
    path: string,
    body?: string,
  ) {
    const headers: Record<string, string> = body === undefined ? {} : { 'content-type': 'application/json' }
    const signature = signRequest({
      method,
      url: `${ORIGIN}${path}`,
      headers,
      ...(body !== undefined && { body }),
      keyId: key.id,
      algorithm: 'hmac-sha256',
      key: key.key,
    })
    return { method, headers: { ...headers, ...signature }, ...(body !== undefined && { body }) }
  }

  test('serves registration, a key login and signed GET and PUT requests', async () => {
    const email = `edge-${randomBytes(3).toString('hex')}@example.com`
    const key = await keyFor(email)
    const get = await call('/api/things', signed(key, 'GET', '/api/things'))
    assert.equal(get.status, 200, await get.clone().text())
    assert.equal(((await get.json()) as { user: { email: string } }).user.email, email)
    const body = JSON.stringify({ name: 'edge' })
    const put = await call('/api/things/7', signed(key, 'PUT', '/api/things/7', body))
    assert.equal(put.status, 200, await put.clone().text())
    assert.deepEqual(await put.json(), { saved: { name: 'edge' }, again: { name: 'edge' } })
  })

  test('refuses a tampered body against the signed digest', async () => {
    const key = await keyFor(`edge-${randomBytes(3).toString('hex')}@example.com`)
    const request = signed(key, 'PUT', '/api/things/7', '{"a":1}')
    const answer = await call('/api/things/7', { ...request, body: '{"a":2}' })
    assert.equal(answer.status, 401)
    assert.equal(((await answer.json()) as { code: string }).code, 'invalid_signature')
  })

  test('refuses two signatures that the Fetch Headers object merged into one header', async () => {
    const key = await keyFor(`edge-${randomBytes(3).toString('hex')}@example.com`)
    const first = signed(key, 'GET', '/api/things').headers
    const second = signed(key, 'GET', '/api/things').headers
    const headers = new Headers()
    headers.append('signature-input', first['signature-input'])
    headers.append('signature-input', second['signature-input'].replace(/^sig=/, 'sig2='))
    headers.append('signature', first.signature)
    headers.append('signature', second.signature.replace(/^sig=/, 'sig2='))
    const answer = await call('/api/things', { headers })
    assert.equal(answer.status, 401)
    assert.equal(((await answer.json()) as { code: string }).code, 'invalid_signature')
  })

  test('takes the client IP from the peerAddress option', async () => {
    const email = `edge-${randomBytes(3).toString('hex')}@example.com`
    await keyFor(email)
    const user = await stores.stores.users.findByEmailKey(email)
    const [event] = await stores.stores.audit.list({
      limit: 1,
      userId: user?.id,
      event: 'authn_login_success',
    })
    assert.equal(event?.ip, PEER)
  })

  test("answers Hono's own HTTPException and an unexpected error as problem+json, without their message", async () => {
    for (const [path, status, code] of [
      ['/boom/http', 413, 'payload_too_large'],
      ['/boom/error', 500, 'internal_error'],
      ['/nowhere', 404, 'not_found'],
    ] as const) {
      const answer = await call(path)
      assert.equal(answer.status, status)
      assert.match(answer.headers.get('content-type') ?? '', /^application\/problem\+json/)
      const text = await answer.text()
      assert.equal((JSON.parse(text) as { code: string }).code, code)
      assert.doesNotMatch(text, /internal detail|at [\w.<>]+ \(/)
    }
  })
})
