import { execFileSync, spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export interface InstallResult {
  command: string
  /** Wall time of `npm ci` in a fresh clone, ms; null when it failed. */
  ms: number | null
  commit: string
  npmVersion: string
  note: string
}

const REPO = new URL('../../', import.meta.url).pathname

/**
 * `npm ci --no-audit --no-fund` in a fresh `git clone` of this repository's HEAD (committed
 * files only), timed. The npm cache is whatever this machine has: warm here, so this is
 * the install's own work (unpacking, linking, install scripts), not the download.
 */
export function measureInstall(): InstallResult {
  const dir = mkdtempSync(join(tmpdir(), 'bench-install-'))
  const command = 'npm ci --no-audit --no-fund'
  const git = (...args: string[]) => execFileSync('git', args, { cwd: REPO, encoding: 'utf8' }).trim()
  const commit = git('rev-parse', '--short', 'HEAD')
  try {
    execFileSync('git', ['clone', '--quiet', REPO, dir])
    const npmVersion = execFileSync('npm', ['--version'], { cwd: dir, encoding: 'utf8' }).trim()
    const start = performance.now()
    const run = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: dir, stdio: 'ignore' })
    const ms = run.status === 0 ? performance.now() - start : null
    const note = run.status === 0 ? 'npm cache warm' : `npm ci failed with status ${run.status}`
    return { command, ms, commit, npmVersion, note }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
