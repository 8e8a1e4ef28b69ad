import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { Page } from 'playwright-core'
import { totpCode } from '../../../../test/support/totp-code.ts'
import { type E2e, logIn, routeOf, screenshot, startE2e } from './browser-fixture.ts'

const STEP_MS = 30_000
const PAST_STEP_UP_MS = 301_000

describe('two-step verification and re-authentication in Chromium', { timeout: 90_000 }, () => {
  let e2e: E2e
  let now = Date.now()
  before(async () => {
    e2e = await startE2e({ now: () => now })
  })
  after(() => e2e?.close())

  async function logOut(page: Page): Promise<void> {
    await page.locator('header').getByRole('button', { name: 'Log out' }).click()
    await page.getByRole('heading', { name: 'Log in' }).waitFor()
  }

  test('enrols an authenticator app, logs in with a code and with a recovery code, and turns it off after re-authenticating', async () => {
    const { page, problems } = await e2e.open(`${e2e.running.url}/#account`)
    await logIn(page, e2e.user)
    await page.getByRole('heading', { name: 'Two-step verification' }).waitFor()
    await page.getByRole('button', { name: 'Set up authenticator app' }).click()
    const secret = (await page.locator('[data-role="totp-secret"]').textContent()) ?? ''
    assert.match(secret, /^[A-Z2-7]{32}$/)
    const qr = page.getByRole('img', { name: 'QR code for your authenticator app' })
    await page.waitForFunction(
      () => (document.querySelector('img.totp-qr') as HTMLImageElement)?.naturalWidth > 0,
    )
    assert.match((await qr.getAttribute('src')) ?? '', /^data:image\/svg\+xml;base64,/)
    await screenshot(page, 'two-step-setup')
    await page.getByLabel('Code from the app').fill(totpCode(secret, now))
    await page.getByRole('button', { name: 'Turn on' }).click()
    await page.getByText('Two-step verification is on.').waitFor()
    const codes = await page.locator('[data-role="recovery-codes"] li').allTextContents()
    assert.equal(codes.length, 10)
    await page.getByRole('button', { name: 'I saved them' }).click()
    await page.getByText('10 recovery codes left.').waitFor()

    await logOut(page)
    now += STEP_MS
    await logIn(page, e2e.user)
    await page.getByRole('heading', { name: 'Two-step verification' }).waitFor()
    await page.getByLabel('Authentication code').fill('000000')
    await page.getByRole('button', { name: 'Verify' }).click()
    await page.getByText('That code is not right, or was already used.').waitFor()
    await page.getByLabel('Authentication code').fill(totpCode(secret, now))
    await page.getByRole('button', { name: 'Verify' }).click()
    await page.locator('header').getByRole('button', { name: 'Log out' }).waitFor()

    await logOut(page)
    await logIn(page, e2e.user)
    await page.getByLabel('Authentication code').fill(codes[0] as string)
    await page.getByRole('button', { name: 'Verify' }).click()
    await page.locator('header').getByRole('button', { name: 'Log out' }).waitFor()

    await page.goto(`${e2e.running.url}/#account`)
    await page.getByText('9 recovery codes left.').waitFor()
    now += PAST_STEP_UP_MS
    await page.getByRole('button', { name: 'Turn off' }).click()
    const dialog = page.getByRole('dialog', { name: 'Confirm it is you' })
    await dialog.waitFor()
    await dialog.getByLabel('Or authenticator code').fill(totpCode(secret, now))
    await dialog.getByRole('button', { name: 'Confirm' }).click()
    await page.getByRole('button', { name: 'Set up authenticator app' }).waitFor()
    assert.equal(await dialog.count(), 0, 'the dialog is gone')
    assert.deepEqual(problems, [])
  })

  test('an admin is asked to re-authenticate before deleting an employee, and the deletion then goes through', async () => {
    const { page, problems } = await e2e.open(`${e2e.running.url}/#employees/24`)
    await logIn(page, e2e.admin)
    await page.getByRole('button', { name: 'Delete employee' }).waitFor()
    now += PAST_STEP_UP_MS
    await page.getByRole('button', { name: 'Delete employee' }).click()
    const dialog = page.getByRole('dialog', { name: 'Confirm it is you' })
    await dialog.waitFor()
    await dialog.getByLabel('Your password').fill('not the password')
    await dialog.getByRole('button', { name: 'Confirm' }).click()
    await dialog.getByText('That password or code is not right.').waitFor()
    await screenshot(page, 'reauth-dialog')
    await dialog.getByLabel('Your password').fill(e2e.admin.password)
    await dialog.getByRole('button', { name: 'Confirm' }).click()
    await page.getByText('Employee deleted.').waitFor()
    assert.equal(routeOf(page), '')
    const left = await e2e.running.database.kysely
      .selectFrom('employee' as never)
      .select('id' as never)
      .where('id' as never, '=', 24 as never)
      .execute()
    assert.deepEqual(left, [])
    assert.deepEqual(problems, [])
  })

  test('cancelling the dialog deletes nothing', async () => {
    const { page } = await e2e.open(`${e2e.running.url}/#employees/23`)
    await logIn(page, e2e.admin)
    await page.getByRole('button', { name: 'Delete employee' }).waitFor()
    now += PAST_STEP_UP_MS
    await page.getByRole('button', { name: 'Delete employee' }).click()
    const dialog = page.getByRole('dialog', { name: 'Confirm it is you' })
    await dialog.getByRole('button', { name: 'Cancel' }).click()
    await page.getByText('Please confirm it is you to do that.').waitFor()
    const still = await e2e.running.database.kysely
      .selectFrom('employee' as never)
      .select('id' as never)
      .where('id' as never, '=', 23 as never)
      .execute()
    assert.equal(still.length, 1)
  })
})
