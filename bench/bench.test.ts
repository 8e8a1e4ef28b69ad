import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import type { BenchReport } from './report/bench-report.ts'

const RUN = new URL('./run.ts', import.meta.url).pathname

function runBench(args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [RUN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString()
    })
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString()
    })
    child.once('close', (code) => resolve({ code, output }))
  })
}

test('the quick run of two cases prints a table of 2xx-only rows and keeps the raw JSON', {
  timeout: 60_000,
}, async () => {
  const out = mkdtempSync(join(tmpdir(), 'bench-test-'))
  try {
    const { code, output } = await runBench([
      '--quick',
      '--only=baseline,tessera-hmac',
      '--skip=micro,storm,revocation,cold,install',
      '--duration=1',
      '--warmup=0.5',
      `--out=${out}`,
    ])
    assert.equal(code, 0, output)
    const row = (label: string, ratio: string) =>
      new RegExp(
        `\\| ${label} \\| [\\d,]+ \\| [\\d,]+ – [\\d,]+ \\| [\\d.]+ \\| [\\d.]+ \\| [\\d.]+ \\| ${ratio} \\| 0 \\|`,
      )
    assert.match(output, row('Fastify, no auth \\(baseline\\)', '100 %'))
    assert.match(output, row('Tessera HMAC-signed, nonce check \\(SQLite\\)', '\\d+ %'))
    const file = readdirSync(out).find((f) => f.startsWith('http-')) as string
    const report = JSON.parse(readFileSync(join(out, file), 'utf8')) as BenchReport
    assert.deepEqual(
      report.http?.map((r) => r.id),
      ['baseline', 'tessera-hmac'],
    )
    for (const row of report.http ?? []) {
      assert.equal(row.valid, true, row.id)
      assert.equal(row.non2xx, 0, row.id)
      assert.ok(row.requestsPerSecond > 100, `${row.id}: ${row.requestsPerSecond} req/s`)
      // Server CPU per request sits beside req/s: positive, and below 10 ms on any machine.
      assert.ok(
        row.serverCpuUsPerRequest > 0 && row.serverCpuUsPerRequest < 10_000,
        `${row.id}: ${row.serverCpuUsPerRequest} µs`,
      )
      assert.deepEqual(Object.keys(row.runs[0]?.statusCodes ?? {}), ['200'], row.id)
    }
    // Every signed request was prepared up front, none signed during the run, none replayed.
    assert.equal(report.http?.[1]?.runs[0]?.signedLive, 0)
  } finally {
    rmSync(out, { recursive: true, force: true })
  }
})
