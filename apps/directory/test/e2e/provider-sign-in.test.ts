import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import type { Browser, Page, Request } from 'playwright-core'
import { launchChromium } from '../../../../test/support/chromium.ts'
import { freePort } from '../../src/free-port.ts'
import { devClient, idpEnvironment } from '../../src/oidc/idp-main.ts'
import {
  ADMIN_GROUP,
  demoPeople,
  type LocalIdentityProvider,
  startLocalIdentityProvider,
} from '../../src/oidc/local-identity-provider.ts'
import { loadOidcSettings } from '../../src/oidc/oidc-settings.ts'
import { type RunningDirectory, startDirectory } from '../../src/start-directory.ts'
import { testConfig } from '../../src/testing/directory-fixture.ts'
import { PHONE, routeOf, testFrontEnds } from './browser-fixture.ts'

/** Signs in on the local provider's own login page, as a person would. */
async function signInAtProvider(page: Page, login: string): Promise<void> {
  await page.getByRole('heading', { name: 'Local identity provider' }).waitFor()
  await page.getByLabel('Login').fill(login)
  await page.getByLabel('Password').fill(`${login}-demo-password`)
  await page.getByRole('button', { name: 'Sign in' }).click()
}

describe('sign-in with the local identity provider, in Chromium', { timeout: 90_000 }, () => {
  let idp: LocalIdentityProvider
  let running: RunningDirectory
  let browser: Browser
  const file = join(tmpdir(), `directory-oidc-e2e-${process.pid}-${randomUUID()}.db`)

  /** The provider must know the directory's port before either listens, so a parallel test can take it in between: try again with new ports. */
  async function startBoth(attemptsLeft = 3): Promise<void> {
    const [port, mobilePort] = [await freePort('127.0.0.1'), await freePort('127.0.0.1')]
    idp = await startLocalIdentityProvider({ clients: [devClient(port)], people: demoPeople() })
    const env = { ...idpEnvironment(idp.issuer), SSO_ONLY: 'example.com' }
    const oidc = loadOidcSettings(env, [`http://127.0.0.1:${mobilePort}/m/`])
    const config = { ...testConfig(`sqlite:${file}`), port, mobilePort, oidc }
    try {
      running = await startDirectory(config, { frontEnds: await testFrontEnds(), logger: false })
    } catch (error) {
      await idp.close()
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || attemptsLeft <= 1) throw error
      for (const suffix of ['', '-wal', '-shm']) await rm(file + suffix, { force: true })
      await startBoth(attemptsLeft - 1)
    }
  }

  before(async () => {
    await startBoth()
    browser = await launchChromium()
  })
  after(async () => {
    await browser?.close()
    await running?.close()
    await idp?.close()
    for (const suffix of ['', '-wal', '-shm']) await rm(file + suffix, { force: true })
  })

  test('the web app: a deep link survives the round trip through the provider, as a session', async () => {
    const context = await browser.newContext()
    const page = await context.newPage()
    page.setDefaultTimeout(15_000)
    await page.goto(`${running.url}/#employees/7`)
    await page.getByText('Please log in to see that page.').waitFor()
    await page.getByRole('button', { name: 'Sign in with Local IdP' }).click()
    await signInAtProvider(page, 'bob')
    await page.getByRole('heading', { name: 'Lucia Ferrante' }).waitFor()
    assert.equal(routeOf(page), 'employees/7', 'back on the page that was asked for')
    const cookies = await context.cookies(running.url)
    assert.ok(cookies.some((c) => c.name === 'tessera-session' && c.httpOnly))

    await page.goto(`${running.url}/#account`)
    await page.getByRole('heading', { name: 'Identity providers' }).waitFor()
    await page
      .locator('[data-role="identities"]')
      .getByText(/^sso: bob@example\.com, linked/)
      .waitFor()
    await page
      .locator('[data-role="sign-in-proof"]')
      .getByText(/signed in with sso .*methods pwd/)
      .waitFor()

    // Logout ends the session here, then offers the provider's own logout (RP-initiated logout).
    await page.locator('header [data-action="logout"]').click()
    await page.waitForURL((url) => url.origin === new URL(idp.issuer).origin)
    const after = await page.request.get(`${running.url}/auth/me`)
    assert.equal(after.status(), 401, 'the directory session is over')
    await context.close()
  })

  /** A new browser (no cookies at the directory or the provider) signed in as `login` from `route`. */
  async function signedInPage(login: string, route: string): Promise<Page> {
    const context = await browser.newContext()
    const page = await context.newPage()
    page.setDefaultTimeout(15_000)
    await page.goto(`${running.url}/#${route}`)
    await page.getByRole('button', { name: 'Sign in with Local IdP' }).click()
    await signInAtProvider(page, login)
    return page
  }

  test('links the demo user by a verified email, and refuses a link for an unverified one', async () => {
    const people = idp.people
    people.set('uma', {
      login: 'uma',
      password: 'uma-demo-password',
      email: 'USER@directory.example',
      emailVerified: true,
      name: 'U',
      groups: [],
    })
    people.set('ada', {
      login: 'ada',
      password: 'ada-demo-password',
      email: 'admin@directory.example',
      emailVerified: false,
      name: 'A',
      groups: [],
    })
    const linked = await signedInPage('uma', 'account')
    await linked.locator('header [data-role="user-name"]').getByText('Uma User').waitFor()
    await linked
      .locator('[data-role="identities"]')
      .getByText(/^sso: USER@directory\.example, linked/)
      .waitFor()
    await linked.context().close()

    const refused = await signedInPage('ada', 'account')
    await refused
      .getByRole('alert')
      .getByText(/cannot sign in here/)
      .waitFor()
    assert.equal(new URL(refused.url()).search, '', 'the code is taken from the address bar')
    const me = await refused.request.get(`${running.url}/auth/me`)
    assert.equal(me.status(), 401, 'no session for the unverified email')
    await refused.context().close()
  })

  test("a demotion at the provider: the next sign-in is a user's, and the admin session is gone", async () => {
    const first = await signedInPage('alice', 'employees/2/reports')
    await first.getByRole('link', { name: /Tomasz Nowak/ }).waitFor()
    const alice = idp.people.get('alice')
    assert.ok(alice)
    alice.groups = alice.groups.filter((g) => g !== ADMIN_GROUP)
    try {
      const second = await signedInPage('alice', 'employees/2/reports')
      await second.getByRole('heading', { name: 'Access denied' }).waitFor()
      await second.context().close()
      await first.reload()
      await first.getByRole('heading', { name: 'Log in' }).waitFor()
    } finally {
      alice.groups.push(ADMIN_GROUP)
      await first.context().close()
    }
  })

  test('an SSO-only domain refuses the password form and points to the provider', async () => {
    const context = await browser.newContext()
    const page = await context.newPage()
    page.setDefaultTimeout(15_000)
    await page.goto(`${running.url}/#login`)
    await page.getByLabel('Email address').fill('bob@example.com')
    await page.getByLabel('Password', { exact: true }).fill('any password at all')
    await page.getByRole('button', { name: 'Log in', exact: true }).click()
    await page
      .getByRole('alert')
      .getByText(/identity provider/i)
      .waitFor()
    await context.close()
  })

  test('the mobile client: provider sign-in ends in a non-extractable device key that signs requests', async () => {
    const mobileUrl = running.mobileUrl as string
    const context = await browser.newContext({ viewport: PHONE })
    const page = await context.newPage()
    page.setDefaultTimeout(15_000)
    const apiCalls: Request[] = []
    page.on('request', (r) => {
      if (r.url().startsWith(`${running.url}/api/`)) apiCalls.push(r)
    })
    await page.goto(mobileUrl)
    await page.getByRole('heading', { name: 'Log in' }).waitFor()
    await page.getByRole('button', { name: 'Sign in with Local IdP' }).click()
    await signInAtProvider(page, 'alice')
    await page.getByRole('heading', { name: 'Find a colleague' }).waitFor()
    assert.equal(new URL(page.url()).search, '', 'the one-time code is gone from the address bar')
    const stored = await page.evaluate((api) => {
      return new Promise<{ extractable: boolean; type: string } | null>((resolve, reject) => {
        const open = indexedDB.open('tessera', 1)
        open.onerror = () => reject(open.error)
        open.onsuccess = () => {
          const get = open.result.transaction('keys').objectStore('keys').get(api)
          get.onsuccess = () => {
            const key = get.result?.key as CryptoKey | undefined
            resolve(key ? { extractable: key.extractable, type: key.type } : null)
          }
        }
      })
    }, running.url)
    assert.deepEqual(stored, { extractable: false, type: 'private' })
    await page.getByLabel('Name').fill('an')
    await page.getByRole('link', { name: /Lucia Ferrante/ }).waitFor()
    const search = apiCalls.find((r) => r.url().includes('/api/employees'))
    assert.ok(search, 'the search went to the API')
    const headers = await search.allHeaders()
    assert.match(headers['signature-input'] ?? '', /alg="ecdsa-p256-sha256";tag="tessera"$/)
    assert.equal(headers.cookie, undefined, 'no cookie, no bearer token')
    assert.equal(headers.authorization, undefined)
    assert.equal((await search.response())?.status(), 200)
    await context.close()
  })
})
