import assert from 'node:assert/strict'
import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'

const repo = fileURLToPath(new URL('../../', import.meta.url))

/** Code that stands where a user's app would: it may use only what the packages publish. */
const CONSUMERS = ['apps', 'examples', 'bench']

/** Everything in the repository that may hold code, packages included. */
const CODE_ROOTS = ['test', 'apps', 'examples', 'bench', 'scripts', 'packages']

/** The workspace packages whose insides (`src/`, and `test/`, whose helpers reach into `src/`) are theirs alone. */
const PACKAGES = readdirSync(join(repo, 'packages'), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)

/**
 * Paths into a package's sources that are not imports, each with its reason. Anything else
 * naming `packages/<name>/src` from outside that package is a deep import.
 */
const NOT_IMPORTS: Record<string, string> = {
  'test/support/tessera-cli.ts':
    'runs the tessera CLI as a program (its bin is in dist/, which needs a build)',
  'apps/directory/src/front-end/front-end-config.ts': 'Vite bundles the client SDK from its sources',
  'apps/directory/src/front-end/build-front-ends.ts': 'hashes the client SDK sources to know when to rebuild',
}

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.name === 'node_modules' || entry.name.startsWith('dist')) return []
    const path = join(dir, entry.name)
    if (entry.isDirectory()) return files(path)
    return /\.(ts|tsx|mts|mjs|js)$/.test(entry.name) ? [path] : []
  })
}

/** Module specifiers (`from '…'`, `import('…')`, `import '…'`) and `new URL('…')` paths in a source text. */
function specifiers(source: string): string[] {
  return [...source.matchAll(/(?:\bfrom\s*|\bimport\s*\(?\s*|\bnew URL\(\s*)'([^']+)'/g)].map(
    (m) => m[1] ?? '',
  )
}

/**
 * What `file` (relative to the repository) reaches inside a package it is not part of:
 * `packages/<name>/src|test/…` by a relative path, or `@tessera/<name>/src|test/…`.
 */
function deepReferences(file: string, source: string): string[] {
  const owner = /^packages\/([^/]+)\//.exec(file)?.[1]
  return specifiers(source).filter((spec) => {
    const bare = /^@tessera\/([^/]+)\/(?:src|test)(?:\/|$)/.exec(spec)
    if (bare) return bare[1] !== owner
    if (!spec.startsWith('.')) return false
    const target = relative(repo, resolve(repo, dirname(file), spec)).replaceAll('\\', '/')
    const inside = /^packages\/([^/]+)\/(?:src|test)(?:\/|$)/.exec(target)
    return inside !== null && inside[1] !== owner && PACKAGES.includes(inside[1] ?? '')
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

test('no code outside a package reaches into its src/ or test/: tests that need internals live in that package', () => {
  const deep: string[] = []
  for (const file of CODE_ROOTS.flatMap((dir) => files(join(repo, dir)))) {
    const name = relative(repo, file).replaceAll('\\', '/')
    // This file itself holds sample deep imports, for the test of the scanner below.
    if (name in NOT_IMPORTS || name === 'test/architecture/public-entry-points.test.ts') continue
    for (const spec of deepReferences(name, readFileSync(file, 'utf8'))) deep.push(`${name}: '${spec}'`)
  }
  assert.deepEqual(
    deep,
    [],
    `Import the public entry points instead (@tessera/server, @tessera/server/fastify, /sql, …, ` +
      `@tessera/client, …), or move a white-box test under packages/<name>/test/:\n  ${deep.join('\n  ')}`,
  )
})

test('a deep import is recognised however it is spelled, and a package may import its own insides', () => {
  const source = [
    "import { ERROR_CODES } from '../../server/src/core/errors.ts'",
    "import type { Stores } from '@tessera/server/src/core/stores.ts'",
    "const { x } = await import('../../packages/server/test/support/x.ts')",
    "const cli = new URL('../../packages/server/src/cli/main.ts', import.meta.url)",
    "import { createTessera } from '@tessera/server'",
    "import { openDatabase } from '@tessera/server/db'",
    "import { helper } from './helper.ts'",
  ].join('\n')
  assert.deepEqual(deepReferences('packages/client/test/x.test.ts', source), [
    '../../server/src/core/errors.ts',
    '@tessera/server/src/core/stores.ts',
  ])
  assert.deepEqual(deepReferences('test/contract/x.test.ts', source), [
    '@tessera/server/src/core/stores.ts',
    '../../packages/server/test/support/x.ts',
    '../../packages/server/src/cli/main.ts',
  ])
  assert.deepEqual(deepReferences('packages/server/test/contract/x.test.ts', source), [])
  assert.deepEqual(deepReferences('test/x.test.ts', "import { a } from '../packages/client/src/index.ts'"), [
    '../packages/client/src/index.ts',
  ])
})

test('every path allowed to name a package’s sources still exists and still names them', () => {
  for (const file of Object.keys(NOT_IMPORTS)) {
    const source = readFileSync(join(repo, file), 'utf8')
    assert.ok(
      /packages\/[^/]+\/src\//.test(source),
      `${file} no longer names a package's sources: drop it from NOT_IMPORTS`,
    )
  }
})
