import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'

// The Hono adapter and the request helpers it uses: what `@tessera/server/hono` adds to the core.
const ADAPTER_FILES = ['hono.ts', 'hono-json-body.ts', 'web-request.ts', 'raw-request.ts']
const adapters = fileURLToPath(new URL('../../src/adapters/', import.meta.url))

test('the Hono adapter imports no Node-only module of its own at run time, so it runs where Hono runs', () => {
  const offenders: string[] = []
  for (const file of ADAPTER_FILES) {
    const source = readFileSync(adapters + file, 'utf8')
    for (const [statement, spec] of source.matchAll(/^import (?!type )[^;]*?from '([^']+)'/gms)) {
      const nodeOnly = spec?.startsWith('node:') || spec?.startsWith('@hono/node-server')
      if (nodeOnly) offenders.push(`${file}: ${statement.split('\n')[0]}`)
    }
  }
  assert.deepEqual(offenders, [])
})
