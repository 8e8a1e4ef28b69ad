import { mkdirSync, writeFileSync } from 'node:fs'
import { cpuPinning } from '../http/cpu-pinning.ts'
import { median } from '../http/median.ts'
import { type MeasuredRun, runLoad } from '../http/run-load.ts'
import { spawnServer } from '../http/spawn-server.ts'
import { EMPLOYEE_PATH } from '../servers/employee-7.ts'

/**
 * The cost-growth table (issue 15): the session, HMAC and device-key cases with 10, 100 k and
 * 1 M live credentials in the store, and the HMAC case with the nonce store holding a full
 * window at 30 k signed requests/s; req/s and server CPU µs per request at each size, then
 * the server's RSS and the nonce store's size after the run.
 *
 *   node bench/growth/run-growth.ts [--reps=3] [--duration=4] [--sizes=10,100000,1000000]
 */
interface Row {
  case: string
  size: string
  requestsPerSecond: number
  serverCpuUsPerRequest: number
  non2xx: number
  runs: MeasuredRun[]
  stats: Record<string, number | null>
}

const flags = new Map(
  process.argv.slice(2).map((arg) => {
    const [name, value] = arg.replace(/^--/, '').split('=')
    return [name!, value ?? 'true'] as const
  }),
)
const reps = Number(flags.get('reps') ?? 3)
const durationS = Number(flags.get('duration') ?? 4)
const sizes = (flags.get('sizes') ?? '10,100000,1000000').split(',').map(Number)
const nonceRate = Number(flags.get('nonce-rate') ?? 30_000)
const CASES = ['tessera-session', 'tessera-hmac', 'tessera-device']
const pinning = cpuPinning()

async function measure(id: string, size: string, env: Record<string, string>): Promise<Row> {
  for (const [k, v] of Object.entries(env)) process.env[k] = v
  const server = await spawnServer(id, { pinning, cpu: 0, startTimeoutMs: 600_000 })
  for (const k of Object.keys(env)) delete process.env[k]
  try {
    const job = (seconds: number) => ({
      origin: server.origin,
      path: EMPLOYEE_PATH,
      credentials: server.ready.credentials,
      connections: 64,
      durationS: seconds,
      poolSize: Math.ceil(40_000 * seconds) + 1000,
    })
    await runLoad(job(2), server, { pinning, cpu: 1 })
    const runs: MeasuredRun[] = []
    for (let i = 0; i < reps; i++) runs.push(await runLoad(job(durationS), server, { pinning, cpu: 1 }))
    const stats = (await (await fetch(`${server.origin}/bench/stats`)).json()) as Record<
      string,
      number | null
    >
    const row: Row = {
      case: id,
      size,
      requestsPerSecond: median(runs.map((r) => r.requestsPerSecond)),
      serverCpuUsPerRequest: median(
        runs.map((r) => ((r.serverCores ?? Number.NaN) * 1e6) / r.requestsPerSecond),
      ),
      non2xx: runs.reduce((n, r) => n + r.non2xx + r.errors + r.timeouts, 0),
      runs,
      stats,
    }
    console.log(
      `${id} @ ${size}: ${Math.round(row.requestsPerSecond)} req/s, ${row.serverCpuUsPerRequest.toFixed(1)} µs CPU/req, non-2xx ${row.non2xx}, ${JSON.stringify(stats)}`,
    )
    return row
  } finally {
    await server.stop()
  }
}

const mb = (bytes: number | null | undefined) => (bytes == null ? '—' : (bytes / 1e6).toFixed(1))
const started = new Date()
const rows: Row[] = []
for (const id of CASES) {
  for (const size of sizes)
    rows.push(await measure(id, size.toLocaleString('en-US'), { BENCH_LIVE_CREDENTIALS: String(size) }))
}
rows.push(
  await measure('tessera-hmac', `nonce window @ ${nonceRate.toLocaleString('en-US')}/s`, {
    BENCH_NONCE_WINDOW_RATE: String(nonceRate),
  }),
)
const table = [
  '| case | live credentials / nonces | req/s | server CPU µs/req | non-2xx | RSS MB | live nonces | nonce table MB | journal MB | SQLite MB |',
  '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|',
  ...rows.map(
    (r) =>
      `| ${r.case} | ${r.size} | ${Math.round(r.requestsPerSecond).toLocaleString('en-US')} | ${r.serverCpuUsPerRequest.toFixed(1)} | ${r.non2xx} | ${mb(r.stats.rssBytes)} | ${(r.stats.liveNonces ?? 0).toLocaleString('en-US')} | ${mb(r.stats.nonceTableBytes)} | ${mb(r.stats.nonceJournalBytes)} | ${mb(r.stats.databaseBytes)} |`,
  ),
].join('\n')
console.log(`\n${table}`)
const out = new URL('../results/', import.meta.url)
mkdirSync(out, { recursive: true })
const stamp = started.toISOString().replace(/[:.]/g, '-')
const file = new URL(`growth-${stamp}.json`, out)
writeFileSync(
  file,
  `${JSON.stringify({ startedAt: started.toISOString(), reps, durationS, rows }, null, 2)}\n`,
)
console.log(`raw: ${file.pathname}`)
