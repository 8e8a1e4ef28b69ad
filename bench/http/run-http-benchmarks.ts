import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import type { LoadJob } from '../load/load-job.ts'
import { EMPLOYEE_PATH } from '../servers/employee-7.ts'
import { type CpuPinning, cpuPinning } from './cpu-pinning.ts'
import type { HttpCase } from './http-cases.ts'
import { median } from './median.ts'
import { type MeasuredRun, runLoad } from './run-load.ts'
import { type RunningServer, spawnServer } from './spawn-server.ts'
import { waitForQuiet } from './wait-for-quiet.ts'

export interface HttpBenchOptions {
  /** A smoke run: no waiting for an idle machine (a busy test suite would spend its patience). */
  quick?: boolean
  cases: readonly HttpCase[]
  connections: number
  durationS: number
  warmupS: number
  reps: number
  /** Profile the Tessera servers (`--cpu-prof`) into this directory. */
  profileDir?: string
  log(line: string): void
}

export interface CaseResult extends HttpCase {
  /** Medians over the measured runs. */
  requestsPerSecond: number
  p50Ms: number
  p99Ms: number
  /** Median server CPU µs per response (server process CPU ÷ responses): steadier than req/s on a shared machine. */
  serverCpuUsPerRequest: number
  /** The same for PostgreSQL and Redis together (cases that use them; else ~0). */
  databaseCpuUsPerRequest: number
  /** To the baseline's median requests/s; null without a valid baseline. */
  ratio: number | null
  non2xx: number
  errors: number
  /** Every measured response was 2xx, with no socket error or timeout. */
  valid: boolean
  notes: string[]
  warmup: MeasuredRun | null
  runs: MeasuredRun[]
  /** Runs set aside because other processes used the machine meanwhile (repeated). */
  disturbed: MeasuredRun[]
  /** The server's V8 CPU profile, with `--profile`. */
  profile?: string
  /** Every response the server gave during the bench (warm-up and set-aside runs too). */
  served: number
}

const SERVER_CPU = 0
const GENERATOR_CPU = 1
/**
 * Signed requests prepared per run: twice the best rate seen so far (a warm-up, still
 * compiling, runs slower than what follows), never fewer than a guess, × duration.
 */
const POOL_MARGIN = 2.5
const POOL_GUESS_PER_SECOND = 30_000
const POOL_CAP = 600_000

/** A run during which other processes used more than this (in cores) is repeated. */
const DISTURBED_CORES = 0.25
const MAX_RETRIES = 3
/**
 * Time the whole HTTP part may spend waiting for quiet and repeating disturbed runs, so the
 * run stays bounded however busy the machine is; once spent, runs are taken as they come.
 */
const PATIENCE_MS = 120_000

/**
 * Every case's server started up front, then warm-up and measured runs taken round-robin
 * (case 1, 2, …, 9, then again), so a slow phase of the machine spreads over all cases
 * instead of sinking one. Each run waits for the machine to be idle first, and one that
 * other processes disturbed anyway is kept aside and repeated. Servers are stopped however
 * it ends.
 */
export async function runHttpBenchmarks(options: HttpBenchOptions): Promise<CaseResult[]> {
  const pinning = cpuPinning()
  options.log(
    pinning.enabled
      ? `servers pinned to CPU ${SERVER_CPU}, load generator to CPU ${GENERATOR_CPU} (taskset)`
      : 'no CPU pinning (one core, or no taskset): server and generator share the cores',
  )
  const results = options.cases.map((c) => emptyResult(c))
  const servers = await startServers(options, results, pinning)
  const patience = { leftMs: options.quick ? 0 : PATIENCE_MS }
  try {
    for (let rep = 0; rep <= options.reps; rep++) {
      for (const [i, c] of options.cases.entries()) {
        const server = servers.get(c.id)
        if (server === undefined) continue
        const what = rep === 0 ? 'warm-up' : `run ${rep}/${options.reps}`
        const log = (line: string) =>
          options.log(`[${i + 1}/${options.cases.length}] ${c.id}: ${what}  ${line}`)
        await measure(server, results[i] as CaseResult, rep, { ...options, pinning, patience, log })
      }
    }
  } finally {
    await Promise.all([...servers.values()].map((s) => s.stop()))
  }
  if (options.profileDir) attachProfiles(results, servers, options.profileDir)
  return summarize(results)
}

/** `--cpu-prof` names its file after the process id: CPU.<date>.<time>.<pid>.<tid>.<seq>.cpuprofile. */
function attachProfiles(results: CaseResult[], servers: Map<string, RunningServer>, dir: string): void {
  const files = readdirSync(dir)
  for (const result of results) {
    const pid = servers.get(result.id)?.pid
    const file = files.find((f) => f.split('.')[3] === String(pid))
    if (file !== undefined) result.profile = join(dir, file)
  }
}

async function startServers(
  options: HttpBenchOptions,
  results: CaseResult[],
  pinning: CpuPinning,
): Promise<Map<string, RunningServer>> {
  const servers = new Map<string, RunningServer>()
  for (const [i, c] of options.cases.entries()) {
    options.log(`[${i + 1}/${options.cases.length}] ${c.id}: starting the server`)
    const profileDir = options.profileDir
    try {
      servers.set(c.id, await spawnServer(c.id, { pinning, cpu: SERVER_CPU, profileDir }))
    } catch (error) {
      results[i]?.notes.push(`server did not start: ${(error as Error).message.split('\n')[0]}`)
    }
  }
  return servers
}

type MeasureContext = HttpBenchOptions & {
  pinning: CpuPinning
  patience: { leftMs: number }
  log(line: string): void
}

/** One warm-up (rep 0) or measured run, repeated while other processes disturb it. */
async function measure(server: RunningServer, result: CaseResult, rep: number, o: MeasureContext) {
  for (let attempt = 0; ; attempt++) {
    if (o.patience.leftMs > 0) {
      const { waitedMs } = await waitForQuiet({
        thresholdCores: 0.15,
        maxWaitMs: Math.min(10_000, o.patience.leftMs),
      })
      o.patience.leftMs -= waitedMs
    }
    const job = jobFor(server, rep === 0 ? o.warmupS : o.durationS, result, o)
    const started = performance.now()
    const run = await runLoad(job, server, { pinning: o.pinning, cpu: GENERATOR_CPU })
    const disturbed = (run.otherCores ?? 0) > DISTURBED_CORES
    const retry = disturbed && rep > 0 && attempt < MAX_RETRIES && o.patience.leftMs > 0
    o.log(`${describeRun(run)}${retry ? '  — disturbed, again' : ''}`)
    result.served += run.responses
    if (rep === 0) result.warmup = run
    else if (retry) result.disturbed.push(run)
    else result.runs.push(run)
    if (!retry) return
    o.patience.leftMs -= performance.now() - started
  }
}

function emptyResult(c: HttpCase): CaseResult {
  return {
    ...c,
    requestsPerSecond: Number.NaN,
    serverCpuUsPerRequest: Number.NaN,
    databaseCpuUsPerRequest: Number.NaN,
    p50Ms: Number.NaN,
    p99Ms: Number.NaN,
    ratio: null,
    non2xx: 0,
    errors: 0,
    valid: false,
    notes: [],
    warmup: null,
    runs: [],
    disturbed: [],
    served: 0,
  }
}

function jobFor(
  server: RunningServer,
  durationS: number,
  result: CaseResult,
  options: HttpBenchOptions,
): LoadJob {
  const seen = [result.warmup, ...result.runs].filter((r) => r !== null).map((r) => r.requestsPerSecond)
  const rate = Math.max(POOL_GUESS_PER_SECOND, ...seen.map((r) => r * POOL_MARGIN))
  return {
    origin: server.origin,
    path: EMPLOYEE_PATH,
    credentials: server.ready.credentials,
    connections: options.connections,
    durationS,
    poolSize: Math.min(POOL_CAP, Math.ceil(rate * durationS) + 1000),
  }
}

export function describeRun(run: MeasuredRun): string {
  const cores = (n: number | null) => (n === null ? '?' : `${Math.round(n * 100)}%`)
  const bad = run.non2xx + run.errors + run.timeouts
  return (
    `${Math.round(run.requestsPerSecond).toLocaleString('en-US')} req/s, ` +
    `${cpuUsPerRequest(run.serverCores, run).toFixed(1)} µs CPU/req, ` +
    `p50 ${run.p50Ms.toFixed(2)} ms, p99 ${run.p99Ms.toFixed(2)} ms, ` +
    `CPU server ${cores(run.serverCores)} / generator ${cores(run.generatorCores)}` +
    (run.databaseCores !== null && run.databaseCores > 0.02
      ? ` / databases ${cores(run.databaseCores)}`
      : '') +
    ` / others ${cores(run.otherCores)}` +
    (bad > 0
      ? `, NOT 2xx: ${JSON.stringify(run.statusCodes)} errors ${run.errors} timeouts ${run.timeouts}`
      : '') +
    (run.signedLive > 0 ? `, ${run.signedLive} signed during the run` : '')
  )
}

/** Cores used during the run ÷ requests per second = CPU seconds per request, in µs. */
function cpuUsPerRequest(cores: number | null, run: MeasuredRun): number {
  return cores === null || run.requestsPerSecond === 0 ? Number.NaN : (cores * 1e6) / run.requestsPerSecond
}

function summarize(results: CaseResult[]): CaseResult[] {
  for (const r of results) {
    if (r.runs.length === 0) continue
    r.requestsPerSecond = median(r.runs.map((run) => run.requestsPerSecond))
    r.serverCpuUsPerRequest = median(r.runs.map((run) => cpuUsPerRequest(run.serverCores, run)))
    // Only cases served from PostgreSQL + Redis spend database CPU of their own; for the others the
    // machine's database processes are someone else's work, not this case's cost.
    r.databaseCpuUsPerRequest = r.id.includes('pg-redis')
      ? median(r.runs.map((run) => cpuUsPerRequest(run.databaseCores, run)))
      : 0
    r.p50Ms = median(r.runs.map((run) => run.p50Ms))
    r.p99Ms = median(r.runs.map((run) => run.p99Ms))
    r.non2xx = r.runs.reduce((n, run) => n + run.non2xx, 0)
    r.errors = r.runs.reduce((n, run) => n + run.errors + run.timeouts, 0)
    r.valid = r.non2xx === 0 && r.errors === 0 && r.runs.every((run) => run.responses > 0)
    if (!r.valid) r.notes.push('INVALID: not every response was 2xx')
    const disturbed = r.runs.filter((run) => (run.otherCores ?? 0) > DISTURBED_CORES).length
    if (disturbed > 0) r.notes.push(`${disturbed} of the counted runs were disturbed by other processes`)
    const live = r.runs.reduce((n, run) => n + run.signedLive, 0)
    if (live > 0) r.notes.push(`${live} requests signed during measured runs (pool ran out)`)
  }
  const baseline = results.find((r) => r.group === 'baseline')
  const base = baseline?.valid ? baseline.requestsPerSecond : Number.NaN
  for (const r of results) r.ratio = Number.isFinite(base) && r.valid ? r.requestsPerSecond / base : null
  return results
}
