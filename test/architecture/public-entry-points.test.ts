import assert from 'node:assert/strict'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'

const repo = fileURLToPath(new URL('../../', import.meta.url))

/** Code that stands where a user's app would: it may use only what the packages publish. */
const CONSUMERS = ['apps', 'examples', 'bench']

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.name === 'node_modules' || entry.name.startsWith('dist')) return []
    const path = join(dir, entry.name)
    if (entry.isDirectory()) return files(path)
    return /\.(ts|mjs|js)$/.test(entry.name) ? [path] : []
  })
}

test('the demo, the examples and the benchmarks import Tessera only through the packages’ public entry points', () => {
  const deep: string[] = []
  for (const file of CONSUMERS.flatMap((dir) => files(join(repo, dir)))) {
    for (const [, spec] of readFileSync(file, 'utf8').matchAll(/(?:from|import)\s*\(?\s*'([^']+)'/g)) {
      if (
        spec?.includes('packages/server/') ||
        spec?.includes('packages/client/') ||
        /^@tessera\/[^/]+\/src\//.test(spec ?? '')
      )
        deep.push(`${file.slice(repo.length)}: ${spec}`)
    }
  }
  assert.deepEqual(deep, [])
})
