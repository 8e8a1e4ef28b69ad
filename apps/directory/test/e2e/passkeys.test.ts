import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { Request } from 'playwright-core'
import { type E2e, logIn, PHONE, routeOf, screenshot, startE2e } from './browser-fixture.ts'
import {
  addPasskeyOnAccountPage,
  loggedIn,
  onLocalhost,
  openWithoutAutofill,
  virtualAuthenticator,
} from './passkey-fixture.ts'

describe('passkeys in Chromium with a virtual authenticator', { timeout: 90_000 }, () => {
  let e2e: E2e
  let now = Date.now()
  before(async () => {
    e2e = await startE2e({ host: 'localhost', now: () => now })
  })
  after(() => e2e?.close())

  test('adds a passkey on the account page, logs out, logs in with the button; a clone is refused', async () => {
    const { page, problems } = await openWithoutAutofill(e2e, `${onLocalhost(e2e.running.url)}#account`)
    const authenticator = await virtualAuthenticator(page)
    await logIn(page, e2e.user)
    await addPasskeyOnAccountPage(page)
    await screenshot(page, 'passkeys')
    await page.locator('header').getByRole('button', { name: 'Log out' }).click()
    await page.getByRole('button', { name: 'Sign in with a passkey' }).click()
    await loggedIn(page)
    assert.notEqual(routeOf(page), 'login')

    // The same credential in a second authenticator that never counted its uses: a clone.
    const { credentials } = await authenticator.cdp.send('WebAuthn.getCredentials', {
      authenticatorId: authenticator.id,
    })
    const original = credentials[0]
    assert.ok(original && original.signCount > 0, 'the virtual authenticator counts')
    const second = await openWithoutAutofill(e2e, `${onLocalhost(e2e.running.url)}#login`)
    const clone = await virtualAuthenticator(second.page)
    await clone.cdp.send('WebAuthn.addCredential', {
      authenticatorId: clone.id,
      credential: { ...original, signCount: 0 },
    })
    await second.page.getByRole('button', { name: 'Sign in with a passkey' }).click()
    await second.page
      .getByText(/Something went wrong|not accepted|counter/i)
      .first()
      .waitFor()
    assert.equal(routeOf(second.page), 'login', 'the clone stays logged out')
    const [event] = await e2e.running.tessera.auditTrail({
      limit: 1,
      event: 'authn_token_reuse',
    })
    assert.equal(event?.detail.reason, 'passkey_cloned')
    assert.deepEqual(problems, [])
  })

  test('the email field offers the passkey (conditional UI): the login page signs in with it', async () => {
    const { page, problems } = await e2e.open(`${onLocalhost(e2e.running.url)}#account`)
    await virtualAuthenticator(page)
    await logIn(page, e2e.admin)
    await addPasskeyOnAccountPage(page)
    const before = await e2e.running.tessera.auditTrail({
      limit: 1,
      event: 'authn_login_success',
    })
    // The passkey login's answer, not the header: right after "Log out" the old header still shows.
    const answered = page.waitForResponse(
      (r) => new URL(r.url()).pathname === '/auth/passkeys/login' && r.request().method() === 'POST',
    )
    await page.locator('header').getByRole('button', { name: 'Log out' }).click()
    // No click: the page's conditional request is answered by the authenticator's suggestion.
    assert.equal((await answered).status(), 200)
    await loggedIn(page)
    const [login] = await e2e.running.tessera.auditTrail({
      limit: 1,
      event: 'authn_login_success',
    })
    assert.notEqual(login?.id, before[0]?.id)
    assert.equal(login?.detail.method, 'passkey')
    assert.deepEqual(problems, [])
  })

  test('a passkey without user verification does not log in', async () => {
    const { page } = await openWithoutAutofill(e2e, `${onLocalhost(e2e.running.url)}#account`)
    const authenticator = await virtualAuthenticator(page)
    await logIn(page, e2e.user)
    await addPasskeyOnAccountPage(page)
    await page.locator('header').getByRole('button', { name: 'Log out' }).click()
    await page.getByRole('heading', { name: 'Log in' }).waitFor()
    await authenticator.cdp.send('WebAuthn.setUserVerified', {
      authenticatorId: authenticator.id,
      isUserVerified: false,
    })
    await page.getByRole('button', { name: 'Sign in with a passkey' }).click()
    await page.locator('[data-role="form-error"]:not(.d-none)').waitFor()
    assert.equal(routeOf(page), 'login')
  })

  test('the re-authentication dialog accepts a passkey, then the deletion goes through', async () => {
    const { page, problems } = await openWithoutAutofill(e2e, `${onLocalhost(e2e.running.url)}#account`)
    await virtualAuthenticator(page)
    await logIn(page, e2e.admin)
    await addPasskeyOnAccountPage(page)
    await page.goto(`${onLocalhost(e2e.running.url)}#employees/22`)
    await page.getByRole('button', { name: 'Delete employee' }).waitFor()
    now += 301_000
    await page.getByRole('button', { name: 'Delete employee' }).click()
    const dialog = page.getByRole('dialog', { name: 'Confirm it is you' })
    await dialog.getByRole('button', { name: 'Use a passkey' }).click()
    await page.getByText('Employee deleted.').waitFor()
    const [event] = await e2e.running.tessera.auditTrail({
      limit: 1,
      event: 'authn_reauth_success',
    })
    assert.ok(event, 'the re-authentication was recorded')
    assert.deepEqual(problems, [])
    // Back to the real time: the mobile client's signatures carry the device clock.
    now = Date.now()
  })

  test('on the mobile client a passkey login yields requests signed by a non-extractable device key', async () => {
    const web = await e2e.open(`${onLocalhost(e2e.running.url)}#account`)
    const webAuthenticator = await virtualAuthenticator(web.page)
    await logIn(web.page, e2e.user)
    // Waits for the new passkey's row: the user may have passkeys from earlier tests already.
    await addPasskeyOnAccountPage(web.page)
    const { credentials } = await webAuthenticator.cdp.send('WebAuthn.getCredentials', {
      authenticatorId: webAuthenticator.id,
    })
    const newest = credentials.at(-1)
    assert.ok(newest, 'the web authenticator holds the new passkey')

    const api = e2e.running.url
    const { page, problems } = await openWithoutAutofill(
      e2e,
      onLocalhost(e2e.running.mobileUrl as string),
      PHONE,
    )
    const phone = await virtualAuthenticator(page)
    // The passkey synced to the phone (same credential, its counter carried on).
    await phone.cdp.send('WebAuthn.addCredential', { authenticatorId: phone.id, credential: newest })
    const apiCalls: Request[] = []
    page.on('request', (r) => {
      if (r.url().startsWith(`${api}/api/`)) apiCalls.push(r)
    })
    await page.getByRole('button', { name: 'Sign in with a passkey' }).click()
    await page.getByRole('heading', { name: 'Find a colleague' }).waitFor()
    const stored = await page.evaluate(
      (origin) =>
        new Promise<{ extractable: boolean; type: string } | null>((resolve, reject) => {
          const open = indexedDB.open('tessera', 1)
          open.onerror = () => reject(open.error)
          open.onsuccess = () => {
            const get = open.result.transaction('keys').objectStore('keys').get(origin)
            get.onsuccess = () => {
              const key = get.result?.key as CryptoKey | undefined
              resolve(key ? { extractable: key.extractable, type: key.type } : null)
            }
          }
        }),
      api,
    )
    assert.deepEqual(stored, { extractable: false, type: 'private' })
    await page.getByLabel('Name').fill('an')
    await page.getByRole('link', { name: /Lucia Ferrante/ }).waitFor()
    const search = apiCalls.find((r) => r.url().includes('/api/employees'))
    assert.ok(search, 'a search went to the API')
    const headers = await search.allHeaders()
    assert.match(headers['signature-input'] ?? '', /alg="ecdsa-p256-sha256";tag="tessera"$/)
    assert.equal(headers.cookie, undefined)
    assert.equal((await search.response())?.status(), 200)
    assert.deepEqual(problems, [])
  })
})
