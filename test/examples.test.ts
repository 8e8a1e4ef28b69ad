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
const ROOT = new URL('..', import.meta.url).pathname

/** Exactly the README's command: `npm run example:signed -- <email> <password> [base URL]`, from the repository root. */
function npmExample(args: string[]) {
  const { API_URL: _ignored, ...env } = process.env
  return run('npm', ['run', '--silent', 'example:signed', '--', ...args], { cwd: ROOT, env, timeout: 60_000 })
}

test('the README signed-request example, run as documented against a base URL, logs in for a key, lists employees signed, and is refused after logout', {
  timeout: 90_000,
}, async (t) => {
  const file = join(tmpdir(), `examples-${process.pid}-${Date.now()}.db`)
  t.after(() => {
    for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true })
  })
  const running = await startDirectory(testConfig(`sqlite:${file}`), { logger: false })
  try {
    const user = running.demoAccounts.find((a) => a.role === 'user')
    assert.ok(user)
    // The directory listens on a free port, not 3000: only the base URL argument can reach it.
    assert.doesNotMatch(running.url, /:3000$/)
    const { stdout } = await npmExample([user.email, user.password, running.url])
    assert.match(stdout, /^200 \[/)
    assert.match(stdout, /401 unknown_key/)
  } finally {
    await running.close()
  }
})

test('the signed-request example without credentials prints its usage and exits 2', {
  timeout: 90_000,
}, async () => {
  const failed = await npmExample([]).then(
    () => assert.fail('expected the example to exit non-zero'),
    (error: { code: number; stderr: string }) => error,
  )
  assert.equal(failed.code, 2)
  assert.match(failed.stderr, /usage: npm run example:signed -- <email> <password> \[base URL\]/)
})
