import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { freePort } from './free-port.ts'

const MAIN = new URL('./main.ts', import.meta.url).pathname

/** Resolves with the first stdout match of `pattern`, or rejects when the process ends first. */
function waitForOutput(child: ReturnType<typeof spawn>, pattern: RegExp): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    let text = ''
    child.stdout?.on('data', (chunk: Buffer) => {
      text += chunk.toString()
      const match = text.match(pattern)
      if (match !== null) resolve(match)
    })
    child.once('exit', (code) => reject(new Error(`exited with ${code} before printing ${pattern}: ${text}`)))
  })
}

test('npm start builds the front-ends if needed, serves the web app and the mobile client, and exits cleanly on SIGTERM', {
  timeout: 60_000,
}, async (t) => {
  const file = join(tmpdir(), `directory-main-${process.pid}-${Date.now()}.db`)
  const mobilePort = await freePort('127.0.0.1')
  const env = {
    ...process.env,
    PORT: '0',
    HOST: '127.0.0.1',
    MOBILE_PORT: String(mobilePort),
    DATABASE_URL: `sqlite:${file}`,
    TESSERA_SECRET_FILE: `${file}.secret`,
    LOG_LEVEL: 'warn',
  }
  const child = spawn(process.execPath, [MAIN], { env, stdio: ['ignore', 'pipe', 'pipe'] })
  t.after(() => {
    if (child.exitCode === null) child.kill('SIGKILL')
    for (const suffix of ['', '-wal', '-shm', '.secret']) rmSync(file + suffix, { force: true })
  })
  const [, url, mobileUrl, email, password] = await waitForOutput(
    child,
    /Employee Directory listening on (http:\/\/127\.0\.0\.1:\d+)\n {2}mobile client on (\S+)\n[\s\S]*demo user +(\S+) +password: (\S+)/,
  )
  assert.equal(mobileUrl, `http://127.0.0.1:${mobilePort}/m/`)
  const page = await fetch(`${url}/`, { signal: AbortSignal.timeout(5000) })
  assert.match(
    await page.text(),
    /<script type="module" crossorigin src="\/assets\/[\w-]+\.js">/,
    'the built web app',
  )
  const mobile = await fetch(mobileUrl as string, { signal: AbortSignal.timeout(5000) })
  assert.match(await mobile.text(), new RegExp(`<meta name="tessera-api-origin" content="${url}">`))
  const ping = await fetch(`${url}/api/ping`, { signal: AbortSignal.timeout(5000) })
  assert.equal((await ping.json()).ok, true)
  const login = await fetch(`${url}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: url as string },
    body: JSON.stringify({ email, password }),
    signal: AbortSignal.timeout(5000),
  })
  assert.equal(login.status, 200, 'the printed demo password works')
  const exited = once(child, 'exit')
  child.kill('SIGTERM')
  const [code, signal] = await exited
  assert.deepEqual({ code, signal }, { code: 0, signal: null })
})

test('npm start refuses a bad PORT with a clear message', { timeout: 30_000 }, async () => {
  const child = spawn(process.execPath, [MAIN], {
    env: { ...process.env, PORT: 'eighty' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stderr = ''
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString()
  })
  const [code] = await once(child, 'exit')
  assert.equal(code, 1)
  assert.match(stderr, /failed to start: PORT must be an integer from 0 to 65535, got "eighty"/)
})
