import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { avatarsShown, type E2e, logIn, routeOf, screenshot, startE2e } from './browser-fixture.ts'

describe('the web app in Chromium, as a user', { timeout: 60_000 }, () => {
  let e2e: E2e
  before(async () => {
    e2e = await startE2e()
  })
  after(() => e2e?.close())

  test('logs in, searches with the keyboard, opens an employee, is shown why reports are denied, and logs out', async () => {
    const { page, problems } = await e2e.open(`${e2e.running.url}/`)
    await page.getByRole('heading', { name: 'Log in' }).waitFor()
    await screenshot(page, 'login')
    await logIn(page, e2e.user)
    await page.getByRole('heading', { name: 'Employee Directory' }).waitFor()
    await page.getByText('Everyone (24)').waitFor()
    assert.equal(await page.locator('header [data-role="user-name"]').textContent(), 'Uma User')
    assert.equal(await page.locator('header [data-role="user-role"]').textContent(), 'user')
    await screenshot(page, 'home')

    const search = page.getByRole('combobox', { name: 'Search employees by name' })
    await search.fill('reyes')
    await page.getByRole('option', { name: /Daniel Reyes/ }).waitFor()
    assert.equal(await search.getAttribute('aria-expanded'), 'true')
    await search.press('ArrowDown')
    assert.equal(await search.getAttribute('aria-activedescendant'), 'search-option-0')
    await search.press('Enter')
    await page.getByRole('heading', { name: 'Daniel Reyes' }).waitFor()
    assert.equal(routeOf(page), 'employees/2')
    assert.equal(
      await page.evaluate(() => document.activeElement?.textContent),
      'Daniel Reyes',
      'focus on the heading',
    )
    assert.equal(
      await page.getByRole('link', { name: '+1 617 555 0102' }).getAttribute('href'),
      'tel:+16175550102',
    )
    assert.equal(
      await page.getByRole('link', { name: 'daniel.reyes@example.com' }).getAttribute('href'),
      'mailto:daniel.reyes@example.com',
    )
    await avatarsShown(page, 1)
    await screenshot(page, 'employee')

    await page.getByRole('link', { name: 'Amara Okafor' }).first().click()
    await page.getByRole('heading', { name: 'Amara Okafor' }).waitFor()
    assert.equal(routeOf(page), 'employees/1', 'the manager link walks up the org chart')
    await page.getByRole('link', { name: 'Show direct reports' }).click()
    await page.getByRole('heading', { name: 'Access denied' }).waitFor()
    assert.equal(routeOf(page), 'denied')
    assert.equal(
      await page.locator('[data-role="reason"]').textContent(),
      'Direct reports are visible to administrators only.',
    )
    await page.getByText('You are signed in as Uma User').waitFor()
    await screenshot(page, 'denied')
    await page.getByRole('link', { name: 'Back to the employee' }).click()
    await page.getByRole('heading', { name: 'Amara Okafor' }).waitFor()

    await page.getByRole('button', { name: 'Log out' }).click()
    await page.getByText('You are logged out.').waitFor()
    assert.equal(routeOf(page), 'login')
    assert.equal(await page.locator('header [data-role="user-name"]').count(), 0)
    const after = await page.evaluate(() => fetch('/api/employees').then((r) => r.status))
    assert.equal(after, 401, 'the session is dead on the server, not just forgotten by the page')
    assert.deepEqual(problems, [])
  })

  test('Back after logout to the denied page shows the login page, not a stale "Access denied"', async () => {
    const { page, problems } = await e2e.open(`${e2e.running.url}/#login`)
    await logIn(page, e2e.user)
    await page.getByText('Everyone (24)').waitFor()
    await page
      .getByRole('link', { name: /Amara Okafor/ })
      .first()
      .click()
    await page.getByRole('heading', { name: 'Amara Okafor' }).waitFor()
    await page.getByRole('link', { name: 'Show direct reports' }).click()
    await page.getByRole('heading', { name: 'Access denied' }).waitFor()
    await page.getByRole('link', { name: 'Back to the employee' }).click()
    await page.getByRole('heading', { name: 'Amara Okafor' }).waitFor()
    await page.getByRole('button', { name: 'Log out' }).click()
    await page.getByText('You are logged out.').waitFor()

    const drawn: string[] = []
    await page.exposeFunction('pageDrawn', (heading: string) => drawn.push(heading))
    await page.evaluate(() => {
      const main = document.querySelector('#main') as HTMLElement
      const report = () =>
        (window as unknown as { pageDrawn(h: string): void }).pageDrawn(
          main.querySelector('h1')?.textContent ?? '',
        )
      new MutationObserver(report).observe(main, { childList: true, subtree: true })
    })
    await page.goBack()
    await page.waitForURL(/#login$/)
    await page.getByRole('heading', { name: 'Log in' }).waitFor()
    assert.equal(await page.getByRole('heading', { name: 'Access denied' }).count(), 0)
    assert.ok(!drawn.includes('Access denied'), `never drawn: ${drawn.join(', ')}`)
    assert.equal(await page.locator('header [data-role="user-name"]').count(), 0)
    assert.deepEqual(problems, [])
  })

  test('a protected page sends a logged-out visitor to log in, then back to that page', async () => {
    const { page, problems } = await e2e.open(`${e2e.running.url}/#employees/7`)
    await page.getByRole('heading', { name: 'Log in' }).waitFor()
    assert.equal(routeOf(page), 'login')
    await page.getByText('Please log in to see that page.').waitFor()
    await logIn(page, e2e.user)
    await page.getByRole('heading', { name: 'Lucia Ferrante' }).waitFor()
    assert.equal(routeOf(page), 'employees/7')
    assert.deepEqual(problems, [])
  })

  test('a wrong password is an error in the form, and repeated failures say how long to wait', async () => {
    const { page, problems } = await e2e.open(`${e2e.running.url}/#login`)
    const wrong = { email: 'nobody@directory.example', password: 'not the password at all' }
    await logIn(page, wrong)
    const error = page.locator('[data-role="form-error"]')
    await page.getByText('The email address or password is not right.').waitFor()
    assert.equal(await error.getAttribute('role'), 'alert')
    for (let attempt = 0; attempt < 6; attempt++) {
      await logIn(page, wrong)
      await page.waitForFunction(
        () => !document.querySelector('[data-role="submit"]')?.hasAttribute('disabled'),
      )
      if (/Try again in/.test((await error.textContent()) ?? '')) break
    }
    assert.match((await error.textContent()) ?? '', /^Too many attempts\. Try again in \d+ s\.$/)
    assert.deepEqual(problems, [])
  })

  test('says "could not reach the server" when the network is down, and recovers with "Try again"', async () => {
    const { page, problems } = await e2e.open(`${e2e.running.url}/#login`)
    await logIn(page, e2e.user)
    await page.getByText('Everyone (24)').waitFor()
    await page.context().setOffline(true)
    await page
      .getByRole('link', { name: /Amara Okafor/ })
      .first()
      .click()
    await page.getByText('Could not reach the server. Check your connection and try again.').waitFor()
    await page.context().setOffline(false)
    await page.getByRole('button', { name: 'Try again' }).click()
    await page.getByRole('heading', { name: 'Amara Okafor' }).waitFor()
    assert.deepEqual(problems, [])
  })
})
