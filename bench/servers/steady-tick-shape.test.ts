import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { test } from 'node:test'

const PRELOAD = new URL('steady-tick-shape.ts', import.meta.url).pathname

// The preload reaches into how this Node builds its nextTick queue entries: if a Node update
// changes them, the bench must stop rather than quietly measure servers in different states.
test('every bench server keeps one nextTick queue entry, with the symbol keys Node gives it', () => {
  const script =
    'const kept = globalThis.__benchKeptTick; ' +
    'console.log(JSON.stringify({ symbols: Object.getOwnPropertySymbols(kept).map(String), callback: typeof kept.callback }))'
  const run = spawnSync(process.execPath, [`--import=${PRELOAD}`, '--input-type=module', '-e', script], {
    encoding: 'utf8',
  })
  assert.equal(run.status, 0, run.stderr)
  const seen = JSON.parse(run.stdout) as { symbols: string[]; callback: string }
  assert.ok(seen.symbols.includes('Symbol(async_id_symbol)'), run.stdout)
  assert.equal(seen.callback, 'function')
})
