import { type Browser, chromium } from 'playwright-core'

/** Debian's Chromium, headless, with nothing that phones home. */
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

/** Starts the system Chromium (`/usr/bin/chromium`) for a browser test; the caller closes it. */
export function launchChromium(extraArgs: readonly string[] = []): Promise<Browser> {
  const args = [...CHROMIUM_ARGS, ...extraArgs]
  return chromium.launch({ executablePath: '/usr/bin/chromium', args, timeout: 30_000 })
}
