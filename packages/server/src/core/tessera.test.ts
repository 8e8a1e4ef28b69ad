import assert from 'node:assert/strict'
import { createSecretKey, randomBytes } from 'node:crypto'
import { after, before, test } from 'node:test'
import { type OpenedSqlStores, openSqlStores } from '../../../../test/support/sql-stores.ts'
import { issueKey } from './endpoints/issue-credential.ts'
import { internals } from './internals.ts'
import { signRequest } from './signatures/sign-request.ts'
import { createTessera, type Tessera } from './tessera.ts'
import type { RequestView } from './types.ts'

let opened: OpenedSqlStores
let tessera: Tessera
let clock = Date.now()
before(async () => {
  opened = await openSqlStores()
  tessera = createTessera({
    stores: opened.stores,
    secret: randomBytes(32),
    publicOrigin: 'http://127.0.0.1:3000',
    now: () => clock,
    sweepIntervalMs: 0,
  })
})
after(() => opened.close())

async function signedView(body?: string): Promise<RequestView> {
  const user = await internals(tessera).stores.users.create(
    {
      email: `${randomBytes(4).toString('hex')}@x.example`,
      emailKey: `${randomBytes(4).toString('hex')}@x.example`,
      name: 'N',
      role: 'user',
      passwordHash: 'x',
    },
    clock,
  )
  if (user === 'email_taken') throw new Error('unreachable')
  const key = await issueKey(tessera, user, 'test', undefined, clock)
  const secret = createSecretKey(Buffer.from(key.secret as string, 'base64url'))
  const headers = signRequest({
    method: 'GET',
    url: 'http://127.0.0.1:3000/api/x',
    keyId: key.id,
    algorithm: 'hmac-sha256',
    key: secret,
    created: Math.floor(clock / 1000),
  })
  return {
    method: 'GET',
    target: '/api/x',
    headers: [['host', '127.0.0.1:3000'], ...Object.entries(headers)],
    body: new Uint8Array(),
    ip: '127.0.0.1',
    ...(body !== undefined && { bodyUnread: true }),
  }
}

test('refuses a signed request whose body the adapter could not keep as bytes', async () => {
  const outcome = await tessera.authenticate(await signedView('unread'))
  assert.deepEqual(outcome.ok ? 'accepted' : [outcome.code, outcome.extras?.detail], [
    'invalid_signature',
    'body not covered',
  ])
})

test('judges a request with an unread body and only a foreign-tagged signature as unsigned, by cookie', async () => {
  const view = await signedView('unread')
  const foreign = view.headers.map(([name, value]): [string, string] =>
    name === 'signature-input' ? [name, value.replace('tag="tessera"', 'tag="edge-gateway"')] : [name, value],
  )
  const outcome = await tessera.authenticate({ ...view, headers: foreign })
  assert.deepEqual(outcome, { ok: false, code: 'unauthenticated', anonymous: true })
})

test('sweeps expired nonces once their window has passed, and not before', async () => {
  const view = await signedView()
  assert.equal((await tessera.authenticate(view)).ok, true)
  assert.equal((await tessera.sweep(clock)).nonces, 0)
  const outcome = await tessera.authenticate(view)
  assert.equal(outcome.ok ? 'accepted' : outcome.code, 'replayed_signature')
  clock += 10 * 60_000
  assert.ok((await tessera.sweep(clock)).nonces >= 1)
})
