import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { newEmployee } from '../../src/testing/directory-fixture.ts'
import { type E2e, logIn, routeOf, screenshot, startE2e } from './browser-fixture.ts'

const HOSTILE = '<img src=x onerror=alert(1)>'

describe('the web app in Chromium, as an admin', { timeout: 60_000 }, () => {
  let e2e: E2e
  before(async () => {
    e2e = await startE2e()
  })
  after(() => e2e?.close())

  test('sees direct reports, walks down the org chart, edits an employee: server errors by the field, then the change', async () => {
    const { page, problems } = await e2e.open(`${e2e.running.url}/#employees/2`)
    await logIn(page, e2e.admin)
    await page.getByRole('heading', { name: 'Daniel Reyes' }).waitFor()
    await page.getByRole('link', { name: /Tomasz Nowak/ }).click()
    await page.getByRole('heading', { name: 'Tomasz Nowak' }).waitFor()
    assert.equal(routeOf(page), 'employees/6', 'a report link walks down the org chart')

    await page.getByRole('link', { name: 'Edit employee' }).click()
    await page.getByRole('heading', { name: 'Edit Tomasz Nowak' }).waitFor()
    await page.getByLabel('Title').fill('Director of Engineering')
    await page.getByLabel('Email').fill('not an email')
    await page.getByRole('button', { name: 'Save changes' }).click()
    const email = page.getByLabel('Email')
    await page.waitForFunction(() => document.querySelector('#edit-email')?.classList.contains('is-invalid'))
    assert.equal(await email.getAttribute('aria-invalid'), 'true')
    assert.match(
      (await page.locator('#edit-email-error').textContent()) ?? '',
      /^Email must match format "email"\.$/,
    )
    assert.equal(
      await page.evaluate(() => document.activeElement?.id),
      'edit-email',
      'focus on the field in error',
    )
    assert.equal(await page.locator('.is-invalid').count(), 1, 'only the email is marked')
    await page.getByText('Some fields need attention.').waitFor()
    await screenshot(page, 'admin-edit')
    const unchanged = await e2e.running.database.kysely
      .selectFrom('employee')
      .select('title')
      .where('id', '=', 6)
      .executeTakeFirstOrThrow()
    assert.equal(unchanged.title, 'Engineering Manager')

    await email.fill('tomasz.nowak@example.com')
    await page.getByRole('button', { name: 'Save changes' }).click()
    await page.getByText('Changes saved.').waitFor()
    assert.equal(routeOf(page), 'employees/6')
    assert.equal(await page.locator('[data-role="employee-title"]').textContent(), 'Director of Engineering')
    await page.reload()
    await page.getByRole('heading', { name: 'Tomasz Nowak' }).waitFor()
    assert.equal(await page.locator('[data-role="employee-title"]').textContent(), 'Director of Engineering')
    assert.deepEqual(problems, [])
  })

  test('shows a hostile employee name as text, in the page, the reports panel and the search, and runs no script', async () => {
    const lastName = '"><script>alert(2)</script>'
    const id = await createAsAdmin(e2e, newEmployee({ firstName: HOSTILE, lastName, managerId: 6 }))
    const { page, problems } = await e2e.open(`${e2e.running.url}/#employees/${id}`)
    await logIn(page, e2e.admin)
    const heading = page.locator('[data-role="employee-name"]')
    await heading.waitFor()
    assert.equal(await heading.textContent(), `${HOSTILE} ${lastName}`)

    await page.getByRole('combobox').fill('onerror')
    const option = page.getByRole('option').first()
    await option.waitFor()
    assert.match((await option.textContent()) ?? '', /<img src=x onerror=alert\(1\)>/)
    await page.getByRole('combobox').press('Escape')

    await page.locator('[data-role="manager-link"]').click()
    await page.getByRole('heading', { name: 'Tomasz Nowak' }).waitFor()
    await page.locator('[data-region="reports"]').getByText(HOSTILE).waitFor()
    assert.equal(await page.locator('img[src="x"]').count(), 0, 'no element was made from the name')
    assert.equal(await page.evaluate(() => document.querySelectorAll('script:not([src])').length), 0)
    assert.deepEqual(problems, [], 'no alert, no page error, no CSP report')
  })
})

/** Creates an employee through the API as the admin (a session from Node, with the CSRF token). */
async function createAsAdmin(e2e: E2e, body: object): Promise<number> {
  const origin = e2e.running.url
  const login = await fetch(`${origin}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin },
    body: JSON.stringify({ email: e2e.admin.email, password: e2e.admin.password }),
  })
  const { csrfToken } = (await login.json()) as { csrfToken: string }
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] as string
  const res = await fetch(`${origin}/api/employees`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin, cookie, 'x-csrf-token': csrfToken },
    body: JSON.stringify(body),
  })
  assert.equal(res.status, 201, await res.clone().text())
  return ((await res.json()) as { id: number }).id
}
