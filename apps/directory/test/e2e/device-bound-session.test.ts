import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { rm } from 'node:fs/promises'
import { request } from 'node:https'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import { setTimeout as delay } from 'node:timers/promises'
import type { AuditEventName, AuditRecord } from '@tessera/server'
import type { Browser, BrowserContext } from 'playwright-core'
import { launchChromium } from '../../../../test/support/chromium.ts'
import { DbscClient } from '../../../../test/support/dbsc-client.ts'
import { type LocalCertificate, localCertificate } from '../../src/https/local-certificate.ts'
import { type RunningDirectory, startDirectory } from '../../src/start-directory.ts'
import { testConfig } from '../../src/testing/directory-fixture.ts'
import { authTables } from './auth-tables.ts'
import { logIn, screenshot, testFrontEnds } from './browser-fixture.ts'

const SESSION = '__Host-tessera'
const BOUND = '__Host-tessera-bound'
const DBSC_FLAGS = 'DeviceBoundSessions,EnableBoundSessionCredentialsSoftwareKeysForManualTesting'

let running: RunningDirectory
let browser: Browser
let certificate: LocalCertificate
let clock = Date.now()
const dir = join(tmpdir(), `directory-dbsc-${process.pid}-${randomUUID()}`)

before(async () => {
  certificate = localCertificate(join(dir, 'tls'))
  const base = testConfig(`sqlite:${join(dir, 'directory.db')}`)
  // The admin role must bind where the browser can (DBSC_REQUIRE_ROLES=admin).
  const auth = { ...base.auth, dbscRequireRoles: ['admin' as const] }
  running = await startDirectory(
    { ...base, auth, tls: { certFile: certificate.certFile, keyFile: certificate.keyFile } },
    { frontEnds: await testFrontEnds(), logger: false, now: () => clock },
  )
  browser = await launchChromium([
    `--enable-features=${DBSC_FLAGS}`,
    `--ignore-certificate-errors-spki-list=${certificate.spkiSha256}`,
  ])
})

after(async () => {
  await browser?.close()
  await running?.close()
  await rm(dir, { recursive: true, force: true })
})

function account(role: 'user' | 'admin') {
  const found = running.demoAccounts.find((a) => a.role === role)
  if (found === undefined) throw new Error(`no demo ${role}`)
  return found
}

/** Waits (bounded) for a condition the browser brings about on its own, such as its DBSC registration. */
async function until<T>(what: string, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + 10_000
  for (;;) {
    const value = await probe()
    if (value !== undefined) return value
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`)
    await delay(50)
  }
}

function audited(event: AuditEventName, match: (r: AuditRecord) => boolean): Promise<AuditRecord> {
  return until(event, async () => (await running.tessera.auditTrail({ limit: 200, event })).find(match))
}

async function cookie(context: BrowserContext, name: string) {
  return (await context.cookies()).find((c) => c.name === name)
}

test('Chromium binds the session over https, refreshes it transparently, shows it bound, and ends it at logout', {
  timeout: 120_000,
}, async () => {
  const context = await browser.newContext({ viewport: { width: 1200, height: 800 } })
  try {
    const page = await context.newPage()
    page.setDefaultTimeout(10_000)
    await page.goto(`${running.url}/#login`)
    await logIn(page, account('user'))
    const bound = await until('the bound cookie', () => cookie(context, BOUND))
    const session = (await cookie(context, SESSION)) as NonNullable<Awaited<ReturnType<typeof cookie>>>
    const sessionId = (await page.evaluate(() => fetch('/auth/me').then((r) => r.json()))).credential.id
    const registered = await audited('authn_token_created', (r) => r.credentialId === sessionId)
    assert.deepEqual([registered.detail.type, registered.detail.algorithm], ['dbsc', 'ES256'])

    // The bound cookie gone: the browser holds the next API call, refreshes with its key, then sends it.
    await context.clearCookies({ name: BOUND })
    const status = await page.evaluate(() => fetch('/api/employees').then((r) => r.status))
    assert.equal(status, 200)
    await audited('session_renewed', (r) => r.credentialId === sessionId && r.detail.via === 'dbsc')
    assert.notEqual((await cookie(context, BOUND))?.value, undefined)

    await page.goto(`${running.url}/#account`)
    const row = page.locator(`[data-credential="${sessionId}"]`)
    await row.locator('[data-bound]').waitFor()
    assert.match(String(await row.textContent()), /bound to this device/)
    await screenshot(page, 'account-bound')

    // The thief copies both cookies into a browser without the key.
    const thief = await browser.newContext()
    try {
      await thief.addCookies([session, bound].map((c) => ({ ...c })))
      const thiefPage = await thief.newPage()
      await thiefPage.goto(`${running.url}/about`).catch(() => {})
      clock += 10 * 60_000 + 1000
      const refused = await thiefPage.evaluate(() =>
        fetch('/api/employees').then(async (r) => [r.status, (await r.json()).code]),
      )
      assert.deepEqual(refused, [401, 'session_refresh_required'])
      await audited('session_use_after_expire', (r) => r.credentialId === sessionId)
      // Its refresh attempts, signed with a key of its own, fail and are audited.
      const node = new DbscClient(running.url)
      node.sessionId = sessionId
      node.jar.set(SESSION, session.value)
      const attempt = await refreshOverTls(node)
      assert.equal(attempt, 401)
      await audited(
        'authn_token_reuse',
        (r) => r.credentialId === sessionId && r.detail.reason === 'dbsc_wrong_key',
      )
    } finally {
      await thief.close()
    }

    // The owner's browser refreshes with its key whenever the bound cookie is missing.
    await context.clearCookies({ name: BOUND })
    const again = await page.evaluate(() => fetch('/api/employees').then((r) => r.status))
    assert.equal(again, 200)

    // Logging out clears both cookies; the browser asks to refresh and is told the session ended.
    await page.getByRole('button', { name: 'Log out', exact: true }).first().click()
    await page.getByLabel('Email address', { exact: true }).waitFor()
    await page.evaluate(() => fetch('/api/ping').then((r) => r.status))
    await audited('session_expired', (r) => r.credentialId === sessionId && r.detail.via === 'dbsc_refresh')
  } finally {
    await context.close()
  }
})

test('with DBSC_REQUIRE_ROLES=admin, an admin on a capable browser is bound and the app works through the registration', {
  timeout: 120_000,
}, async () => {
  const context = await browser.newContext({ viewport: { width: 1200, height: 800 } })
  try {
    const page = await context.newPage()
    page.setDefaultTimeout(10_000)
    // Client hints as Chrome on Windows sends them: the policy's default test of "can bind".
    const cdp = await context.newCDPSession(page)
    const brands = [{ brand: 'Chromium', version: '156' }]
    await cdp.send('Emulation.setUserAgentOverride', {
      userAgent: await page.evaluate(() => navigator.userAgent),
      userAgentMetadata: {
        brands,
        platform: 'Windows',
        platformVersion: '10.0.0',
        architecture: 'x86',
        model: '',
        mobile: false,
      },
    })
    await page.goto(`${running.url}/#employees/1`)
    await logIn(page, account('admin'))
    // The admin-only reports load while (or just after) the browser registers.
    await page.getByRole('heading', { name: /Direct reports \(\d+\)/ }).waitFor()
    await until('the bound cookie', () => cookie(context, BOUND))
    const sessionId = (await page.evaluate(() => fetch('/auth/me').then((r) => r.json()))).credential.id
    const binding = await authTables(running).dbsc?.find(sessionId)
    assert.deepEqual([binding?.required, binding?.algorithm], [true, 'ES256'])
  } finally {
    await context.close()
  }
})

/** The thief's two refresh steps from Node, over the test's TLS (the Node client's `send` speaks plain http). */
async function refreshOverTls(client: DbscClient): Promise<number> {
  const headers = {
    'sec-secure-session-id': client.sessionId as string,
    cookie: `${SESSION}=${client.jar.get(SESSION)}`,
  }
  const first = await post(headers)
  assert.equal(first.status, 403)
  const challenge = /^"([^"]+)"/.exec(first.challenge)?.[1] as string
  return (await post({ ...headers, 'secure-session-response': client.proof(challenge, false) })).status
}

function post(headers: Record<string, string>): Promise<{ status: number; challenge: string }> {
  const ca = readFileSync(certificate.caCertFile)
  return new Promise((resolve, reject) => {
    const req = request(
      `${running.url}/auth/dbsc/refresh`,
      { method: 'POST', headers, ca, timeout: 10_000 },
      (res) => {
        res.resume()
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            challenge: String(res.headers['secure-session-challenge'] ?? ''),
          }),
        )
      },
    )
    req.on('timeout', () => req.destroy(new Error('timed out')))
    req.on('error', reject)
    req.end()
  })
}
