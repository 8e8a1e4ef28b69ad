import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { CaseResult } from '../http/run-http-benchmarks.ts'
import { formatTable } from './format-table.ts'
import { renderChart } from './render-chart.ts'

const row = (id: string, rps: number, cpu: number, ratio: number) =>
  ({
    id,
    label: id,
    group: id === 'baseline' ? 'baseline' : 'tessera',
    requestsPerSecond: rps,
    serverCpuUsPerRequest: cpu,
    databaseCpuUsPerRequest: 0,
    p50Ms: 1,
    p99Ms: 2,
    ratio,
    non2xx: 0,
    errors: 0,
    valid: true,
    notes: [],
    warmup: null,
    runs: [{ requestsPerSecond: rps }],
    disturbed: [],
    served: rps,
  }) as unknown as CaseResult

test('the chart and the table show server CPU µs per request beside req/s', () => {
  const results = [row('baseline', 80_000, 9.7, 1), row('tessera-hmac', 60_000, 13.25, 0.75)]
  const svg = renderChart(results, 'caption')
  assert.match(svg, /80,000 req\/s — 100 % · 9\.7 µs CPU\/req/)
  assert.match(svg, /60,000 req\/s — 75 % · 13\.3 µs CPU\/req/)
  assert.match(
    formatTable(results),
    /\| tessera-hmac \| 60,000 \| 60,000 – 60,000 \| 13\.3 \| 1\.00 \| 2\.00 \| 75 % \| 0 \|/,
  )
})
