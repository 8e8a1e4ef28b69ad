import { randomUUID } from 'node:crypto'
import { mkdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { launchChromium } from '../../../../test/support/chromium.ts'
import type { AuthSettings } from '../../src/auth-settings.ts'
import type { DemoAccount } from '../../src/demo-accounts.ts'
import { freePort } from '../../src/free-port.ts'
import { ensureFrontEnds, type FrontEnds, sourceHash } from '../../src/front-end/build-front-ends.ts'
import { type RunningDirectory, startDirectory } from '../../src/start-directory.ts'
import { testConfig } from '../../src/testing/directory-fixture.ts'

export const DESKTOP = { width: 1200, height: 800 }
export const PHONE = { width: 390, height: 844 }

const SCREENSHOTS = new URL('../../../../docs/screenshots/', import.meta.url).pathname

/**
 * The front-ends built once per source version into the temp folder, shared by every test
 * file (and never touching the `dist/` folders `npm start` serves).
 */
export async function testFrontEnds(): Promise<FrontEnds> {
  const root = join(tmpdir(), 'tessera-directory-front-ends', await sourceHash())
  return ensureFrontEnds({ outDirs: { web: join(root, 'web'), mobile: join(root, 'mobile') } })
}

export interface E2e {
  running: RunningDirectory
  user: DemoAccount
  admin: DemoAccount
  browser: Browser
  /** A fresh browser context (no cookies, no IndexedDB) at `url`; `problems` collects page errors, dialogs and CSP reports. */
  open(url: string, viewport?: { width: number; height: number }): Promise<{ page: Page; problems: string[] }>
  close(): Promise<void>
}

function account(running: RunningDirectory, role: 'user' | 'admin'): DemoAccount {
  const found = running.demoAccounts.find((a) => a.role === role)
  if (found === undefined) throw new Error(`no demo ${role} was made`)
  return found
}

/** The real directory (temp SQLite file, web app at `/`, mobile client on a second port) and Chromium. */
export async function startE2e(
  options: { sessionIdleMs?: number; now?: () => number; host?: string; auth?: Partial<AuthSettings> } = {},
): Promise<E2e> {
  const file = join(tmpdir(), `directory-e2e-${process.pid}-${randomUUID()}.db`)
  const given = testConfig(`sqlite:${file}`)
  // `localhost`: a domain, as WebAuthn's RP ID needs (passkeys), with the API and mobile origins same-site.
  const base = { ...given, host: options.host ?? given.host }
  const auth = { ...base.auth, sessionIdleMs: options.sessionIdleMs, ...options.auth }
  const config = { ...base, mobilePort: await freePort('127.0.0.1'), auth }
  const running = await startDirectory(config, {
    frontEnds: await testFrontEnds(),
    logger: false,
    ...(options.now && { now: options.now }),
  })
  const browser = await launchChromium().catch(async (error: unknown) => {
    await running.close()
    throw error
  })
  return {
    running,
    user: account(running, 'user'),
    admin: account(running, 'admin'),
    browser,
    open: (url, viewport) => openPage(browser, url, viewport),
    async close() {
      await browser.close()
      await running.close()
      for (const suffix of ['', '-wal', '-shm']) await rm(file + suffix, { force: true })
    },
  }
}

async function openPage(browser: Browser, url: string, viewport = DESKTOP) {
  const context = await browser.newContext({ viewport })
  const page = await context.newPage()
  page.setDefaultTimeout(10_000)
  const problems: string[] = []
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`))
  page.on('dialog', (dialog) => {
    problems.push(`dialog: ${dialog.message()}`)
    void dialog.dismiss()
  })
  page.on('console', (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) problems.push(`csp: ${message.text()}`)
  })
  await page.goto(url)
  return { page, problems }
}

/** Fills and sends the login form (web app or mobile client) on the current page. */
export async function logIn(page: Page, who: { email: string; password: string }): Promise<void> {
  await page.getByLabel('Email address', { exact: true }).fill(who.email)
  await page.getByLabel('Password', { exact: true }).fill(who.password)
  await page.getByRole('button', { name: 'Log in', exact: true }).click()
}

/** Waits until at least `count` avatars are drawn (loaded, with a size), not broken images. */
export async function avatarsShown(page: Page, count: number): Promise<void> {
  await page.waitForFunction((least) => {
    const pictures = [
      ...document.querySelectorAll<HTMLImageElement>('img[data-avatar], img[src*="/avatars/"]'),
    ]
    return pictures.length >= least && pictures.every((img) => img.complete && img.naturalWidth > 0)
  }, count)
}

/** The route part of the page's URL (`employees/7` for `…/#employees/7`). */
export function routeOf(page: Page): string {
  return new URL(page.url()).hash.replace(/^#/, '')
}

/** With UPDATE_SCREENSHOTS=1, saves the page as `docs/screenshots/<name>.png` (for the README). */
export async function screenshot(page: Page, name: string): Promise<void> {
  if (process.env.UPDATE_SCREENSHOTS !== '1') return
  await mkdir(SCREENSHOTS, { recursive: true })
  await page.mouse.move(0, 0) // no hover highlight in the picture
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) })
}
