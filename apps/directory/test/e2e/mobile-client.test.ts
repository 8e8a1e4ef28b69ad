import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { Request } from 'playwright-core'
import { avatarsShown, type E2e, logIn, PHONE, routeOf, screenshot, startE2e } from './browser-fixture.ts'

/** What the page's IndexedDB holds for the API (the SDK's store: database `tessera`, one record per API origin). */
function storedKey(api: string) {
  return new Promise<{ extractable: boolean; type: string } | null>((resolve, reject) => {
    const open = indexedDB.open('tessera', 1)
    open.onupgradeneeded = () => open.result.createObjectStore('keys')
    open.onerror = () => reject(open.error)
    open.onsuccess = () => {
      const get = open.result.transaction('keys').objectStore('keys').get(api)
      get.onsuccess = () => {
        const key = get.result?.key as CryptoKey | undefined
        open.result.close()
        resolve(key ? { extractable: key.extractable, type: key.type } : null)
      }
    }
  })
}

describe('the mobile client on its own origin, in Chromium at a phone size', { timeout: 60_000 }, () => {
  let e2e: E2e
  before(async () => {
    e2e = await startE2e()
  })
  after(() => e2e?.close())

  test('logs in for a device key, keeps it over a reload, signs its requests cross-origin, and logs out', async () => {
    const api = e2e.running.url
    const mobileUrl = e2e.running.mobileUrl as string
    assert.notEqual(new URL(mobileUrl).origin, api, 'a second origin')
    const { page, problems } = await e2e.open(mobileUrl, PHONE)
    const apiCalls: Request[] = []
    page.on('request', (r) => {
      if (r.url().startsWith(`${api}/api/`)) apiCalls.push(r)
    })
    await page.getByRole('heading', { name: 'Log in' }).waitFor()
    await logIn(page, e2e.user)
    await page.getByRole('heading', { name: 'Find a colleague' }).waitFor()
    assert.deepEqual(await page.evaluate(storedKey, api), { extractable: false, type: 'private' })

    await page.reload()
    await page.locator('header [data-role="user-name"]').getByText('Uma User').waitFor()
    assert.equal(routeOf(page), '', 'still logged in after the reload')
    await page.getByLabel('Name').fill('an')
    await page.getByRole('link', { name: /Lucia Ferrante/ }).waitFor()
    await avatarsShown(page, 1)
    assert.match(String(await page.locator('img[data-avatar]').first().getAttribute('src')), /^blob:/)
    await screenshot(page, 'mobile-search')
    await page.getByRole('link', { name: /Lucia Ferrante/ }).click()
    await page.getByRole('heading', { name: 'Lucia Ferrante' }).waitFor()
    assert.equal(
      await page.getByRole('link', { name: /Call office/ }).getAttribute('href'),
      'tel:+16175550107',
    )
    assert.equal(
      await page.getByRole('link', { name: 'Send a text' }).getAttribute('href'),
      'sms:+16175550207',
    )
    assert.equal(
      await page.getByRole('link', { name: /^Email/ }).getAttribute('href'),
      'mailto:lucia.ferrante@example.com',
    )
    await screenshot(page, 'mobile-employee')

    const detail = apiCalls.find((r) => r.url() === `${api}/api/employees/7`)
    assert.ok(detail, 'the employee came from the API origin')
    const headers = await detail.allHeaders()
    assert.match(
      headers['signature-input'] ?? '',
      /^sig=\("@method" "@authority" "@path" "@query"\);.*alg="ecdsa-p256-sha256";tag="tessera"$/,
    )
    assert.match(headers.signature ?? '', /^sig=:[A-Za-z0-9+/=]+:$/)
    assert.equal(headers.cookie, undefined, 'no ambient credential')
    assert.equal((await detail.response())?.status(), 200)
    const keyId = /keyid="([^"]+)"/.exec(headers['signature-input'] ?? '')?.[1] as string

    await page.getByRole('link', { name: /Direct reports/ }).click()
    await page.getByRole('heading', { name: 'Access denied' }).waitFor()
    await page.getByRole('button', { name: 'Log out' }).click()
    await page.getByRole('heading', { name: 'Log in' }).waitFor()
    assert.equal(await page.evaluate(storedKey, api), null, 'the key is deleted from the device')
    const { tessera } = e2e.running
    const owner = await tessera.findUser(e2e.user.email)
    const live = await tessera.listCredentials(owner?.id ?? 0)
    assert.ok(owner && !live.some((c) => c.id === keyId), 'and revoked on the server')
    assert.deepEqual(problems, [])
  })
})
