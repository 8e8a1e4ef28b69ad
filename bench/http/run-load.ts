import { spawn } from 'node:child_process'
import { createInterface } from 'node:readline'
import { type LoadJob, type LoadResult, RESULT_PREFIX, START_LINE } from '../load/load-job.ts'
import type { CpuPinning } from './cpu-pinning.ts'
import { databaseCpuSeconds, machineBusySeconds } from './process-cpu-seconds.ts'
import type { RunningServer } from './spawn-server.ts'

export interface MeasuredRun extends LoadResult {
  /** CPU the server used during the run, in cores; null without /proc. */
  serverCores: number | null
  /** CPU PostgreSQL and Redis used meanwhile, in cores (their share of the work in case 5). */
  databaseCores: number | null
  /** CPU everything else on the machine used meanwhile, in cores: a sign that something disturbed the run. */
  otherCores: number | null
}

const GENERATOR = new URL('../load/load-generator.ts', import.meta.url).pathname

/**
 * Runs the load generator in its own process (pinned to `cpu` when pinning is on) against
 * `server`, and samples the server's CPU between the generator's START and RESULT lines.
 */
export function runLoad(
  job: LoadJob,
  server: RunningServer,
  options: { pinning: CpuPinning; cpu?: number },
): Promise<MeasuredRun> {
  const { command, args } = options.pinning.wrap([GENERATOR, JSON.stringify(job)], options.cpu)
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] })
  let stderr = ''
  child.stderr.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000)
  })
  return new Promise((resolve, reject) => {
    let atStart: CpuSample | undefined
    let result: MeasuredRun | undefined
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (line === START_LINE) atStart = sampleCpu(server)
      else if (line.startsWith(RESULT_PREFIX) && atStart !== undefined) {
        const load = JSON.parse(line.slice(RESULT_PREFIX.length)) as LoadResult
        result = { ...load, ...cpuShares(atStart, sampleCpu(server), load.generatorCores) }
      }
    })
    child.once('close', (code) => {
      if (result !== undefined) resolve(result)
      else reject(new Error(`load generator exited with ${code} and no result:\n${stderr}`))
    })
  })
}

interface CpuSample {
  at: number
  server: number | null
  machine: number | null
  databases: number | null
}

function sampleCpu(server: RunningServer): CpuSample {
  return {
    at: performance.now(),
    server: server.cpuSeconds(),
    machine: machineBusySeconds(),
    databases: databaseCpuSeconds(),
  }
}

function cpuShares(from: CpuSample, to: CpuSample, generatorCores: number) {
  const wallS = (to.at - from.at) / 1000
  const delta = (a: number | null, b: number | null) => (a === null || b === null ? null : (b - a) / wallS)
  const serverCores = delta(from.server, to.server)
  const databaseCores = delta(from.databases, to.databases)
  const machine = delta(from.machine, to.machine)
  const otherCores =
    machine === null || serverCores === null
      ? null
      : Math.max(0, machine - serverCores - generatorCores - (databaseCores ?? 0))
  return { serverCores, databaseCores, otherCores }
}
