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
  /** Concurrent bogus logins of the second storm. */
  bogus: number
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
  bogusStorm: BogusStormResult
  valid: boolean
}

/** The second storm: bogus logins flood the hashing queue while real ones keep coming. */
export interface BogusStormResult {
  /** Real logins, at a steady rate, during the bogus storm: all must be 200. */
  real: MeasuredRun
  /** The bogus logins: 401 once checked, 503 when the bounded queue had no room for them. */
  bogus: MeasuredRun
}

/** Real logins during the bogus storm: a steady trickle, as people arriving at work. */
const REAL_DURING_BOGUS = { connections: 5, overallRate: 20 }

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
    const bogusStorm = await runBogusStorm(logins, server, options)
    options.log(
      `login storm: ${options.bogus} bogus logins at once, real logins ${JSON.stringify(bogusStorm.real.statusCodes)}, bogus ${JSON.stringify(bogusStorm.bogus.statusCodes)}`,
    )
    const valid = [calm, during, storm, bogusStorm.real].every(
      (r) => r.non2xx + r.errors + r.timeouts === 0 && r.responses > 0,
    )
    return { hashing, calm, gets: during, logins: storm, shareOfLimit, bogusStorm, valid }
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

/**
 * `bogus` connections post wrong passwords as fast as they are answered while real logins
 * trickle in: shows the bounded hashing queue (503 past it) and the fresh lane at work.
 */
async function runBogusStorm(
  logins: LoadJob,
  server: RunningServer,
  options: LoginStormOptions,
): Promise<BogusStormResult> {
  await waitForQuiet(QUIET)
  const bogusJob: LoadJob = {
    ...logins,
    credentials: server.ready.bogusLogins ?? [],
    connections: options.bogus,
  }
  const [real, bogus] = await Promise.all([
    runLoad({ ...logins, ...REAL_DURING_BOGUS }, server, options),
    runLoad(bogusJob, server, options),
  ])
  return { real, bogus }
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
