import assert from 'node:assert/strict'
import { rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import type { FastifyInstance } from 'fastify'
import { appContentSecurityPolicy } from './content-security-policy.ts'
import { buildMobileApp } from './mobile-app.ts'
import { fakeFrontEnds } from './testing/fake-front-ends.ts'

describe('the mobile client origin', () => {
  const root = join(tmpdir(), `directory-mobile-${process.pid}-${Date.now()}`)
  const api = 'http://127.0.0.1:3000'
  let app: FastifyInstance
  let dir: string
  before(async () => {
    dir = (await fakeFrontEnds(root)).mobile
    app = await buildMobileApp({ dir, apiOrigin: api, logger: false })
  })
  after(async () => {
    await app?.close()
    await rm(root, { recursive: true, force: true })
  })

  test('serves the page at /m/ with the API origin filled in, under a CSP that lets it call that API', async () => {
    const res = await app.inject('/m/')
    assert.equal(res.statusCode, 200)
    assert.equal(res.headers['content-type'], 'text/html; charset=utf-8')
    assert.equal(res.headers['cache-control'], 'no-cache')
    assert.match(res.body, /<meta name="tessera-api-origin" content="http:\/\/127\.0\.0\.1:3000">/)
    assert.equal(res.headers['content-security-policy'], appContentSecurityPolicy(api))
    assert.match(
      String(res.headers['content-security-policy']),
      /connect-src 'self' http:\/\/127\.0\.0\.1:3000;/,
    )
    assert.equal(res.headers['x-content-type-options'], 'nosniff')
  })

  test('serves the built assets with a long cache, redirects / to /m/, and answers anything else 404', async () => {
    const asset = await app.inject('/m/assets/app-1.js')
    assert.equal(asset.statusCode, 200)
    assert.equal(asset.headers['cache-control'], 'public, max-age=31536000, immutable')
    assert.match(String(asset.headers['content-type']), /javascript/)
    const root = await app.inject('/')
    assert.equal(root.statusCode, 302)
    assert.equal(root.headers.location, '/m/')
    for (const url of [
      '/m/assets/missing.js',
      '/m/assets/../index.html',
      '/api/employees',
      '/m/index.html',
    ]) {
      const res = await app.inject(url)
      assert.equal(res.statusCode, 404, url)
      assert.equal(res.json().code, 'not_found', url)
    }
  })

  test('refuses to start when the page has no place for the API origin', async () => {
    await writeFile(join(root, 'mobile', 'index.html'), '<!doctype html><title>no meta</title>')
    await assert.rejects(
      buildMobileApp({ dir, apiOrigin: api, logger: false }),
      /no tessera-api-origin meta tag/,
    )
  })
})
