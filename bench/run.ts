import { mkdirSync, writeFileSync } from 'node:fs'
import { measureColdStart } from './cold/measure-cold-start.ts'
import { measureInstall } from './cold/measure-install.ts'
import { cpuPinning } from './http/cpu-pinning.ts'
import { runHttpBenchmarks } from './http/run-http-benchmarks.ts'
import type { BenchReport } from './report/bench-report.ts'
import { describeMachine, machineLine } from './report/describe-machine.ts'
import { formatHotSpots } from './report/format-hot-spots.ts'
import { formatStorm } from './report/format-storm.ts'
import { formatTable } from './report/format-table.ts'
import { renderChart } from './report/render-chart.ts'
import { formatRevocation, measureRevocation } from './revocation/measure-revocation.ts'
import { type Part, parseRunOptions, type RunOptions } from './run-options.ts'
import { runLoginStorm } from './storm/run-login-storm.ts'
import { benchVerifySignature } from './verify-signature.bench.ts'

/**
 * `npm run bench`: the in-process verification micro-benchmark, the HTTP cases side by side
 * with the peers, the login storm, cold start and install time. Prints as it goes, keeps the
 * raw figures in bench/results/, redraws docs/benchmarks.svg after a full run, and exits 1
 * when a part failed or a case had non-2xx answers.
 */
const log = (line: string) => console.log(line)
const options = parseRunOptions(process.argv.slice(2), process.env)
const stamp = new Date().toISOString().replace(/[:.]/g, '-')

async function main(): Promise<void> {
  const started = performance.now()
  const report: BenchReport = {
    machine: describeMachine(),
    command: `npm run bench${options.args.length > 0 ? ` -- ${options.args.join(' ')}` : ''}`,
    startedAt: new Date().toISOString(),
    options: { ...options, parts: [...options.parts], cases: options.cases.map((c) => c.id) },
    failures: {},
  }
  log(`Tessera benchmarks on ${machineLine(report.machine)}\n${report.command}\n`)
  mkdirSync(options.outDir, { recursive: true })
  for (const [name, run] of PARTS) {
    if (!options.parts.has(name)) continue
    try {
      await run(report, options)
    } catch (error) {
      report.failures[name] = error instanceof Error ? error.message : String(error)
      log(`${name} FAILED: ${report.failures[name]}`)
    }
  }
  report.totalSeconds = Math.round((performance.now() - started) / 1000)
  writeResults(report)
  const invalid = (report.http ?? []).some((r) => !r.valid) || report.storm?.valid === false
  if (invalid || Object.keys(report.failures).length > 0) process.exitCode = 1
}

type PartRunner = (report: BenchReport, options: RunOptions) => Promise<void>

/** The parts in the order they run; each fills its field of the report. A failure skips only itself. */
const PARTS: ReadonlyArray<[Part, PartRunner]> = [
  ['micro', runMicro],
  ['http', runHttp],
  ['storm', runStorm],
  ['revocation', runRevocation],
  ['cold', runColdStart],
  ['install', runInstall],
]

async function runMicro(report: BenchReport, o: RunOptions): Promise<void> {
  log(
    'In process: signed-request verification end to end (parse → digest → key lookup → verify → nonce insert, SQLite), and the session route guard:',
  )
  report.micro = await benchVerifySignature({ ...o.micro, log })
  const verify = { machine: machineLine(report.machine), at: report.startedAt, verify: report.micro }
  writeFileSync(new URL(`verify-${stamp}.json`, o.outDir), `${JSON.stringify(verify, null, 2)}\n`)
}

async function runHttp(report: BenchReport, o: RunOptions): Promise<void> {
  log(
    `\nHTTP: GET /api/employees/7, ${o.connections} connections, ${o.reps} × ${o.durationS} s after a ${o.warmupS} s warm-up, medians:`,
  )
  const profileDir = o.profile ? new URL(`profiles-${stamp}/`, o.outDir).pathname : undefined
  report.http = await runHttpBenchmarks({ ...o, profileDir, log })
  log(`\n${formatTable(report.http)}`)
  for (const r of report.http) if (r.profile) log(`\n${formatHotSpots(r)}`)
}

async function runStorm(report: BenchReport, o: RunOptions): Promise<void> {
  const { logins, durationS, getRate } = o.storm
  log(
    `\nLogin storm: ${logins} concurrent logins for ${durationS} s while ${getRate} authenticated GETs/s continue:`,
  )
  report.storm = await runLoginStorm({ ...o.storm, pinning: cpuPinning(), log })
  log(formatStorm(report.storm))
}

async function runRevocation(report: BenchReport, o: RunOptions): Promise<void> {
  log('\nRevocation latency: two instances on PostgreSQL + Redis, logout on A, then B at once:')
  report.revocation = await measureRevocation(o.revocation)
  log(formatRevocation(report.revocation))
  if (report.revocation.acceptedAfterRevocation > 0) throw new Error('B accepted a revoked session')
}

async function runColdStart(report: BenchReport, o: RunOptions): Promise<void> {
  const c = await measureColdStart(o.coldStartReps)
  report.coldStart = c
  log(
    `\nCold start (spawn → first 200 on /api/ping): empty database ${c.firstStartMs.toFixed(0)} ms, restart ${c.restartMs.toFixed(0)} ms`,
  )
}

async function runInstall(report: BenchReport): Promise<void> {
  const i = measureInstall()
  report.install = i
  const took = i.ms === null ? 'FAILED' : `${(i.ms / 1000).toFixed(1)} s`
  log(`Install: \`${i.command}\` in a fresh clone of ${i.commit}: ${took} (npm ${i.npmVersion}, ${i.note})`)
}

function writeResults(report: BenchReport): void {
  const file = new URL(`http-${stamp}.json`, options.outDir)
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`)
  log(`\nraw results: ${file.pathname} (whole run ${report.totalSeconds} s)`)
  if (options.writeChart && report.http) {
    const caption = `${machineLine(report.machine)} · ${report.command} · ${report.startedAt.slice(0, 16)}Z`
    writeFileSync(new URL('../docs/benchmarks.svg', import.meta.url), renderChart(report.http, caption))
    log('chart: docs/benchmarks.svg')
  }
}

await main()
