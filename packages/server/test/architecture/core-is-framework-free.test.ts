import assert from 'node:assert/strict'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('../../src/core/', import.meta.url))
const FORBIDDEN = [
  'fastify',
  'express',
  'hono',
  'kysely',
  'ioredis',
  'redis',
  'pg',
  'mysql2',
  '@fastify/',
  '@hono/',
]

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  )
}

test('the core imports no framework, query builder or database driver', () => {
  const offenders: string[] = []
  for (const file of files(root)) {
    for (const [, spec] of readFileSync(file, 'utf8').matchAll(/from '([^']+)'/g)) {
      if (FORBIDDEN.some((f) => spec === f || spec?.startsWith(f.endsWith('/') ? f : `${f}/`)))
        offenders.push(`${file}: ${spec}`)
    }
  }
  assert.deepEqual(offenders, [])
})
