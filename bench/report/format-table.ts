import type { CaseResult } from '../http/run-http-benchmarks.ts'

const HEADER =
  '| case | req/s (median) | runs: min – max | server CPU µs/req | p50 ms | p99 ms | vs baseline | non-2xx |\n|---|---:|---:|---:|---:|---:|---:|---:|'

const count = (n: number) => Math.round(n).toLocaleString('en-US')

/** The side-by-side table in Markdown: medians of the measured runs; invalid cases say so. */
export function formatTable(results: readonly CaseResult[]): string {
  const rows = results.map((r) => {
    if (r.runs.length === 0)
      return `| ${r.label} | — | — | — | — | — | — | ${r.notes.join('; ') || 'not run'} |`
    const ratio = r.ratio === null ? (r.valid ? '—' : '**invalid**') : `${Math.round(r.ratio * 100)} %`
    const rates = r.runs.map((run) => run.requestsPerSecond)
    const range = `${count(Math.min(...rates))} – ${count(Math.max(...rates))}`
    const cpu = Number.isFinite(r.serverCpuUsPerRequest) ? r.serverCpuUsPerRequest.toFixed(1) : '—'
    const databases =
      r.databaseCpuUsPerRequest > 0.5 ? ` (+${r.databaseCpuUsPerRequest.toFixed(1)} databases)` : ''
    return `| ${r.label} | ${count(r.requestsPerSecond)} | ${range} | ${cpu}${databases} | ${r.p50Ms.toFixed(2)} | ${r.p99Ms.toFixed(2)} | ${ratio} | ${r.non2xx + r.errors} |`
  })
  return [HEADER, ...rows].join('\n')
}
