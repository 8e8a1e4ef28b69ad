import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { type DirectoryFixture, openDirectoryFixture } from './testing/directory-fixture.ts'

describe('the app around the routes', () => {
  let fx: DirectoryFixture
  before(async () => {
    fx = await openDirectoryFixture('sqlite')
  })
  after(() => fx.close())

  test('sends security headers on answers, errors and 404s, and no-store on /api', async () => {
    const { appContentSecurityPolicy } = await import('./content-security-policy.ts')
    const policies: Record<string, string> = {
      '/api/employees': "default-src 'none'; frame-ancestors 'none'",
      '/api/employees/abc': "default-src 'none'; frame-ancestors 'none'",
      '/api/nowhere': "default-src 'none'; frame-ancestors 'none'",
      '/auth/me': "default-src 'none'; frame-ancestors 'none'",
      '/docs': "frame-ancestors 'none'",
      '/': appContentSecurityPolicy(),
      '/nowhere': appContentSecurityPolicy(),
    }
    for (const [url, policy] of Object.entries(policies)) {
      const res = await fx.inject(url)
      assert.equal(res.headers['x-content-type-options'], 'nosniff', url)
      assert.equal(res.headers['referrer-policy'], 'no-referrer', url)
      assert.equal(res.headers['content-security-policy'], policy, url)
      // Pages may be cached; API answers and every problem+json (404s included) may not.
      assert.equal(res.headers['cache-control'], url === '/' || url === '/docs' ? undefined : 'no-store', url)
      assert.equal(res.headers['strict-transport-security'], undefined, 'no HSTS over plain http')
    }
  })

  test('sends HSTS when the public origin is https', async () => {
    const { buildApp } = await import('./build-app.ts')
    const { loadAuthSettings } = await import('./auth-settings.ts')
    const { testConfig } = await import('./testing/directory-fixture.ts')
    const auth = loadAuthSettings({ PUBLIC_ORIGIN: 'https://directory.example.com' })
    const app = await buildApp({
      database: fx.database,
      config: { ...testConfig('sqlite::memory:'), auth },
      logger: false,
    })
    const res = await app.inject('/api/ping')
    assert.equal(res.headers['strict-transport-security'], 'max-age=63072000; includeSubDomains')
    await app.close()
  })

  test('serves a placeholder page that links the docs and lists the routes', async () => {
    const res = await fx.inject('/')
    assert.equal(res.statusCode, 200)
    assert.equal(res.headers['content-type'], 'text/html; charset=utf-8')
    assert.match(res.body, /<a href="\/docs">/)
    for (const route of [
      'GET /api/ping',
      'GET /api/employees/:id/reports',
      'DELETE /api/employees/:id',
      'GET /avatars/:id.svg',
    ]) {
      assert.ok(res.body.includes(`<code>${route}</code>`), route)
    }
  })

  test('publishes OpenAPI from the route schemas at /docs/json, with the explorer at /docs', async () => {
    const spec = (await fx.inject('/docs/json')).json()
    assert.equal(spec.openapi, '3.1.0')
    const operations = Object.entries(spec.paths).flatMap(([path, ops]) =>
      Object.keys(ops as object).map((method) => `${method.toUpperCase()} ${path}`),
    )
    assert.deepEqual(operations.sort(), [
      'DELETE /api/employees/{id}',
      'GET /api/employees',
      'GET /api/employees/modifiedsince/{timestamp}',
      'GET /api/employees/search/{query}',
      'GET /api/employees/{id}',
      'GET /api/employees/{id}/reports',
      'GET /api/ping',
      'GET /avatars/{id}.svg',
      'PATCH /api/employees/{id}',
      'POST /api/employees',
      'PUT /api/employees/{id}',
    ])
    const post = spec.paths['/api/employees'].post
    assert.equal(post.requestBody.content['application/json'].schema.additionalProperties, false)
    assert.ok(post.responses['4XX'].content['application/problem+json'])
    const docs = await fx.inject('/docs')
    assert.equal(docs.statusCode, 200)
    assert.match(String(docs.headers['content-type']), /^text\/html/)
  })
})
