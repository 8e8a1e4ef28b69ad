import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { gzipSync } from 'node:zlib'
import { build } from 'esbuild'
import { REPO_ROOT } from '../../scripts/pack-packages.ts'
import { readmeConfigError, readmeSnippet } from './support/readme-snippets.ts'
import {
  ADAPTER_CASES,
  freePort,
  prepareScratchApps,
  runNode,
  type ScratchApps,
  startApp,
} from './support/scratch-apps.ts'

/** The browser budget for an app's client code (createClient + TesseraError + the Backbone adapter), min+gzip. */
const CLIENT_BUDGET_BYTES = 6 * 1024

interface Drive {
  email: string
  sessionMe: { user: { email: string; role: string } }
  sessionPut: { id: string; saved: unknown }
  sessionAdmin: { status: number; code: string }
  csrfMissing: { status: number; code: string }
  anonymous: { status: number; code: string; wwwAuthenticate: string | null }
  signedMe: { user: { email: string } }
  signedPut: { id: string; saved: unknown }
  signedAdmin: { status: number; code: string }
  credentialType: string
}

/** Every case shares one pack and one install per adapter (the slow part). */
describe('Tessera installed from its tarballs into apps outside the workspace', { timeout: 240_000 }, () => {
  let scratch: ScratchApps
  before(async () => {
    scratch = await prepareScratchApps()
  })
  after(() => scratch?.remove())

  const secret = randomBytes(32).toString('hex')
  const runs = ADAPTER_CASES.flatMap((c) => [
    { adapter: c.name, node: '24' as const },
    ...(c.lowestNodeToo ? [{ adapter: c.name, node: '22' as const }] : []),
  ])

  for (const { adapter, node } of runs) {
    test(`the README's ${adapter} app on Node ${node} serves sessions with CSRF and signed requests, 401 and 403`, async () => {
      const dir = scratch.apps[adapter] as string
      const env = {
        PORT: String(await freePort()),
        TESSERA_SECRET: secret,
        DATABASE_URL: `sqlite:data/node${node}.db`,
      }
      const app = await startApp(scratch.nodes[node], dir, env)
      try {
        const driven = await runNode(scratch.nodes[node], dir, ['drive-app.mjs', app.baseUrl])
        assert.equal(driven.code, 0, driven.stderr)
        const seen = JSON.parse(driven.stdout) as Drive
        assert.equal(seen.sessionMe.user.email, seen.email)
        assert.equal(seen.sessionMe.user.role, 'user')
        assert.deepEqual(seen.sessionPut, { id: '1', saved: { text: 'from the session' } })
        assert.deepEqual(seen.sessionAdmin, { status: 403, code: 'forbidden' })
        assert.deepEqual(seen.csrfMissing, { status: 403, code: 'csrf_failed' })
        assert.equal(seen.anonymous.status, 401)
        assert.equal(seen.anonymous.code, 'unauthenticated')
        assert.ok(seen.anonymous.wwwAuthenticate, 'a 401 carries WWW-Authenticate')
        assert.equal(seen.credentialType, 'hmac')
        assert.equal(seen.signedMe.user.email, seen.email)
        assert.deepEqual(seen.signedPut, { id: '2', saved: { text: 'signed' } })
        assert.deepEqual(seen.signedAdmin, { status: 403, code: 'forbidden' })

        // The installed `tessera` bin (built file, shebang, entry-point check) on the same Node.
        const bin = join(dir, 'node_modules/.bin/tessera')
        assert.match(readFileSync(bin, 'utf8'), /^#!\/usr\/bin\/env node\n/)
        const listed = await runNode(scratch.nodes[node], dir, [bin, 'user', 'list'], env)
        assert.equal(listed.code, 0, listed.stderr)
        assert.ok(listed.stdout.includes(seen.email), listed.stdout)
      } finally {
        await app.stop()
      }
    })
  }

  test('the SQLite + Express app installs no database driver, Redis client or Fastify glue', () => {
    const installed = JSON.parse(
      readFileSync(join(scratch.apps.express as string, 'package-lock.json'), 'utf8'),
    )
    const names = Object.keys(installed.packages).map((path) => path.replace(/^.*node_modules\//, ''))
    for (const optional of ['pg', 'mysql2', 'ioredis', 'fastify', 'fastify-plugin', '@fastify/cors', 'cors'])
      assert.ok(!names.includes(optional), `${optional} was installed`)
  })

  test('a strict TypeScript app type-checks against the installed declarations', async () => {
    const dir = scratch.apps.typescript as string
    const tsc = join(REPO_ROOT, 'node_modules/.bin/tsc')
    const checked = await runNode(scratch.nodes['24'], dir, [tsc, '-p', '.'])
    assert.equal(checked.code, 0, checked.stdout + checked.stderr)
  })

  const misconfigurations = [
    {
      what: 'a driver not installed',
      fragment: '"pg" package',
      env: { DATABASE_URL: 'postgres://app@127.0.0.1:5432/app' },
    },
    {
      what: 'a store URL with a typo',
      fragment: 'postgress:',
      env: { DATABASE_URL: 'postgress://app:secret@db/app' },
    },
    { what: 'a missing secret', fragment: '"secret" is missing', env: { TESSERA_SECRET: '' } },
    { what: 'an unknown option', fragment: 'openRegistraton', env: {}, script: 'server-typo.mjs' },
  ]
  for (const bad of misconfigurations) {
    test(`${bad.what} stops the app at start with the README's one line and no driver stack`, async () => {
      const dir = scratch.apps.express as string
      if (bad.script) {
        const typo = readmeSnippet('express', 'server').replace('openRegistration:', 'openRegistraton:')
        writeFileSync(join(dir, bad.script), typo)
      }
      const env = {
        PORT: String(await freePort()),
        TESSERA_SECRET: secret,
        DATABASE_URL: 'sqlite:data/bad.db',
        ...bad.env,
      }
      const result = await runNode(scratch.nodes['24'], dir, [bad.script ?? 'server.mjs'], env)
      assert.notEqual(result.code, 0)
      assert.ok(result.stderr.split('\n').includes(readmeConfigError(bad.fragment)), result.stderr)
      assert.doesNotMatch(result.stderr, /node_modules\/(pg|mysql2|ioredis)\/|Require stack/)
    })
  }

  test('the client bundles for the browser from the installed package within its budget', async () => {
    const dir = scratch.apps.fastify as string
    writeFileSync(
      join(dir, 'browser-entry.mjs'),
      "export { createClient, TesseraError } from '@tessera/client'\nexport { connectBackbone } from '@tessera/client/backbone'\n",
    )
    const result = await build({
      absWorkingDir: dir,
      entryPoints: ['browser-entry.mjs'],
      bundle: true,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      minify: true,
      write: false,
      logLevel: 'silent',
    })
    const code = result.outputFiles[0]?.contents ?? new Uint8Array()
    const gzipped = gzipSync(code, { level: 9 }).length
    assert.ok(
      gzipped < CLIENT_BUDGET_BYTES,
      `${gzipped} B min+gzip is over the ${CLIENT_BUDGET_BYTES} B budget`,
    )
  })
})
