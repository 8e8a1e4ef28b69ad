import assert from 'node:assert/strict'
import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { test } from 'node:test'
import { loadConfig } from './config.ts'

test('defaults to 127.0.0.1:3000, 64 KiB bodies and a SQLite file under the repository root', () => {
  const config = loadConfig({})
  assert.equal(config.port, 3000)
  assert.equal(config.host, '127.0.0.1')
  assert.equal(config.bodyLimit, 65_536)
  assert.equal(config.logLevel, 'info')
  assert.equal(config.mobilePort, 3001)
  assert.equal(config.auth.sessionIdleMs, undefined, "Tessera's default")
  assert.match(config.databaseUrl, /^sqlite:\/.*\/data\/directory\.db$/)
  const root = dirname(dirname(config.databaseUrl.slice('sqlite:'.length)))
  assert.ok(existsSync(join(root, 'apps', 'directory', 'package.json')), `${root} is the repository root`)
})

test('reads the environment', () => {
  const config = loadConfig({
    PORT: '0',
    HOST: '0.0.0.0',
    DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/test',
    BODY_LIMIT: '2048',
    LOG_LEVEL: 'warn',
    MOBILE_PORT: '4001',
  })
  const { auth, timeouts: _, ...rest } = config
  assert.deepEqual(rest, {
    port: 0,
    host: '0.0.0.0',
    databaseUrl: 'postgres://postgres@127.0.0.1:5432/test',
    bodyLimit: 2048,
    logLevel: 'warn',
    mobilePort: 4001,
  })
  assert.equal(auth.openRegistration, false)
  assert.equal(auth.trustProxy, false)
})

test('reads DBSC_REQUIRE_ROLES and refuses an unknown role', () => {
  assert.deepEqual(loadConfig({ DBSC_REQUIRE_ROLES: 'admin, user' }).auth.dbscRequireRoles, ['admin', 'user'])
  assert.deepEqual(loadConfig({}).auth.dbscRequireRoles, [])
  assert.throws(() => loadConfig({ DBSC_REQUIRE_ROLES: 'root' }), /DBSC_REQUIRE_ROLES/)
})

test('reads the auth settings', () => {
  const { auth } = loadConfig({
    PUBLIC_ORIGIN: 'https://directory.example.com',
    CORS_ORIGINS: 'http://127.0.0.1:3001, capacitor://localhost',
    TRUST_PROXY: '10.0.0.1,10.0.0.2',
    OPEN_REGISTRATION: 'false',
    TESSERA_SECRET: 'ab'.repeat(32),
    NODE_ENV: 'production',
  })
  assert.equal(auth.publicOrigin, 'https://directory.example.com')
  assert.deepEqual(auth.corsOrigins, ['http://127.0.0.1:3001', 'capacitor://localhost'])
  assert.deepEqual(auth.trustProxy, ['10.0.0.1', '10.0.0.2'])
  assert.equal(auth.openRegistration, false)
  assert.equal(auth.production, true)
  assert.throws(() => loadConfig({ OPEN_REGISTRATION: 'maybe' }), /OPEN_REGISTRATION must be true or false/)
})

test('names both local origins in development, and only PUBLIC_ORIGIN when set', async () => {
  const { ownOrigins } = await import('./auth-settings.ts')
  assert.deepEqual(ownOrigins(loadConfig({}).auth, '127.0.0.1', 3000), {
    publicOrigin: 'http://127.0.0.1:3000',
    also: ['http://localhost:3000'],
  })
  assert.deepEqual(ownOrigins(loadConfig({ PUBLIC_ORIGIN: 'https://d.example' }).auth, '0.0.0.0', 8080), {
    publicOrigin: 'https://d.example',
    also: [],
  })
})

test('turns the mobile origin off with MOBILE_PORT=0 or off, and reads SESSION_IDLE_MINUTES', () => {
  assert.equal(loadConfig({ MOBILE_PORT: '0' }).mobilePort, undefined)
  assert.equal(loadConfig({ MOBILE_PORT: 'off' }).mobilePort, undefined)
  assert.equal(loadConfig({ SESSION_IDLE_MINUTES: '15' }).auth.sessionIdleMs, 900_000)
  assert.equal(loadConfig({ SESSION_IDLE_MINUTES: '0.5' }).auth.sessionIdleMs, 30_000)
  assert.throws(() => loadConfig({ MOBILE_PORT: 'on' }), /MOBILE_PORT/)
  assert.throws(
    () => loadConfig({ SESSION_IDLE_MINUTES: '0' }),
    /SESSION_IDLE_MINUTES must be a number of minutes above 0/,
  )
  assert.throws(() => loadConfig({ SESSION_IDLE_MINUTES: '1h' }), /SESSION_IDLE_MINUTES/)
})

test('allows the mobile origin (and its localhost twin) through CORS in development only', async () => {
  const { mobileOrigins } = await import('./create-directory-tessera.ts')
  assert.deepEqual(mobileOrigins(loadConfig({})), ['http://127.0.0.1:3001', 'http://localhost:3001'])
  assert.deepEqual(mobileOrigins(loadConfig({ HOST: 'localhost', MOBILE_PORT: '4001' })), [
    'http://localhost:4001',
    'http://127.0.0.1:4001',
  ])
  assert.deepEqual(mobileOrigins(loadConfig({ MOBILE_PORT: 'off' })), [])
  assert.deepEqual(mobileOrigins(loadConfig({ NODE_ENV: 'production', TESSERA_SECRET: 'ab'.repeat(32) })), [])
})

test('fails with the variable name for bad values', () => {
  assert.throws(() => loadConfig({ PORT: 'http' }), /PORT must be an integer from 0 to 65535, got "http"/)
  assert.throws(() => loadConfig({ PORT: '70000' }), /PORT/)
  assert.throws(() => loadConfig({ PORT: '-1' }), /PORT/)
  assert.throws(() => loadConfig({ BODY_LIMIT: '1e6' }), /BODY_LIMIT/)
  assert.throws(() => loadConfig({ BODY_LIMIT: '10' }), /BODY_LIMIT must be an integer from 1024/)
  assert.throws(() => loadConfig({ LOG_LEVEL: 'loud' }), /LOG_LEVEL must be one of/)
  assert.throws(() => loadConfig({ HOST: 'a b' }), /HOST/)
})

test('bounds slow clients by default: 30 s a request, 10 s its headers, 15 s idle, 72 s keep-alive', () => {
  assert.deepEqual(loadConfig({}).timeouts, {
    requestMs: 30_000,
    headersMs: 10_000,
    idleMs: 15_000,
    keepAliveMs: 72_000,
  })
})

test('reads the slow-client bounds and refuses a headers timeout longer than the request timeout', () => {
  const env = { REQUEST_TIMEOUT_MS: '5000', IDLE_TIMEOUT_MS: '2000', KEEP_ALIVE_TIMEOUT_MS: '1000' }
  assert.deepEqual(loadConfig(env).timeouts, {
    requestMs: 5_000,
    headersMs: 5_000,
    idleMs: 2_000,
    keepAliveMs: 1_000,
  })
  assert.equal(loadConfig({ ...env, HEADERS_TIMEOUT_MS: '800' }).timeouts.headersMs, 800)
  assert.throws(
    () => loadConfig({ ...env, HEADERS_TIMEOUT_MS: '6000' }),
    /HEADERS_TIMEOUT_MS must be an integer from 100 to 5000/,
  )
  assert.throws(
    () => loadConfig({ REQUEST_TIMEOUT_MS: '0' }),
    /REQUEST_TIMEOUT_MS must be an integer from 100/,
  )
})

test('reads the mail settings: SMTP_URL, MAIL_FROM, EMAIL_VERIFICATION (default optional)', () => {
  const { auth } = loadConfig({
    SMTP_URL: 'smtps://u:p@smtp.example.com',
    MAIL_FROM: 'Directory <no-reply@example.com>',
    EMAIL_VERIFICATION: 'required',
  })
  assert.deepEqual(
    [auth.smtpUrl, auth.mailFrom, auth.emailVerification],
    ['smtps://u:p@smtp.example.com', 'Directory <no-reply@example.com>', 'required'],
  )
  assert.equal(loadConfig({}).auth.emailVerification, 'optional')
  assert.throws(() => loadConfig({ EMAIL_VERIFICATION: 'sometimes' }), /EMAIL_VERIFICATION must be/)
})

test('refuses to start in production without SMTP_URL, with a clear message', async () => {
  const { createDirectoryTessera } = await import('./create-directory-tessera.ts')
  const { openDatabase } = await import('@tessera/server/db')
  const config = loadConfig({
    TESSERA_SECRET: 'ab'.repeat(32),
    NODE_ENV: 'production',
    PUBLIC_ORIGIN: 'https://d.example.com',
  })
  const database = openDatabase('sqlite::memory:')
  try {
    assert.throws(
      () => createDirectoryTessera(config, database as never, 3000),
      /SMTP_URL is required in production/,
    )
  } finally {
    await database.close()
  }
})

test('reads MFA_REQUIRED_ROLES and refuses an unknown role', () => {
  assert.deepEqual(loadConfig({}).auth.mfaRequiredRoles, [])
  assert.deepEqual(loadConfig({ MFA_REQUIRED_ROLES: 'admin' }).auth.mfaRequiredRoles, ['admin'])
  assert.throws(
    () => loadConfig({ MFA_REQUIRED_ROLES: 'admin,root' }),
    /MFA_REQUIRED_ROLES: unknown role root/,
  )
})
