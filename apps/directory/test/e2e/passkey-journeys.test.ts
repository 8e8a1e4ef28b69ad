import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { inviteUser } from '@tessera/server'
import type { Page } from 'playwright-core'
import { type SmtpCapture, startSmtpCapture } from '../../../../test/support/smtp-capture.ts'
import { totpCode } from '../../../../test/support/totp-code.ts'
import { authTables } from './auth-tables.ts'
import { type E2e, logIn, routeOf, startE2e } from './browser-fixture.ts'
import {
  addPasskeyOnAccountPage,
  loggedIn,
  onLocalhost,
  openWithoutAutofill,
  virtualAuthenticator,
} from './passkey-fixture.ts'

const PAST_STEP_UP_MS = 301_000
const NEW_PASSWORD = 'Quartz-lantern 58 over the fjord'

async function logOut(page: Page): Promise<void> {
  await page.locator('header').getByRole('button', { name: 'Log out' }).click()
  await page.getByRole('heading', { name: 'Log in' }).waitFor()
}

describe('passkeys at an invitation, at the second step, and step-up in Chromium', {
  timeout: 120_000,
}, () => {
  let e2e: E2e
  let now = Date.now()
  let url: string
  let smtp: SmtpCapture
  before(async () => {
    smtp = await startSmtpCapture()
    e2e = await startE2e({ host: 'localhost', now: () => now, auth: { smtpUrl: smtp.url } })
    url = onLocalhost(e2e.running.url)
  })
  after(async () => {
    await e2e?.close()
    await smtp?.close()
  })

  /** An invitation as the admin's form makes it; answers the mailed link's token. */
  async function invitationToken(email: string, name: string): Promise<string> {
    await inviteUser(e2e.running.tessera, { email, name, role: 'user', by: null }, null, now)
    const { token } = await smtp.next(email)
    assert.ok(token, 'the invitation mail carries a link')
    return token
  }

  test('accepts an invitation by creating a passkey, logs out and in with it, and sets a first password after re-authenticating', async () => {
    const email = 'paula.passkey@directory.example'
    const { page, problems } = await openWithoutAutofill(
      e2e,
      `${url}#invitation/${await invitationToken(email, 'Paula Passkey')}`,
    )
    await virtualAuthenticator(page)
    await page.getByText(`Paula Passkey, choose a password for ${email}.`).waitFor()
    await page.getByRole('button', { name: 'Create a passkey' }).click()
    await page.locator('header [data-role="user-name"]').getByText('Paula Passkey').waitFor()
    const user = await e2e.running.tessera.findUser(email)
    assert.ok(user?.emailVerifiedAt, 'the account exists, its address proven by the link')
    assert.equal((await authTables(e2e.running).passkeys.listForUser(user.id)).length, 1)

    await logOut(page)
    await page.getByRole('button', { name: 'Sign in with a passkey' }).click()
    await loggedIn(page)

    // No password yet: the form's current-password field stays empty; the stale login is asked to confirm.
    await page.goto(`${url}#account`)
    await page.getByLabel('New password').waitFor()
    now += PAST_STEP_UP_MS
    await page.getByLabel('New password').fill(NEW_PASSWORD)
    await page.getByRole('button', { name: 'Change password' }).click()
    const dialog = page.getByRole('dialog', { name: 'Confirm it is you' })
    await dialog.getByRole('button', { name: 'Use a passkey' }).click()
    await page.getByText('Password changed.').waitFor()
    await logOut(page)
    await logIn(page, { email, password: NEW_PASSWORD })
    await loggedIn(page)
    assert.deepEqual(problems, [])
  })

  test('a spent invitation link shows why instead of the form', async () => {
    const email = 'twice@directory.example'
    const token = await invitationToken(email, 'Twice Invited')
    const first = await openWithoutAutofill(e2e, `${url}#invitation/${token}`)
    await virtualAuthenticator(first.page)
    await first.page.getByRole('button', { name: 'Create a passkey' }).click()
    await loggedIn(first.page)
    const second = await openWithoutAutofill(e2e, `${url}#invitation/${token}`)
    await second.page.getByText('This link was already used').waitFor()
    assert.equal(await second.page.getByRole('button', { name: 'Create a passkey' }).count(), 0)
  })

  test('an account with TOTP and a passkey passes the second login step with the passkey', async () => {
    const { page, problems } = await openWithoutAutofill(e2e, `${url}#account`)
    await virtualAuthenticator(page)
    await logIn(page, e2e.user)
    await addPasskeyOnAccountPage(page)
    await page.getByRole('button', { name: 'Set up authenticator app' }).click()
    const secret = (await page.locator('[data-role="totp-secret"]').textContent()) ?? ''
    await page.getByLabel('Code from the app').fill(totpCode(secret, now))
    await page.getByRole('button', { name: 'Turn on' }).click()
    await page.getByRole('button', { name: 'I saved them' }).click()
    await logOut(page)

    await logIn(page, e2e.user)
    await page.getByRole('heading', { name: 'Two-step verification' }).waitFor()
    const before = await e2e.running.tessera.auditTrail({
      limit: 1,
      event: 'session_created',
    })
    await page.getByRole('button', { name: 'Use a passkey' }).click()
    await loggedIn(page)
    assert.notEqual(routeOf(page), 'login')
    const [created] = await e2e.running.tessera.auditTrail({
      limit: 1,
      event: 'session_created',
    })
    assert.notEqual(created?.id, before[0]?.id, 'a new session was issued')
    const user = await e2e.running.tessera.findUser(e2e.user.email)
    assert.equal(created?.userId, user?.id)
    assert.deepEqual(problems, [])
  })

  test('an admin issues a key to a user from the Users page after re-authenticating; the secret is shown once', async () => {
    const { page, problems } = await openWithoutAutofill(e2e, `${url}#admin/users`)
    await logIn(page, e2e.admin)
    const target = e2e.running.demoAccounts.find((a) => a.role === 'user')
    assert.ok(target)
    const issue = page.getByRole('button', { name: `Issue key for ${target.name}` })
    await issue.waitFor()
    now += PAST_STEP_UP_MS
    await issue.click()
    const dialog = page.getByRole('dialog', { name: 'Confirm it is you' })
    await dialog.getByLabel('Your password').fill(e2e.admin.password)
    await dialog.getByRole('button', { name: 'Confirm' }).click()
    const secret = (await page.locator('[data-role="key-secret"]').textContent()) ?? ''
    const id = (await page.locator('[data-role="key-id"]').textContent()) ?? ''
    assert.match(secret, /^[A-Za-z0-9_-]{43}$/)
    const owner = await e2e.running.tessera.findUser(target.email)
    assert.ok(owner)
    const keys = await e2e.running.tessera.listCredentials(owner.id)
    assert.ok(
      keys.some((k) => k.id === id && k.type === 'hmac'),
      "the key is the user's",
    )
    await page.reload()
    await issue.waitFor()
    assert.equal(await page.locator('[data-role="key-secret"]').count(), 0, 'gone once the page is left')
    assert.deepEqual(problems, [])
  })
})
