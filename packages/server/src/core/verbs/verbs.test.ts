import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { after, before, describe, test } from 'node:test'
import { openSqlStores } from '../../../../../test/support/sql-stores.ts'
import { ProblemError } from '../errors.ts'
import { internals } from '../internals.ts'
import { createTessera, type Tessera } from '../tessera.ts'

const PASSWORD = 'Quartz-lantern 58 over the fjord'
let counter = 0
const email = () => `verb${++counter}-${randomBytes(3).toString('hex')}@example.com`

async function refusal(promise: Promise<unknown>): Promise<ProblemError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  assert.ok(error instanceof ProblemError, `expected a ProblemError, got ${String(error)}`)
  return error
}

describe('the verbs, called directly on SQLite', () => {
  let tessera: Tessera
  before(async () => {
    const opened = await openSqlStores('sqlite')
    tessera = createTessera({
      stores: opened.stores,
      secret: randomBytes(32),
      publicOrigin: 'http://127.0.0.1:3000',
      passwordHashing: { memoryCost: 1024, timeCost: 1, parallelism: 1 },
      sweepIntervalMs: 0,
    })
  })
  after(() => tessera?.close())

  test('login of a user with a confirmed second factor is refused as mfa_required and issues nothing', async () => {
    const user = await tessera.register({ email: email(), password: PASSWORD, name: 'Totp' })
    const { mfa } = internals(tessera).stores
    const now = Date.now()
    assert.equal(await mfa.beginTotp(user.id, 'sealed', now), true)
    assert.equal(await mfa.acceptTotpStep(user.id, 1, now, true), true)
    const error = await refusal(tessera.login({ email: user.email, password: PASSWORD, ip: '127.0.0.1' }))
    assert.equal(error.code, 'mfa_required')
    assert.deepEqual(await tessera.listCredentials(user.id), [])
  })

  test('register marks the address verified only when the operator vouches for it (or verification is off)', async () => {
    const vouched = await tessera.register({
      email: email(),
      password: PASSWORD,
      name: 'Op',
      emailVerified: true,
    })
    assert.notEqual(vouched.emailVerifiedAt, null)
    const unvouched = await tessera.register({ email: email(), password: PASSWORD, name: 'Self' })
    const verificationOff = internals(tessera).config.emailVerification === 'off'
    assert.equal(unvouched.emailVerifiedAt !== null, verificationOff)
  })

  test('register refuses a weak password with a 422 on /body/password and creates nothing', async () => {
    const address = email()
    const error = await refusal(tessera.register({ email: address, password: 'password123', name: 'Weak' }))
    assert.equal(error.code, 'validation_failed')
    assert.equal(error.extras.errors?.[0]?.path, '/body/password')
    assert.equal(await tessera.findUser(address), undefined)
  })

  test('login for a key answers a working secret; revoke with another owner changes nothing, then revokes and audits', async () => {
    const user = await tessera.register({ email: email(), password: PASSWORD, name: 'Kim' })
    const result = await tessera.login({
      email: user.email,
      password: PASSWORD,
      ip: '127.0.0.1',
      credential: 'key',
    })
    assert.ok('key' in result && result.key.secret)
    const { id } = result.key
    assert.deepEqual(
      (await tessera.listCredentials(user.id)).map((c) => c.id),
      [id],
    )
    assert.equal(await tessera.revoke(id, { ownedBy: user.id + 1000 }), undefined)
    assert.equal((await tessera.listCredentials(user.id)).length, 1, 'still live')
    assert.equal((await tessera.revoke(id, { by: user.id, via: 'test' }))?.credential.id, id)
    assert.deepEqual(await tessera.listCredentials(user.id), [])
    const [event] = await tessera.auditTrail({ limit: 1, userId: user.id, event: 'authn_token_revoked' })
    assert.equal(event?.credentialId, id)
    assert.equal(await tessera.revoke(id), undefined, 'a second revoke reports nothing to revoke')
  })

  test('login with a wrong password is the one invalid_credentials, for a known and an unknown email alike', async () => {
    const user = await tessera.register({ email: email(), password: PASSWORD, name: 'Lee' })
    for (const address of [user.email, email()]) {
      const error = await refusal(
        tessera.login({ email: address, password: `${PASSWORD}!`, ip: '127.0.0.9' }),
      )
      assert.equal(error.code, 'invalid_credentials')
    }
  })

  test('updateUser: a name change keeps the credentials, a role change revokes them and is audited', async () => {
    const user = await tessera.register({ email: email(), password: PASSWORD, name: 'Mo' })
    await tessera.issueSession(user)
    assert.equal((await tessera.updateUser(user.id, { name: 'Mo Ray' }))?.revoked, 0)
    assert.equal((await tessera.listCredentials(user.id)).length, 1)
    const changed = await tessera.updateUser(user.id, { role: 'admin' }, { via: 'test' })
    assert.equal(changed?.user.role, 'admin')
    assert.equal(changed?.revoked, 1)
    assert.deepEqual(await tessera.listCredentials(user.id), [])
    const [event] = await tessera.auditTrail({
      limit: 1,
      userId: user.id,
      event: 'privilege_permissions_changed',
    })
    assert.equal(event?.detail.via, 'test')
    assert.equal(await tessera.updateUser(999_999, { disabled: true }), undefined)
  })

  test('resetPassword revokes every credential; the old password stops working and the new one works', async () => {
    const user = await tessera.register({ email: email(), password: PASSWORD, name: 'Ny' })
    await tessera.issueKey(user)
    const fresh = 'Another quite long passphrase 71'
    assert.equal(await tessera.resetPassword(user, fresh, { via: 'test' }), 1)
    const error = await refusal(tessera.login({ email: user.email, password: PASSWORD, ip: '127.0.0.2' }))
    assert.equal(error.code, 'invalid_credentials')
    const result = await tessera.login({ email: user.email, password: fresh, ip: '127.0.0.2' })
    assert.ok('session' in result)
  })

  test('rotateKey of a session id is refused as unauthenticated and retires nothing', async () => {
    const user = await tessera.register({ email: email(), password: PASSWORD, name: 'Oz' })
    const session = await tessera.issueSession(user)
    const error = await refusal(tessera.rotateKey(session.credentialId))
    assert.equal(error.code, 'unauthenticated')
    assert.equal((await tessera.listCredentials(user.id)).length, 1)
  })
})
