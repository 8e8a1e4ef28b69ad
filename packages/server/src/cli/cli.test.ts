import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { createSecretKey, randomBytes } from 'node:crypto'
import { rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import { emailKey } from '../core/email.ts'
import { internals } from '../core/internals.ts'
import { signRequest } from '../core/signatures/sign-request.ts'
import { createTessera } from '../core/tessera.ts'
import { openDatabase } from '../db/index.ts'
import { createSqlStores } from '../stores/sql/index.ts'
import type { AuthTables } from '../stores/sql/schema.ts'
import { runCli } from './main.ts'

const file = join(tmpdir(), `cli-${process.pid}-${Date.now()}.db`)
const env = {
  DATABASE_URL: `sqlite:${file}`,
  TESSERA_SECRET: randomBytes(32).toString('hex'),
  PUBLIC_ORIGIN: 'http://127.0.0.1:3000',
  // Notices of role changes and resets become .eml files here, not in the repository's data/.
  TESSERA_DATA_DIR: join(tmpdir(), `cli-data-${process.pid}-${Date.now()}`),
}

async function cli(...args: string[]): Promise<{ code: number; out: string }> {
  const lines: string[] = []
  const code = await runCli(args, env, (line) => lines.push(line))
  return { code, out: lines.join('\n') }
}

/** A Tessera over the CLI's database, as the server would open it. */
function server() {
  const database = openDatabase<AuthTables>(env.DATABASE_URL)
  return createTessera({
    stores: createSqlStores(database),
    secret: env.TESSERA_SECRET,
    publicOrigin: env.PUBLIC_ORIGIN,
  })
}

before(async () => {
  await cli('user', 'list')
})
after(() => {
  for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true })
})

test('adds a user with a generated password printed once, and the password works', async () => {
  const { code, out } = await cli('user', 'add', 'ana@example.com', '--name', 'Ana Lima', '--role', 'admin')
  assert.equal(code, 0, out)
  const password = /password \(shown once\): (\S+)/.exec(out)?.[1]
  assert.ok(password && password.length >= 20)
  const tessera = server()
  const user = await internals(tessera).stores.users.findByEmailKey(emailKey('ana@example.com'))
  assert.equal(user?.role, 'admin')
  assert.equal(await internals(tessera).hasher.verify(user?.passwordHash ?? '', password), true)
  await tessera.close()
})

test('refuses a duplicate email, an unknown role and an unknown command with exit code 2', async () => {
  await cli('user', 'add', 'dup@example.com', '--name', 'Dup')
  assert.equal((await cli('user', 'add', 'dup@example.com', '--name', 'Dup')).code, 2)
  assert.match(
    (await cli('user', 'add', 'x@example.com', '--name', 'X', '--role', 'root')).out,
    /role must be one of/,
  )
  assert.equal((await cli('frobnicate')).code, 2)
  assert.equal((await cli('user', 'role', 'nobody@example.com', 'admin')).code, 2)
})

test('sets roles, disables and enables, resets passwords, each revoking the credentials', async () => {
  await cli('user', 'add', 'bo@example.com', '--name', 'Bo')
  const tessera = server()
  const user = await internals(tessera).stores.users.findByEmailKey(emailKey('bo@example.com'))
  assert.ok(user)
  const issue = await cli('key', 'issue', 'bo@example.com', '--label', 'ci')
  const keyId = /key id: +(\S+)/.exec(issue.out)?.[1] as string
  assert.match((await cli('user', 'role', 'bo@example.com', 'admin')).out, /1 credential\(s\) revoked/)
  assert.equal((await internals(tessera).stores.users.findById(user.id))?.role, 'admin')
  assert.equal(
    (await internals(tessera).stores.credentials.findById(keyId))?.credential.revokedAt !== null,
    true,
  )
  await cli('user', 'disable', 'bo@example.com')
  assert.equal((await internals(tessera).stores.users.findById(user.id))?.disabled, true)
  await cli('user', 'enable', 'bo@example.com')
  assert.equal((await internals(tessera).stores.users.findById(user.id))?.disabled, false)
  const reset = await cli('user', 'reset-password', 'bo@example.com')
  const password = /password \(shown once\): (\S+)/.exec(reset.out)?.[1] as string
  assert.equal(
    await internals(tessera).hasher.verify(
      (await internals(tessera).stores.users.findById(user.id))?.passwordHash ?? '',
      password,
    ),
    true,
  )
  await tessera.close()
})

test('issues an HMAC key to an existing account that signs requests the server accepts, and revokes it', async () => {
  await cli('user', 'add', 'cy@example.com', '--name', 'Cy')
  const { out } = await cli('key', 'issue', 'cy@example.com')
  const id = /key id: +(\S+)/.exec(out)?.[1] as string
  const secret = /secret \(shown once, base64url\): (\S+)/.exec(out)?.[1] as string
  const tessera = server()
  const url = 'http://127.0.0.1:3000/api/employees'
  const request = () => {
    const headers = signRequest({
      method: 'GET',
      url,
      keyId: id,
      algorithm: 'hmac-sha256',
      key: createSecretKey(Buffer.from(secret, 'base64url')),
    })
    return {
      method: 'GET',
      target: '/api/employees',
      headers: [['host', '127.0.0.1:3000'], ...Object.entries(headers)] as [string, string][],
      body: new Uint8Array(),
      ip: '127.0.0.1',
    }
  }
  const outcome = await tessera.authenticate(request())
  assert.equal(outcome.ok, true)
  assert.match((await cli('key', 'list', 'cy@example.com')).out, new RegExp(id))
  assert.equal((await cli('key', 'revoke', id)).code, 0)
  const refused = await tessera.authenticate(request())
  assert.deepEqual(refused.ok ? 'accepted' : refused.code, 'unknown_key')
  assert.equal((await cli('key', 'revoke', id)).code, 2, 'a second revoke reports it')
  await tessera.close()
})

test('revokes every credential of a user and tails the audit trail', async () => {
  await cli('user', 'add', 'di@example.com', '--name', 'Di')
  await cli('key', 'issue', 'di@example.com')
  await cli('key', 'issue', 'di@example.com')
  assert.match(
    (await cli('user', 'revoke', 'di@example.com')).out,
    /2 credential\(s\) of di@example.com revoked/,
  )
  const tail = await cli('audit', 'tail', '--limit', '5')
  assert.equal(tail.out.split('\n').length, 5)
  assert.match(tail.out, /authn_token_revoked/)
  assert.doesNotMatch(tail.out, /secret|password/i)
  assert.equal((await cli('audit', 'tail', '--limit', '0')).code, 2)
})

test('reads a chosen password from standard input and refuses a weak one', { timeout: 30_000 }, async () => {
  const main = new URL('./main.ts', import.meta.url).pathname
  const run = (input: string, email: string) =>
    new Promise<{ code: number; out: string }>((resolve) => {
      const child = execFile(
        process.execPath,
        [main, 'user', 'add', email, '--name', 'Ed', '--password-stdin'],
        { env: { ...process.env, ...env } },
        (error, stdout) => resolve({ code: error ? Number(error.code) : 0, out: stdout }),
      )
      child.stdin?.end(input)
    })
  const good = await run('a long and quite unusual passphrase\n', 'ed@example.com')
  assert.equal(good.code, 0, good.out)
  assert.doesNotMatch(good.out, /shown once/)
  const weak = await run('password123\n', 'ed2@example.com')
  assert.equal(weak.code, 2)
  assert.match(weak.out, /password refused/)
})

test('lists and removes a user’s passkeys, audited', async () => {
  await cli('user', 'add', 'pk@example.com', '--name', 'Pat')
  const tessera = server()
  try {
    const user = await internals(tessera).stores.users.findByEmailKey(emailKey('pk@example.com'))
    assert.ok(user)
    const passkey = {
      id: 'cred-AbC_123',
      userId: user.id,
      publicKey: 'pQECAyYgASFYIA',
      signCount: 3,
      backedUp: true,
      deviceType: 'multiDevice',
      transports: ['internal'],
      name: 'Phone',
      createdAt: Date.UTC(2030, 0, 1),
      lastUsedAt: null,
    }
    await internals(tessera).stores.passkeys.create(passkey)
    assert.match(
      (await cli('passkey', 'list', 'pk@example.com')).out,
      /^cred-AbC_123\tPhone\t2030-01-01T00:00:00.000Z\tnever\tsynced$/,
    )
    assert.equal((await cli('passkey', 'remove', 'pk@example.com', 'unknown')).code, 2)
    assert.match(
      (await cli('passkey', 'remove', 'pk@example.com', 'cred-AbC_123')).out,
      /removed passkey cred-AbC_123/,
    )
    assert.equal((await cli('passkey', 'list', 'pk@example.com')).out, '')
    assert.match(
      (await cli('audit', 'tail', '--limit', '1')).out,
      /mfa_disabled .*"factor":"passkey","via":"cli"/,
    )
  } finally {
    await tessera.close()
  }
})
