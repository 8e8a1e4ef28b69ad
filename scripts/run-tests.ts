// Runs Node's test runner with a guard over the whole run: `node scripts/run-tests.ts <node --test arguments>`.
// Per-test `--test-timeout` cannot catch a test file that finished its tests but never exits (a
// server left listening): the runner waits for that file's process forever. Past the limit
// (TEST_RUN_TIMEOUT_MINUTES, default 20) the runner is interrupted; it then names the files still
// running and prints its usual closing summary (the `ℹ tests …` lines CI reads), and the run fails.
import { spawn } from 'node:child_process'

const DEFAULT_MINUTES = 20
/** How long the interrupted runner gets to print its summary before it is killed outright. */
const GRACE_MS = 30_000

const minutes = Number(process.env.TEST_RUN_TIMEOUT_MINUTES ?? DEFAULT_MINUTES)
if (!(minutes > 0)) {
  console.error(
    `run-tests: TEST_RUN_TIMEOUT_MINUTES must be a positive number, not ${process.env.TEST_RUN_TIMEOUT_MINUTES}`,
  )
  process.exit(2)
}

const runner = spawn(process.execPath, ['--test', ...process.argv.slice(2)], { stdio: 'inherit' })
let timedOut = false

const guard = setTimeout(() => {
  timedOut = true
  console.error(
    `\nrun-tests: the test run exceeded ${minutes} min (TEST_RUN_TIMEOUT_MINUTES) and is being stopped; ` +
      'a test file is probably hanging (the runner lists the files it interrupted).',
  )
  runner.kill('SIGTERM')
  setTimeout(() => runner.kill('SIGKILL'), GRACE_MS).unref()
}, minutes * 60_000)

// Ctrl-C or a CI cancel reaches the runner too, so it still prints its summary.
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => runner.kill(signal))

runner.on('exit', (code, signal) => {
  clearTimeout(guard)
  if (timedOut) {
    console.error(
      `run-tests: FAILED: stopped after ${minutes} min; the files listed as interrupted did not finish.`,
    )
    process.exit(1)
  }
  process.exit(code ?? (signal === null ? 1 : 128))
})
