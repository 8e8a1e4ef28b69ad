import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { createTessera } from '@tessera/server'
import { openSqlStores } from '../support/sql-stores.ts'

const server = fileURLToPath(new URL('../../packages/server/', import.meta.url))
const read = (path: string) => readFileSync(server + path, 'utf8')

/** The verbs docs/design.md lists ("API"); each is a documented method of `Tessera`. */
const VERBS = [
  'authenticate',
  'authorize',
  'guard',
  'register',
  'login',
  'issueSession',
  'issueKey',
  'rotateKey',
  'revoke',
  'logout',
  'revokeUser',
  'updateUser',
  'changePassword',
  'resetPassword',
  'findUser',
  'listUsers',
  'listCredentials',
  'auditTrail',
  'sweep',
  'csrfToken',
  'close',
]

test('every export of the public index has a TSDoc comment with an @example', () => {
  const source = read('src/index.ts')
  const undocumented = [...source.matchAll(/^export [^\n]*/gm)]
    .filter((match) => {
      const before = source.slice(0, match.index).trimEnd()
      return !before.endsWith('*/') || !before.slice(before.lastIndexOf('/**')).includes('@example')
    })
    .map((match) => match[0])
  assert.deepEqual(undocumented, [])
})

test('Tessera has the documented verbs, each with an @example, and no public fields', async () => {
  const source = read('src/core/tessera.ts')
  for (const verb of VERBS) {
    const at = source.search(new RegExp(`^  (?:async )?${verb}\\(`, 'm'))
    assert.ok(at > 0, `${verb} is a method`)
    const doc = source.slice(source.lastIndexOf('/**', at), at)
    assert.match(doc, /@example/, `${verb} has an @example`)
  }
  const opened = await openSqlStores('sqlite')
  const tessera = createTessera({
    stores: opened.stores,
    secret: Buffer.alloc(32, 7),
    publicOrigin: 'http://127.0.0.1:3000',
  })
  try {
    assert.deepEqual(Object.keys(tessera), [])
    const internal = ['stores', 'hasher', 'throttle', 'audit', 'keyRing', 'config', 'logger', 'now']
    for (const name of [...internal, 'mail', 'tokens', 'oidc', 'deviceBinding'])
      assert.equal(name in tessera, false, `${name} is not reachable on a Tessera`)
    const methods = Object.getOwnPropertyNames(Object.getPrototypeOf(tessera)).filter(
      (n) => n !== 'constructor',
    )
    assert.deepEqual(methods.toSorted(), VERBS.toSorted())
  } finally {
    await tessera.close()
  }
})

test('the internal accessor is reachable from no package entry point', () => {
  const manifest = read('package.json')
  assert.doesNotMatch(manifest, /internals/)
  assert.doesNotMatch(read('src/index.ts'), /internals/)
})
