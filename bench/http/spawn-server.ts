import { type ChildProcess, spawn } from 'node:child_process'
import { createInterface } from 'node:readline'
import { READY_PREFIX, type ReadyMessage } from '../load/bench-credential.ts'
import type { CpuPinning } from './cpu-pinning.ts'
import { freePort } from './free-port.ts'
import { processCpuSeconds } from './process-cpu-seconds.ts'

export interface RunningServer {
  ready: ReadyMessage
  origin: string
  pid: number
  /** CPU seconds the server process has used so far (null without /proc). */
  cpuSeconds(): number | null
  stop(): Promise<void>
}

export interface SpawnServerOptions {
  pinning: CpuPinning
  /** Pin the server to this CPU; unset runs it on every core (the login storm). */
  cpu?: number
  /** Write a V8 CPU profile of the server here on exit (`--cpu-prof`). */
  profileDir?: string
  startTimeoutMs?: number
}

const SERVERS_DIR = new URL('../servers/', import.meta.url)
/** Preloaded into every server: see its comment (Node's nextTick and full collections). */
const STEADY_TICK_SHAPE = new URL('steady-tick-shape.ts', SERVERS_DIR).pathname

/** Starts `bench/servers/<name>.ts` as its own process on a free port and waits for its ready line. */
export async function spawnServer(name: string, options: SpawnServerOptions): Promise<RunningServer> {
  const port = await freePort()
  const file = new URL(`${name}.ts`, SERVERS_DIR).pathname
  const profile = options.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${options.profileDir}`] : []
  const preload = process.env.BENCH_NO_TICK_PIN ? [] : [`--import=${STEADY_TICK_SHAPE}`]
  const { command, args } = options.pinning.wrap([...profile, ...preload, file], options.cpu)
  const child = spawn(command, args, {
    env: { ...process.env, BENCH_PORT: String(port), NODE_ENV: 'production' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const ready = await waitForReady(child, name, options.startTimeoutMs ?? 60_000)
  const pid = child.pid as number
  return {
    ready,
    origin: `http://127.0.0.1:${port}`,
    pid,
    cpuSeconds: () => processCpuSeconds(pid),
    stop: () => stopChild(child),
  }
}

function waitForReady(child: ChildProcess, name: string, timeoutMs: number): Promise<ReadyMessage> {
  let stderr = ''
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000)
  })
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => fail(new Error(`${name}: no ready line within ${timeoutMs} ms`)),
      timeoutMs,
    )
    const fail = (error: Error) => {
      clearTimeout(timer)
      child.kill('SIGKILL')
      reject(error)
    }
    child.once('exit', (code) => fail(new Error(`${name} exited with ${code} before ready:\n${stderr}`)))
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
      if (!line.startsWith(READY_PREFIX)) return
      clearTimeout(timer)
      child.removeAllListeners('exit')
      resolve(JSON.parse(line.slice(READY_PREFIX.length)) as ReadyMessage)
    })
  })
}

/** SIGTERM (the server closes and drops its database), SIGKILL after 10 s. */
function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 10_000)
    child.once('exit', () => {
      clearTimeout(force)
      resolve()
    })
    child.kill('SIGTERM')
  })
}
