import assert from 'node:assert/strict'
import { rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { STEP_UP_SECONDS } from './build-app.ts'
import { startDirectory } from './start-directory.ts'
import { testConfig } from './testing/directory-fixture.ts'

test('deleting an employee needs a proof of the admin within 5 minutes: reauth_required, then /auth/reauth, then 204', async (t) => {
  const file = join(tmpdir(), `directory-step-up-${process.pid}-${Date.now()}.db`)
  t.after(() => {
    for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true })
  })
  let now = Date.now()
  const running = await startDirectory(testConfig(`sqlite:${file}`), { logger: false, now: () => now })
  try {
    const admin = running.demoAccounts.find((a) => a.role === 'admin')
    assert.ok(admin)
    const call = (path: string, method: string, headers: Record<string, string> = {}, body?: unknown) =>
      fetch(`${running.url}${path}`, {
        method,
        headers: {
          origin: running.url,
          ...(body !== undefined && { 'content-type': 'application/json' }),
          ...headers,
        },
        ...(body !== undefined && { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(5000),
      })
    const login = await call('/auth/login', 'POST', {}, { email: admin.email, password: admin.password })
    assert.equal(login.status, 200)
    const session = {
      cookie: (login.headers.get('set-cookie') ?? '').split(';')[0] as string,
      'x-csrf-token': (await login.json()).csrfToken as string,
    }
    now += (STEP_UP_SECONDS + 1) * 1000
    const refused = await call('/api/employees/24', 'DELETE', session)
    assert.equal(refused.status, 401)
    assert.equal((await refused.json()).code, 'reauth_required')
    assert.equal((await call('/api/employees/24', 'GET', session)).status, 200, 'nothing was deleted')
    const again = await call('/auth/reauth', 'POST', session, { password: admin.password })
    assert.equal(again.status, 200)
    assert.equal((await call('/api/employees/24', 'DELETE', session)).status, 204)
  } finally {
    await running.close()
  }
})
