import { createHash } from 'node:crypto'
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises'
import { dirname, join, relative } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'
import { FRONT_ENDS, type FrontEndName, frontEndConfig } from './front-end-config.ts'

/** Where each built front-end lives: a folder with `index.html` and `assets/`. */
export type FrontEnds = Record<FrontEndName, string>

export interface EnsureFrontEndsOptions {
  /** Default: `web/dist` and `mobile/dist` beside their sources. */
  outDirs?: FrontEnds
  /** Told once before a build starts (`npm start` prints it). */
  log?: (line: string) => void
}

const here = (relative: string) => fileURLToPath(new URL(relative, import.meta.url))

/** Everything a build reads besides node_modules: both front-ends, the client SDK, this folder. */
const SOURCE_DIRS = [
  FRONT_ENDS.web.root,
  FRONT_ENDS.mobile.root,
  here('../../../../packages/client/src/'),
  here('./'),
]

/** The file in a build folder naming the sources it was built from. */
const STAMP = '.source-hash'

export const DEFAULT_OUT_DIRS: FrontEnds = Object.freeze({
  web: join(FRONT_ENDS.web.root, 'dist'),
  mobile: join(FRONT_ENDS.mobile.root, 'dist'),
})

async function listSources(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true })
  return entries
    .filter((e) => e.isFile() && !/(^|\/)(dist|node_modules)(\/|$)/.test(relative(dir, e.parentPath)))
    .filter((e) => !e.name.endsWith('.test.ts'))
    .map((e) => join(e.parentPath, e.name))
    .sort()
}

/**
 * SHA-256 over the path and bytes of every source file. A content hash rather than mtimes:
 * a checkout or a copy changes mtimes without changing what would be built.
 */
export async function sourceHash(): Promise<string> {
  const hash = createHash('sha256')
  for (const dir of SOURCE_DIRS) {
    for (const file of await listSources(dir)) {
      hash.update(`${relative(here('../../../../'), file)}\0`).update(await readFile(file))
    }
  }
  return hash.digest('hex').slice(0, 32)
}

async function stampOf(dir: string): Promise<string | undefined> {
  return readFile(join(dir, STAMP), 'utf8').catch(() => undefined)
}

/** A build that held the lock longer than this died; its lock is taken over. */
const STALE_LOCK_MS = 60_000

/**
 * Runs `work` while holding a lock folder (mkdir is atomic), so processes started together
 * (several `npm start`s, parallel test files) build one at a time; the others then find the
 * build up to date.
 */
async function withLock<T>(lock: string, work: () => Promise<T>): Promise<T> {
  await mkdir(dirname(lock), { recursive: true })
  for (const started = Date.now(); ; await sleep(100)) {
    const taken = await mkdir(lock).then(
      () => true,
      (error: NodeJS.ErrnoException) => (error.code === 'EEXIST' ? false : Promise.reject(error)),
    )
    if (taken) break
    const age = Date.now() - ((await stat(lock).catch(() => undefined))?.mtimeMs ?? Date.now())
    if (age > STALE_LOCK_MS) await rm(lock, { recursive: true, force: true })
    if (Date.now() - started > 2 * STALE_LOCK_MS) throw new Error(`${lock} is held by another build`)
  }
  try {
    return await work()
  } finally {
    await rm(lock, { recursive: true, force: true })
  }
}

/** Builds into a fresh folder, then swaps it in, so a build that dies half-way is never served. */
async function buildInto(name: FrontEndName, outDir: string, hash: string): Promise<void> {
  const { build } = await import('vite').catch((error: unknown) => {
    throw new Error('the front-ends need building and Vite (a dev dependency) is not installed', {
      cause: error,
    })
  })
  const temp = `${outDir}.tmp-${process.pid}`
  await rm(temp, { recursive: true, force: true })
  await build(frontEndConfig(name, temp))
  await writeFile(join(temp, STAMP), hash)
  await rm(outDir, { recursive: true, force: true })
  await rename(temp, outDir)
}

async function staleOf(outDirs: FrontEnds, hash: string): Promise<FrontEndName[]> {
  const stale: FrontEndName[] = []
  for (const name of Object.keys(FRONT_ENDS) as FrontEndName[]) {
    if ((await stampOf(outDirs[name])) !== hash) stale.push(name)
  }
  return stale
}

/** Builds each front-end whose output is missing or was built from other sources; answers the folders. */
export async function ensureFrontEnds(options: EnsureFrontEndsOptions = {}): Promise<FrontEnds> {
  const outDirs = options.outDirs ?? DEFAULT_OUT_DIRS
  const hash = await sourceHash()
  if ((await staleOf(outDirs, hash)).length === 0) return outDirs
  return withLock(`${outDirs.web}.lock`, async () => {
    const stale = await staleOf(outDirs, hash)
    if (stale.length > 0) options.log?.(`building ${stale.join(' and ')} app with Vite…`)
    for (const name of stale) await buildInto(name, outDirs[name], hash)
    return outDirs
  })
}
