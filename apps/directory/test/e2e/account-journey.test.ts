import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { type E2e, logIn, routeOf, screenshot, startE2e } from './browser-fixture.ts'

describe('the account pages in Chromium', { timeout: 60_000 }, () => {
  let e2e: E2e
  before(async () => {
    e2e = await startE2e({ auth: { openRegistration: true } })
  })
  after(() => e2e?.close())

  test('lists sessions, revokes another one, shows the password rules, and signs out everywhere', async () => {
    const first = await e2e.open(`${e2e.running.url}/#account`)
    await logIn(first.page, e2e.user)
    const second = await e2e.open(`${e2e.running.url}/#account`)
    await logIn(second.page, e2e.user)
    const { page, problems } = second
    await page.getByRole('heading', { name: 'Your account' }).waitFor()
    const rows = page.locator('tbody tr')
    assert.equal(await rows.count(), 2)
    assert.equal(await page.getByText('this browser').count(), 1)
    await screenshot(page, 'account')

    await page.getByRole('button', { name: /^Revoke Browser session/ }).click()
    await page.getByText('Revoked: that session or key no longer works.').waitFor()
    assert.equal(await rows.count(), 1)
    await first.page.reload()
    await first.page.getByRole('heading', { name: 'Log in' }).waitFor()
    assert.equal(routeOf(first.page), 'login', 'the revoked browser is logged out')

    await page.getByLabel('Current password').fill(e2e.user.password)
    await page.getByLabel('New password').fill('short')
    await page.getByRole('button', { name: 'Change password' }).click()
    await page.locator('#new-password-error').getByText('Use at least 15 characters').waitFor()
    assert.equal(await page.getByLabel('New password').getAttribute('aria-invalid'), 'true')
    await page.getByLabel('Current password').fill('wrong current password')
    await page.getByLabel('New password').fill('correct horse battery staple orbit')
    await page.getByRole('button', { name: 'Change password' }).click()
    await page
      .locator('#current-password-error')
      .getByText('Current password is not your current password.')
      .waitFor()
    await page.getByLabel('Current password').fill(e2e.user.password)
    await page.getByRole('button', { name: 'Change password' }).click()
    await page.getByText('Password changed. Your other sessions and keys are signed out.').waitFor()
    assert.equal(await page.locator('.is-invalid').count(), 0)
    assert.equal(await page.getByLabel('New password').inputValue(), '', 'the form is cleared')

    await page.getByRole('button', { name: 'Sign out everywhere' }).click()
    await page.getByText('You are signed out everywhere.').waitFor()
    assert.equal(routeOf(page), 'login')
    const live = await e2e.running.database.kysely
      .selectFrom('tessera_credential')
      .select('id')
      .where('revoked_at', 'is', null)
      .execute()
    assert.deepEqual(live, [], 'no session is left on the server')
    assert.deepEqual([...first.problems, ...problems], [])
  })

  test('registers an account, which logs in with the role user', async () => {
    const { page, problems } = await e2e.open(`${e2e.running.url}/#register`)
    await page.getByLabel('Your name').fill('Rita Register')
    await page.getByLabel('Email address').fill('rita@directory.example')
    await page.getByLabel('Password').fill('password')
    await page.getByRole('button', { name: 'Create account' }).click()
    await page
      .locator('#register-password-error')
      .getByText(/Use at least 15 characters/)
      .waitFor()
    await page.getByLabel('Password').fill('lantern meadow quietly fourteen')
    await page.getByRole('button', { name: 'Create account' }).click()
    await page.getByText('Welcome, Rita Register! Your account is ready.').waitFor()
    assert.equal(await page.locator('header [data-role="user-role"]').textContent(), 'user')
    assert.deepEqual(problems, [])
  })
})
