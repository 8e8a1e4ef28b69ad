import assert from 'node:assert/strict'
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, test } from 'node:test'
import { ERROR_CODES } from '@tessera/server'
import { buildClient } from '../build.ts'
import { PROBLEM_CODES } from '../src/problem-codes.ts'

const ROOT = new URL('..', import.meta.url).pathname
const SRC = join(ROOT, 'src')

async function sources(): Promise<Array<{ file: string; text: string }>> {
  const files = (await readdir(SRC, { recursive: true })).filter((f) => f.endsWith('.ts'))
  return Promise.all(files.map(async (file) => ({ file, text: await readFile(join(SRC, file), 'utf8') })))
}

/** Every module specifier in a file: static and dynamic imports, re-exports, require(). */
function specifiers(text: string): string[] {
  const found = text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+|\brequire\s*\(\s*)['"]([^'"]+)['"]/g)
  return [...found].map((m) => m[1]!)
}

describe('the client uses web APIs only', () => {
  test('no file under packages/client/src imports a node: module (or a Node builtin by bare name)', async () => {
    const offenders = []
    for (const { file, text } of await sources()) {
      for (const spec of specifiers(text))
        if (spec.startsWith('node:') || /^(fs|path|crypto|http|https|zlib|buffer|url)$/.test(spec))
          offenders.push(`${file}: ${spec}`)
      if (/\b(Buffer|process|require)\b\s*[.(]/.test(text.replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '')))
        offenders.push(`${file}: Node global`)
    }
    assert.deepEqual(offenders, [])
  })

  test('has zero runtime dependencies: only relative imports, and none in package.json', async () => {
    const outside = []
    for (const { file, text } of await sources())
      for (const spec of specifiers(text)) if (!spec.startsWith('./')) outside.push(`${file}: ${spec}`)
    assert.deepEqual(outside, [])
    const manifest = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8'))
    assert.equal(manifest.dependencies, undefined)
  })
})

describe('the error catalogue', () => {
  test('the client knows exactly the server’s problem codes', () => {
    assert.deepEqual([...PROBLEM_CODES].sort(), [...ERROR_CODES].sort())
  })
})

describe('the build', () => {
  // 5.25 KB since issue 14 (second login step, re-authentication, eight more problem codes);
  // 5.5 KB with accepting an invitation by passkey and `user_disabled`.
  test('bundles ESM for browsers; the core stays under 5.5 KB min+gzip', async () => {
    const sizes = await buildClient()
    const core = sizes.find((s) => s.name === 'index')!
    assert.ok(core.gzipped < 5.5 * 1024, `core is ${core.gzipped} bytes min+gzip`)
    const text = await readFile(core.file, 'utf8')
    assert.match(text, /export\{/)
    assert.doesNotMatch(text, /\bnode:/)
    const backbone = await readFile(sizes.find((s) => s.name === 'backbone')!.file, 'utf8')
    assert.doesNotMatch(backbone, /crypto\.subtle/, 'the adapter bundles none of the core')
  })
})
