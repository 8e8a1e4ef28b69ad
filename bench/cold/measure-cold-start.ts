import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { freePort } from '../http/free-port.ts'
import { median } from '../http/median.ts'

export interface ColdStartResult {
  /** Spawn → first 200 on `/api/ping` with an empty database: migrations, seed, demo accounts. */
  firstStartMs: number
  /** The same with the database of an earlier start: what a restart costs. */
  restartMs: number
  samples: { firstStartMs: number[]; restartMs: number[] }
}

const MAIN = new URL('../../apps/directory/src/main.ts', import.meta.url).pathname

/**
 * `npm start`'s cost without npm's own start-up: `node apps/directory/src/main.ts` on a free
 * port with a temporary SQLite database and secret file, timed from spawn to the first 200.
 */
export async function measureColdStart(reps: number): Promise<ColdStartResult> {
  const samples = { firstStartMs: [] as number[], restartMs: [] as number[] }
  for (let i = 0; i < reps; i++) {
    const dir = mkdtempSync(join(tmpdir(), 'bench-cold-'))
    try {
      samples.firstStartMs.push(await timeToFirst200(dir))
      samples.restartMs.push(await timeToFirst200(dir))
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  }
  return { firstStartMs: median(samples.firstStartMs), restartMs: median(samples.restartMs), samples }
}

async function timeToFirst200(dir: string): Promise<number> {
  const port = await freePort()
  const start = performance.now()
  const child = spawn(process.execPath, [MAIN], {
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: `sqlite:${join(dir, 'directory.db')}`,
      TESSERA_SECRET_FILE: join(dir, 'tessera-secret'),
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  let stderr = ''
  child.stderr.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-2000)
  })
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code) => reject(new Error(`the directory exited with ${code}: ${lastLine(stderr)}`))),
  )
  exited.catch(() => {}) // after a success the exit is ours
  try {
    await Promise.race([
      waitFor200(`http://127.0.0.1:${port}/api/ping?${randomBytes(4).toString('hex')}`),
      exited,
    ])
    return performance.now() - start
  } finally {
    await new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve()
      child.once('exit', () => resolve())
      child.kill('SIGTERM')
    })
  }
}

function lastLine(text: string): string {
  const lines = text.trim().split('\n')
  return lines.findLast((l) => /error/i.test(l)) ?? lines.at(-1) ?? ''
}

/** Polls every 5 ms: a refused connection means "not yet". */
async function waitFor200(url: string, timeoutMs = 30_000): Promise<void> {
  const deadline = performance.now() + timeoutMs
  while (performance.now() < deadline) {
    try {
      const response = await fetch(url)
      await response.arrayBuffer()
      if (response.status === 200) return
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
  throw new Error(`no 200 from ${url} within ${timeoutMs} ms`)
}
