import type { CDPSession, Page } from 'playwright-core'
import type { E2e } from './browser-fixture.ts'

/** WebAuthn needs a domain for its RP ID: the pages are opened on `localhost`, the directory's development twin. */
export function onLocalhost(url: string): string {
  const u = new URL(url)
  u.hostname = 'localhost'
  return u.toString()
}

/** A virtual platform authenticator (resident keys, user verification) for the page, over CDP. */
export async function virtualAuthenticator(
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
export async function openWithoutAutofill(e2e: E2e, url: string, viewport = { width: 1200, height: 800 }) {
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
export async function addPasskeyOnAccountPage(page: Page): Promise<void> {
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

export async function loggedIn(page: Page): Promise<void> {
  await page.locator('header').getByRole('button', { name: 'Log out' }).waitFor()
}
