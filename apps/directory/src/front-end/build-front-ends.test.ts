import assert from 'node:assert/strict'
import { readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { ensureFrontEnds, sourceHash } from './build-front-ends.ts'

test('builds both front-ends once, with no inline script or style, and rebuilds when the sources differ', {
  timeout: 60_000,
}, async (t) => {
  const root = join(tmpdir(), `directory-front-ends-${process.pid}-${Date.now()}`)
  t.after(() => rm(root, { recursive: true, force: true }))
  const outDirs = { web: join(root, 'web'), mobile: join(root, 'mobile') }
  const logged: string[] = []
  const log = (line: string) => logged.push(line)

  assert.deepEqual(await ensureFrontEnds({ outDirs, log }), outDirs)
  assert.deepEqual(logged, ['building web and mobile app with Vite…'])
  for (const dir of Object.values(outDirs)) {
    const html = await readFile(join(dir, 'index.html'), 'utf8')
    assert.match(html, /<script type="module" crossorigin src="\/(m\/)?assets\/[\w-]+\.js"><\/script>/)
    assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>|<style|\sstyle=/, 'nothing inline')
    const assets = await readdir(join(dir, 'assets'))
    assert.ok(assets.some((f) => f.endsWith('.css')) && assets.some((f) => f.endsWith('.js')), String(assets))
    assert.equal(await readFile(join(dir, '.source-hash'), 'utf8'), await sourceHash())
  }
  assert.match(
    await readFile(join(outDirs.mobile, 'index.html'), 'utf8'),
    /<meta name="tessera-api-origin" content="">/,
  )

  await ensureFrontEnds({ outDirs, log })
  assert.equal(logged.length, 1, 'up to date: not built again')
  await writeFile(join(outDirs.mobile, '.source-hash'), 'other sources')
  await ensureFrontEnds({ outDirs, log })
  assert.deepEqual(logged.slice(1), ['building mobile app with Vite…'])
})

test('hashes the sources the same way twice', async () => {
  assert.match(await sourceHash(), /^[0-9a-f]{32}$/)
  assert.equal(await sourceHash(), await sourceHash())
})
