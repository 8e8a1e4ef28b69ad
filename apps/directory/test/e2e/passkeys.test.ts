import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { CDPSession, Page, Request } from 'playwright-core'
import { type E2e, logIn, PHONE, routeOf, screenshot, startE2e } from './browser-fixture.ts'

/** WebAuthn needs a domain for its RP ID: the pages are opened on `localhost`, the directory's development twin. */
function onLocalhost(url: string): string {
  const u = new URL(url)
  u.hostname = 'localhost'
  return u.toString()
}

/** A virtual platform authenticator (resident keys, user verification) for the page, over CDP. */
async function virtualAuthenticator(
  page: Page,
  isUserVerified = true,
): Promise<{ cdp: CDPSession; id: string }> {
  const cdp = await page.context().newCDPSession(page)
  await cdp.send('WebAuthn.enable')
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified,
      automaticPresenceSimulation: true,
    },
  })
  return { cdp, id: authenticatorId }
}

/**
 * A page whose browser offers no conditional UI, so the login page waits for the button
 * (with conditional UI, the virtual authenticator answers the email field's request at once).
 */
async function openWithoutAutofill(e2e: E2e, url: string, viewport = { width: 1200, height: 800 }) {
  const context = await e2e.browser.newContext({ viewport })
  await context.addInitScript(() => {
    PublicKeyCredential.isConditionalMediationAvailable = async () => false
  })
  const page = await context.newPage()
  page.setDefaultTimeout(10_000)
  const problems: string[] = []
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`))
  await page.goto(url)
  return { page, problems }
}

/** Adds a passkey on the account page and waits until the list shows it (an id it did not show before). */
async function addPasskeyOnAccountPage(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Add a passkey' }).waitFor()
  const ids = () =>
    page.$$eval('[data-passkey]', (rows) => rows.map((row) => row.getAttribute('data-passkey') ?? ''))
  const before = await ids()
  await page.getByRole('button', { name: 'Add a passkey' }).click()
  await page.waitForFunction(
    (known) =>
      [...document.querySelectorAll('[data-passkey]')].some(
        (row) => !known.includes(row.getAttribute('data-passkey') ?? ''),
      ),
    before,
  )
}

async function loggedIn(page: Page): Promise<void> {
  await page.locator('header').getByRole('button', { name: 'Log out' }).waitFor()
}

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
    await page.locator('header').getByRole('button', { name: 'Log out' }).click()
    // No click: the page's conditional request is answered by the authenticator's suggestion.
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
    await web.page.getByRole('button', { name: 'Add a passkey' }).click()
    await web.page
      .getByRole('button', { name: /^Remove passkey/ })
      .first()
      .waitFor()
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
