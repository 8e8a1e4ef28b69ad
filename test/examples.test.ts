import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { promisify } from 'node:util'
import { startDirectory } from '../apps/directory/src/start-directory.ts'
import { testConfig } from '../apps/directory/src/testing/directory-fixture.ts'

const run = promisify(execFile)

test('the README signed-request example logs in for a key, lists employees signed, and is refused after logout', {
  timeout: 60_000,
}, async (t) => {
  const file = join(tmpdir(), `examples-${process.pid}-${Date.now()}.db`)
  t.after(() => {
    for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true })
  })
  const running = await startDirectory(testConfig(`sqlite:${file}`), { logger: false })
  try {
    const user = running.demoAccounts.find((a) => a.role === 'user')
    assert.ok(user)
    const script = new URL('../examples/signed-request.ts', import.meta.url).pathname
    const { stdout } = await run(process.execPath, [script, user.email, user.password], {
      env: { ...process.env, API_URL: running.url },
      timeout: 30_000,
    })
    assert.match(stdout, /^200 \[/)
    assert.match(stdout, /401 unknown_key/)
  } finally {
    await running.close()
  }
})
