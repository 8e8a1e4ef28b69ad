import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { Browser, Page } from 'playwright-core'
import { launchChromium } from '../../../test/support/chromium.ts'
import { buildClient } from '../build.ts'
import { type AuthServer, startServer } from './client-fixtures.ts'
import { type PageServer, startPageServer } from './page-server.ts'

describe('the built bundle in Chromium', { timeout: 120_000 }, () => {
  let pages: PageServer
  let crossOrigin: AuthServer
  let sameOrigin: AuthServer
  let browser: Browser | undefined
  let page: Page

  before(async () => {
    await buildClient()
    pages = await startPageServer()
    // One API on another origin (signed mode through CORS), one behind the page's own origin (session mode).
    crossOrigin = await startServer({ corsOrigins: [pages.origin] })
    sameOrigin = await startServer({ alsoOrigins: [pages.origin] })
    pages.proxyTo(sameOrigin.baseUrl)
    browser = await launchChromium()
    page = await browser.newPage()
    page.setDefaultTimeout(15_000)
    await open(page, pages.origin)
  })

  after(async () => {
    await browser?.close()
    await Promise.allSettled([crossOrigin?.close(), sameOrigin?.close(), pages?.close()])
  })

  test('signed mode works cross-origin through CORS, GET and a PUT with a body', async () => {
    const user = await crossOrigin.createUser()
    const result = await page.evaluate(
      async ({ api, email, password }) => {
        const client = (window as any).tessera.createClient({ baseUrl: api, mode: 'signed' })
        await client.login(email, password)
        const things = await client.request('/api/things')
        const saved = await client.request('/api/things/8', { method: 'PUT', json: { eight: 8 } })
        return { things: things.things, saved, algorithm: (await client.keyInfo()).algorithm }
      },
      { api: crossOrigin.baseUrl, email: user.email, password: user.password },
    )
    assert.deepEqual(result, {
      things: [1, 2],
      saved: { saved: { eight: 8 } },
      algorithm: 'ecdsa-p256-sha256',
    })
  })

  test('a non-extractable key survives a reload in IndexedDB, and exportKey fails on it', async () => {
    const user = await crossOrigin.createUser()
    const keyId = await page.evaluate(
      async ({ api, email, password }) => {
        const client = (window as any).tessera.createClient({
          baseUrl: api,
          mode: 'signed',
          keyAlgorithm: 'ed25519',
        })
        await client.login(email, password)
        return (await client.keyInfo()).id
      },
      { api: crossOrigin.baseUrl, email: user.email, password: user.password },
    )
    await page.reload()
    await page.waitForFunction(() => (window as any).ready === true)
    const after = await page.evaluate(
      async ({ api }) => {
        const { createClient, indexedDbKeyStore } = (window as any).tessera
        const client = createClient({ baseUrl: api, mode: 'signed' })
        const me = await client.me()
        const stored = await indexedDbKeyStore({ name: new URL(api).origin }).load()
        const exported = await crypto.subtle.exportKey('jwk', stored.key).then(
          () => 'exported',
          (error: Error) => error.name,
        )
        return {
          keyId: me.credential.id,
          extractable: stored.key.extractable,
          type: stored.key.type,
          exported,
        }
      },
      { api: crossOrigin.baseUrl },
    )
    assert.deepEqual(after, { keyId, extractable: false, type: 'private', exported: 'InvalidAccessError' })
  })

  test('an HMAC secret is imported non-extractable and signs cross-origin calls', async () => {
    const user = await crossOrigin.createUser()
    const result = await page.evaluate(
      async ({ api, email, password }) => {
        const { createClient, indexedDbKeyStore } = (window as any).tessera
        const name = `hmac-${Math.random()}`
        const client = createClient({
          baseUrl: api,
          mode: 'signed',
          keyAlgorithm: 'hmac-sha256',
          keyStore: indexedDbKeyStore({ name }),
        })
        await client.login(email, password)
        const me = await client.me()
        const stored = await indexedDbKeyStore({ name }).load()
        const exported = await crypto.subtle.exportKey('raw', stored.key).then(
          () => 'exported',
          (e: Error) => e.name,
        )
        return { type: me.credential.type, exported }
      },
      { api: crossOrigin.baseUrl, email: user.email, password: user.password },
    )
    assert.deepEqual(result, { type: 'hmac', exported: 'InvalidAccessError' })
  })

  test('a wrong device clock is corrected from the Date header CORS exposes, with no stale attempt', async () => {
    const user = await crossOrigin.createUser()
    const result = await page.evaluate(
      async ({ api, email, password }) => {
        const calls: string[] = []
        const counting = (input: URL, init: RequestInit) => {
          calls.push(new URL(input).pathname)
          return fetch(input, init)
        }
        const client = (window as any).tessera.createClient({
          baseUrl: api,
          mode: 'signed',
          clockOffsetMs: -3_600_000,
          fetch: counting,
        })
        await client.login(email, password)
        const answer = await client.fetch('/api/things')
        return {
          corrected: Math.abs(client.clockOffsetMs) < 3000,
          dateReadable: answer.headers.get('date') !== null,
          calls,
        }
      },
      { api: crossOrigin.baseUrl, email: user.email, password: user.password },
    )
    assert.deepEqual(result, { corrected: true, dateReadable: true, calls: ['/auth/login', '/api/things'] })
  })

  test('session mode: HttpOnly cookie, CSRF token refetched after a reload, Backbone errors and fallback', async () => {
    const user = await sameOrigin.createUser('user')
    const first = await page.evaluate(
      async ({ email, password }) => {
        const client = (window as any).tessera.createClient({ baseUrl: location.origin, mode: 'session' })
        await client.login(email, password)
        const saved = await client.request('/api/things/1', { method: 'PUT', json: { one: 1 } })
        return { saved, cookieVisible: document.cookie.includes('tessera') }
      },
      { email: user.email, password: user.password },
    )
    assert.deepEqual(first, { saved: { saved: { one: 1 } }, cookieVisible: false })
    await page.reload()
    await page.waitForFunction(() => (window as any).ready === true)
    const second = await page.evaluate(async () => {
      const w = window as any
      const client = w.tessera.createClient({ baseUrl: location.origin, mode: 'session' })
      const saved = await client.request('/api/things/2', { method: 'PUT', json: { two: 2 } })
      const visited: string[] = []
      const connection = w.tesseraBackbone.connectBackbone(w.Backbone, client, {
        navigate: (route: string) => visited.push(route),
        currentRoute: () => 'reports',
      })
      const Admin = w.Backbone.Model.extend({ url: '/api/admin' })
      const status = await new Promise((resolve) => {
        const model = new Admin()
        model.on('error', (_m: unknown, answer: { status: number }) => resolve(answer.status))
        model.fetch()
      })
      await client.logout()
      const Things = w.Backbone.Collection.extend({ url: '/api/things' })
      const afterLogout = await new Promise((resolve) => {
        const things = new Things()
        things.on('error', (_m: unknown, answer: { status: number }) => resolve(answer.status))
        things.fetch()
      })
      connection.disconnect()
      return { saved, status, afterLogout, visited, returnTo: connection.returnTo }
    })
    assert.deepEqual(second, {
      saved: { saved: { two: 2 } },
      status: 403,
      afterLogout: 401,
      visited: ['denied', 'login'],
      returnTo: 'reports',
    })
  })

  test('a network failure in the browser is a typed network_error', async () => {
    const code = await page.evaluate(async () => {
      const client = (window as any).tessera.createClient({ baseUrl: 'http://127.0.0.1:9', mode: 'signed' })
      return client.request('/api/things').then(
        () => 'resolved',
        (error: { code: string }) => error.code,
      )
    })
    assert.equal(code, 'network_error')
  })
})

async function open(page: Page, origin: string): Promise<void> {
  await page.goto(`${origin}/`)
  await page.waitForFunction(() => (window as any).ready === true)
}
