import type { CpuPinning } from '../http/cpu-pinning.ts'
import { type MeasuredRun, runLoad } from '../http/run-load.ts'
import { type RunningServer, spawnServer } from '../http/spawn-server.ts'
import { waitForQuiet } from '../http/wait-for-quiet.ts'
import type { LoadJob } from '../load/load-job.ts'
import { EMPLOYEE_PATH } from '../servers/employee-7.ts'
import { type HashingLimit, measureHashing } from './measure-hashing.ts'

export interface LoginStormOptions {
  pinning: CpuPinning
  durationS: number
  /** Concurrent logins (connections of the login generator). */
  logins: number
  /** Authenticated GETs per second kept going meanwhile. */
  getRate: number
  log(line: string): void
}

export interface LoginStormResult {
  hashing: HashingLimit
  /** The same GETs with no logins going on, for comparison. */
  calm: MeasuredRun
  gets: MeasuredRun
  logins: MeasuredRun
  /** Logins/s ÷ the hashing limit. */
  shareOfLimit: number
  valid: boolean
}

/**
 * Login under load: `logins` concurrent `POST /auth/login` (real Argon2id) for the whole
 * run while authenticated GETs continue at a steady rate. The server runs on every core
 * (hashing happens on libuv's thread pool); so do the two generators, which are light.
 */
export async function runLoginStorm(options: LoginStormOptions): Promise<LoginStormResult> {
  await waitForQuiet(QUIET)
  const hashing = await measureHashing()
  options.log(`login storm: one Argon2id verification ${hashing.verifyMs.toFixed(1)} ms`)
  const server = await spawnServer('tessera-login', { pinning: options.pinning })
  try {
    const { gets, logins } = stormJobs(server, options)
    await runLoad({ ...gets, durationS: 1 }, server, options) // warm-up, discarded
    await waitForQuiet(QUIET)
    const calm = await runLoad(gets, server, options)
    options.log(`login storm: GETs alone, p99 ${calm.p99Ms.toFixed(2)} ms`)
    const [during, storm] = await stormWithRetry(gets, logins, server, options)
    const shareOfLimit = storm.requestsPerSecond / hashing.limitPerSecond
    const valid = [calm, during, storm].every(
      (r) => r.non2xx + r.errors + r.timeouts === 0 && r.responses > 0,
    )
    return { hashing, calm, gets: during, logins: storm, shareOfLimit, valid }
  } finally {
    await server.stop()
  }
}

function stormJobs(server: RunningServer, options: LoginStormOptions): { gets: LoadJob; logins: LoadJob } {
  const gets: LoadJob = {
    origin: server.origin,
    path: EMPLOYEE_PATH,
    credentials: server.ready.credentials,
    connections: 10,
    durationS: options.durationS,
    poolSize: 0,
    overallRate: options.getRate,
  }
  const { overallRate: _unthrottled, ...rest } = gets
  const logins: LoadJob = {
    ...rest,
    path: '/auth/login',
    credentials: server.ready.logins ?? [],
    connections: options.logins,
  }
  return { gets, logins }
}

const QUIET = { thresholdCores: 0.15, maxWaitMs: 5000 }
const DISTURBED_CORES = 0.25

/** The storm proper, once more if other processes used the machine meanwhile. */
async function stormWithRetry(
  gets: LoadJob,
  logins: LoadJob,
  server: RunningServer,
  options: LoginStormOptions,
): Promise<[MeasuredRun, MeasuredRun]> {
  for (let attempt = 0; ; attempt++) {
    await waitForQuiet(QUIET)
    const [during, storm] = await Promise.all([
      runLoad(gets, server, options),
      runLoad(logins, server, options),
    ])
    // Each generator counts the other one as "other"; what is left beyond that is not ours.
    const others = (storm.otherCores ?? 0) - during.generatorCores
    if (others <= DISTURBED_CORES || attempt === 1) return [during, storm]
    options.log(`login storm: disturbed by other processes (${Math.round(others * 100)} % of a core), again`)
  }
}
