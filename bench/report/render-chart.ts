import type { CaseResult } from '../http/run-http-benchmarks.ts'

const COLORS = { baseline: '#8c8c8c', tessera: '#2f6fb0', peer: '#d9822b' } as const
const WIDTH = 1040
const LABEL_W = 330
const BAR_W = 390
const ROW_H = 30
const TOP = 48

/**
 * The table as a horizontal bar chart (requests/s, with the ratio to the baseline on each
 * bar), a plain SVG string: no chart library for one picture.
 */
export function renderChart(results: readonly CaseResult[], caption: string): string {
  const shown = results.filter((r) => r.runs.length > 0)
  const max = Math.max(1, ...shown.map((r) => r.requestsPerSecond))
  const height = TOP + shown.length * ROW_H + 36
  const rows = shown.map((r, i) => bar(r, i, max)).join('\n')
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="system-ui, -apple-system, Segoe UI, sans-serif" font-size="13">
<rect width="100%" height="100%" fill="#ffffff"/>
<text x="16" y="24" font-size="16" font-weight="600" fill="#222">GET /api/employees/7 — requests per second (higher is better) and server CPU µs per request (lower is better)</text>
<text x="16" y="40" font-size="11" fill="#666">${escapeXml(caption)}</text>
${rows}
${legend(height - 14)}
</svg>
`
}

function bar(r: CaseResult, i: number, max: number): string {
  const y = TOP + i * ROW_H
  const w = Math.max(1, Math.round((r.requestsPerSecond / max) * BAR_W))
  const ratio =
    r.ratio === null ? (r.valid ? '' : ' — INVALID (non-2xx)') : ` — ${Math.round(r.ratio * 100)} %`
  const cpu = Number.isFinite(r.serverCpuUsPerRequest)
    ? ` · ${r.serverCpuUsPerRequest.toFixed(1)} µs CPU/req`
    : ''
  const value = `${Math.round(r.requestsPerSecond).toLocaleString('en-US')} req/s${ratio}${cpu}`
  return [
    `<text x="${LABEL_W - 8}" y="${y + 19}" text-anchor="end" fill="#222">${escapeXml(r.label)}</text>`,
    `<rect x="${LABEL_W}" y="${y + 5}" width="${w}" height="${ROW_H - 10}" rx="2" fill="${COLORS[r.group]}"/>`,
    `<text x="${LABEL_W + w + 6}" y="${y + 19}" fill="#222">${escapeXml(value)}</text>`,
  ].join('\n')
}

function legend(y: number): string {
  return (Object.entries(COLORS) as [string, string][])
    .map(
      ([name, color], i) =>
        `<rect x="${LABEL_W + i * 110}" y="${y - 10}" width="12" height="12" fill="${color}"/><text x="${LABEL_W + i * 110 + 16}" y="${y}" fill="#444">${name}</text>`,
    )
    .join('\n')
}

function escapeXml(text: string): string {
  return text.replace(
    /[<>&"]/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c] as string,
  )
}
