import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { type E2e, logIn, routeOf, startE2e } from './browser-fixture.ts'

/** Sessions die this long after the last use. */
const IDLE_MS = 60 * 60 * 1000

/** The server's clock: real time plus an offset the test moves, so expiry needs no sleeping. */
let offsetMs = 0
const now = () => Date.now() + offsetMs

describe('session expiry in Chromium', { timeout: 60_000 }, () => {
  let e2e: E2e
  before(async () => {
    e2e = await startE2e({ sessionIdleMs: IDLE_MS, now })
  })
  after(() => e2e?.close())

  test('an expired session sends the user to log in, says why, and returns to the page after login', async () => {
    const { page, problems } = await e2e.open(`${e2e.running.url}/#login`)
    await logIn(page, e2e.user)
    await page.getByText('Everyone (24)').waitFor()
    offsetMs += IDLE_MS + 1000
    const detail = page.waitForResponse((r) => r.url().endsWith('/api/employees/5'))
    await page.getByRole('link', { name: /Priya Raman/ }).click()
    const expired = await detail
    assert.equal(expired.status(), 401)
    assert.equal((await expired.json()).code, 'session_expired')
    await page.getByText('Your session expired. Please log in again.').waitFor()
    assert.equal(routeOf(page), 'login')
    assert.equal(
      await page.locator('header [data-role="user-name"]').count(),
      0,
      'the header forgot the user',
    )
    await logIn(page, e2e.user)
    await page.getByRole('heading', { name: 'Priya Raman' }).waitFor()
    assert.equal(routeOf(page), 'employees/5')
    assert.deepEqual(problems, [])
  })
})
