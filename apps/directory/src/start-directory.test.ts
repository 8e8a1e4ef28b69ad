import assert from 'node:assert/strict'
import { rmSync } from 'node:fs'
import { type AddressInfo, createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { freePort } from './free-port.ts'
import { type RunningDirectory, startDirectory } from './start-directory.ts'
import { testConfig } from './testing/directory-fixture.ts'
import { fakeFrontEnds } from './testing/fake-front-ends.ts'

function tempFile(t: { after(fn: () => void): void }, name: string): string {
  const file = join(tmpdir(), `directory-${name}-${process.pid}-${Date.now()}.db`)
  t.after(() => {
    for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true })
  })
  return file
}

/** Logs in as one of the demo accounts printed at first start; answers the cookie header value. */
async function loginAs(running: RunningDirectory, role: 'user' | 'admin'): Promise<string> {
  const account = running.demoAccounts.find((a) => a.role === role)
  assert.ok(account, `a demo ${role} was made`)
  const res = await fetch(`${running.url}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: running.url },
    body: JSON.stringify({ email: account.email, password: account.password }),
    signal: AbortSignal.timeout(5000),
  })
  assert.equal(res.status, 200)
  return (res.headers.get('set-cookie') ?? '').split(';')[0] as string
}

test('starts on a real port with a temp SQLite file, guards the API, serves employee 1 to a user, and closes', async (t) => {
  const running = await startDirectory(testConfig(`sqlite:${tempFile(t, 'start')}`), { logger: false })
  try {
    assert.match(running.url, /^http:\/\/127\.0\.0\.1:\d+$/)
    const anonymous = await fetch(`${running.url}/api/employees/1`, { signal: AbortSignal.timeout(5000) })
    assert.equal(anonymous.status, 401)
    const cookie = await loginAs(running, 'user')
    const res = await fetch(`${running.url}/api/employees/1`, {
      headers: { cookie },
      signal: AbortSignal.timeout(5000),
    })
    assert.equal(res.status, 200)
    assert.equal(res.headers.get('cache-control'), 'no-store')
    const ceo = await res.json()
    assert.equal(ceo.id, 1)
    assert.equal(ceo.title, 'Chief Executive Officer')
    assert.ok(ceo.reportCount > 0)

    const huge = await fetch(`${running.url}/api/employees/search/${'a'.repeat(1024 * 1024)}`, {
      headers: { cookie },
      signal: AbortSignal.timeout(5000),
    })
    assert.equal(huge.status, 400)
    assert.equal(huge.headers.get('content-type'), 'application/problem+json; charset=utf-8')
    assert.equal((await huge.json()).code, 'validation_failed')
  } finally {
    await running.close()
  }
  assert.equal(running.app.server.listening, false)
  await assert.rejects(running.database.kysely.selectFrom('employee').selectAll().execute())
})

test('guards the directory as DESIGN §5 says: reports are admin-only', async (t) => {
  const running = await startDirectory(testConfig(`sqlite:${tempFile(t, 'roles')}`), { logger: false })
  try {
    const user = await loginAs(running, 'user')
    const admin = await loginAs(running, 'admin')
    const get = (path: string, cookie?: string) =>
      fetch(`${running.url}${path}`, { headers: cookie ? { cookie } : {}, signal: AbortSignal.timeout(5000) })
    assert.equal((await get('/api/ping')).status, 200)
    assert.equal((await get('/api/employees')).status, 401)
    assert.equal((await get('/api/employees', user)).status, 200)
    assert.equal((await get('/api/employees/search/an', user)).status, 200)
    const denied = await get('/api/employees/1/reports', user)
    assert.equal(denied.status, 403)
    assert.equal((await denied.json()).code, 'forbidden')
    assert.equal((await get('/api/employees/1/reports', admin)).status, 200)
    assert.equal(
      (await get('/api/employees/abc', undefined)).status,
      401,
      'authentication comes before validation',
    )
  } finally {
    await running.close()
  }
})

test('seeds employees and makes demo accounts only once across restarts on the same file', async (t) => {
  const file = tempFile(t, 'restart')
  const made: number[] = []
  for (let run = 0; run < 2; run++) {
    const running = await startDirectory(testConfig(`sqlite:${file}`), { logger: false })
    made.push(running.demoAccounts.length)
    const count = await running.database.kysely
      .selectFrom('employee')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow()
    await running.close()
    assert.equal(Number(count.n), 24)
  }
  assert.deepEqual(made, [2, 0])
})

test('serves the web app at / and the mobile client on a second port, whose origin the API allows through CORS', async (t) => {
  const root = join(tmpdir(), `directory-front-${process.pid}-${Date.now()}`)
  t.after(() => rmSync(root, { recursive: true, force: true }))
  const frontEnds = await fakeFrontEnds(root)
  const mobilePort = await freePort('127.0.0.1')
  const config = testConfig(`sqlite:${tempFile(t, 'front')}`, { mobilePort })
  const running = await startDirectory(config, { logger: false, frontEnds })
  try {
    assert.equal(running.mobileUrl, `http://127.0.0.1:${mobilePort}/m/`)
    const web = await fetch(`${running.url}/`, { signal: AbortSignal.timeout(5000) })
    assert.match(await web.text(), /<title>web<\/title>/)
    const mobile = await fetch(running.mobileUrl as string, { signal: AbortSignal.timeout(5000) })
    assert.match(await mobile.text(), new RegExp(`content="${running.url}"`))
    for (const origin of [`http://127.0.0.1:${mobilePort}`, `http://localhost:${mobilePort}`]) {
      const preflight = await fetch(`${running.url}/api/employees`, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'GET',
          'access-control-request-headers': 'signature-input, signature',
        },
        signal: AbortSignal.timeout(5000),
      })
      assert.equal(preflight.headers.get('access-control-allow-origin'), origin)
      assert.equal(preflight.headers.get('access-control-allow-credentials'), null, 'never with cookies')
    }
  } finally {
    await running.close()
  }
  await assert.rejects(fetch(`http://127.0.0.1:${mobilePort}/m/`, { signal: AbortSignal.timeout(2000) }))
})

test('closes the API again when the mobile port is taken', async (t) => {
  const root = join(tmpdir(), `directory-taken-${process.pid}-${Date.now()}`)
  t.after(() => rmSync(root, { recursive: true, force: true }))
  const blocker = createServer()
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve))
  t.after(() => blocker.close())
  const mobilePort = (blocker.address() as AddressInfo).port
  const config = testConfig(`sqlite:${tempFile(t, 'taken')}`, {
    port: await freePort('127.0.0.1'),
    mobilePort,
  })
  await assert.rejects(
    startDirectory(config, { logger: false, frontEnds: await fakeFrontEnds(root) }),
    /EADDRINUSE/,
  )
  const again = await startDirectory({ ...config, mobilePort: undefined }, { logger: false })
  await again.close()
})
