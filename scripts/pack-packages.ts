import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'

const run = promisify(execFile)

export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url))

/** The published packages, as a user installs them. */
export const PACKAGES = ['@tessera/server', '@tessera/client'] as const
export type PackageName = (typeof PACKAGES)[number]

/** The npm the workspace runs under (`npm run` sets it), or the one on PATH. */
export function npmCommand(): { file: string; prefix: string[] } {
  const cli = process.env.npm_execpath
  return cli?.endsWith('.js') ? { file: process.execPath, prefix: [cli] } : { file: 'npm', prefix: [] }
}

/**
 * Builds (each package's `prepack`) and packs both packages into `destination`, exactly as
 * `npm publish` would, and answers each tarball's path. Child processes get no NODE_OPTIONS:
 * the workspace's `@tessera/source` condition must not leak into what is measured or tested.
 */
export async function packPackages(destination: string): Promise<Record<PackageName, string>> {
  const npm = npmCommand()
  const workspaces = PACKAGES.flatMap((name) => ['-w', name])
  const { stdout } = await run(
    npm.file,
    [...npm.prefix, 'pack', ...workspaces, '--json', '--pack-destination', destination],
    { cwd: REPO_ROOT, env: cleanEnv(), maxBuffer: 64 * 1024 * 1024, timeout: 120_000 },
  )
  // Lifecycle output can precede the JSON; the report is the last top-level array.
  const report = JSON.parse(stdout.slice(stdout.lastIndexOf('\n[') + 1)) as Array<{
    name: PackageName
    filename: string
  }>
  const tarballs = {} as Record<PackageName, string>
  for (const entry of report) tarballs[entry.name] = join(destination, entry.filename)
  return tarballs
}

/** The environment minus what would make a child behave unlike a user's shell. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = { ...process.env, ...extra }
  delete env.NODE_OPTIONS
  delete env.NODE_TEST_CONTEXT
  for (const name of Object.keys(env)) if (name.startsWith('npm_')) delete env[name]
  return env
}
