import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import { chownSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { createConnection } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'

/** Resolves once something accepts TCP connections on the port (bounded). */
export async function waitForPort(port: number, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs
  while (Date.now() < until) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = createConnection({ host: '127.0.0.1', port }, () => {
        socket.destroy()
        resolve(true)
      })
      socket.on('error', () => resolve(false))
    })
    if (open) return
    await sleep(50)
  }
  throw new Error(`nothing listens on 127.0.0.1:${port} after ${timeoutMs} ms`)
}

export interface Throwaway {
  url: string
  stop(): Promise<void>
  start(): Promise<void>
  destroy(): Promise<void>
}

/**
 * A Redis server of the test's own on `port`, so an outage can be staged without touching the
 * shared one on 6379 that other tests use.
 */
export async function throwawayRedis(port: number): Promise<Throwaway> {
  let child: ChildProcess | undefined
  const start = async () => {
    child = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: 'ignore' },
    )
    await waitForPort(port)
  }
  const stop = async () => {
    if (child === undefined || child.exitCode !== null || child.signalCode !== null) return
    const exited = new Promise((resolve) => child?.once('exit', resolve))
    child.kill('SIGKILL')
    await exited
  }
  await start()
  return { url: `redis://127.0.0.1:${port}/0`, start, stop, destroy: stop }
}

/** The server binaries of the installed PostgreSQL (Debian keeps them per major version). */
const PG_BIN = `/usr/lib/postgresql/${readdirSync('/usr/lib/postgresql').sort().at(-1)}/bin`

function asPostgres(command: string): void {
  execFileSync('su', ['postgres', '-s', '/bin/sh', '-c', command], { stdio: 'ignore', timeout: 30_000 })
}

/**
 * A PostgreSQL cluster of the test's own (initdb in a temp dir, trust auth, on `port`), so it
 * can be stopped and started again without disturbing the shared server other tests use.
 */
export async function throwawayPostgres(port: number): Promise<Throwaway> {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-pg-'))
  chownSync(
    dir,
    Number(execFileSync('id', ['-u', 'postgres']).toString()),
    Number(execFileSync('id', ['-g', 'postgres']).toString()),
  )
  const data = join(dir, 'data')
  asPostgres(`${PG_BIN}/initdb -D ${data} -A trust -U postgres`)
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`
  const start = async () => {
    asPostgres(`${PG_BIN}/pg_ctl -D ${data} -o '${options}' -l ${dir}/log -w start`)
    await waitForPort(port)
  }
  const stop = async () => asPostgres(`${PG_BIN}/pg_ctl -D ${data} -m immediate -w stop`)
  await start()
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    start,
    stop,
    async destroy() {
      await stop().catch(() => {})
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
