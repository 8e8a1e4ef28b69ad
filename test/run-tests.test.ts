import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { test } from 'node:test'

const WRAPPER = new URL('../scripts/run-tests.ts', import.meta.url).pathname
const fixture = (name: string) => new URL(`fixtures/run-tests/${name}.fixture.ts`, import.meta.url).pathname

/** Runs the wrapper as `npm run test:unit` does, outside this file's own test-runner context. */
function runWrapper(
  files: string[],
  minutes?: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const { NODE_TEST_CONTEXT: _child, ...env } = process.env
  if (minutes !== undefined) env.TEST_RUN_TIMEOUT_MINUTES = minutes
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [WRAPPER, '--test-timeout=60000', ...files],
      { env, timeout: 90_000 },
      (error, stdout, stderr) =>
        resolve({ code: error === null ? 0 : Number(error.code ?? 1), stdout, stderr }),
    )
  })
}

test('the test wrapper passes a green run through with exit code 0 and the runner summary', {
  timeout: 120_000,
}, async () => {
  const run = await runWrapper([fixture('passes')])
  assert.equal(run.code, 0, run.stderr)
  assert.match(run.stdout, /ℹ tests 1\nℹ suites 0\nℹ pass 1\nℹ fail 0/)
})

test('the test wrapper stops a run with a hanging file past its limit: exit 1, a clear message, and the summary kept', {
  timeout: 120_000,
}, async () => {
  // 0.05 min = 3 s; the hanging file never finishes however long the limit.
  const run = await runWrapper([fixture('hangs'), fixture('passes')], '0.05')
  assert.equal(run.code, 1)
  assert.match(run.stderr, /run-tests: the test run exceeded 0\.05 min \(TEST_RUN_TIMEOUT_MINUTES\)/)
  assert.match(run.stderr, /run-tests: FAILED/)
  assert.match(run.stdout, /hangs\.fixture\.ts/)
  for (const line of ['tests', 'pass', 'fail', 'cancelled'])
    assert.match(run.stdout, new RegExp(`^ℹ ${line} \\d+$`, 'm'))
  assert.match(
    run.stdout,
    /^ℹ cancelled [1-9]\d*$/m,
    'the hanging file (and any still queued) counted as cancelled',
  )
})

test('the test wrapper refuses a limit that is not a positive number', async () => {
  const run = await runWrapper([fixture('passes')], 'soon')
  assert.equal(run.code, 2)
  assert.match(run.stderr, /TEST_RUN_TIMEOUT_MINUTES must be a positive number/)
})
