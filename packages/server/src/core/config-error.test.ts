import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { test } from 'node:test'
import { promisify } from 'node:util'
import { openDatabase } from '../db/open-database.ts'
import { loadMasterSecrets } from '../node/master-secret-file.ts'
import { requireOptional } from '../node/optional-package.ts'
import { connectRedis } from '../stores/redis/connect-redis.ts'
import { resolveConfig, type TesseraOptions } from './config.ts'
import { TesseraConfigError } from './config-error.ts'
import type { Stores } from './stores.ts'

const base = { stores: {} as Stores, secret: randomBytes(32), publicOrigin: 'http://127.0.0.1:3000' }

/** Asserts `act` fails at start with a TesseraConfigError whose message is exactly one line. */
function refuses(act: () => unknown, message: string): void {
  assert.throws(act, (error: unknown) => {
    assert.ok(error instanceof TesseraConfigError, String(error))
    assert.equal(error.message, message)
    assert.doesNotMatch(error.message, /\n/)
    return true
  })
}

test('an unknown option is refused by name, with the option it was probably meant to be', () => {
  const options = { ...base, openRegistraton: true } as unknown as TesseraOptions
  refuses(
    () => resolveConfig(options),
    'Tessera: createTessera() has no option "openRegistraton"; did you mean "openRegistration"? (the options are listed in TesseraOptions)',
  )
  refuses(
    () => resolveConfig({ ...base, sesion: {} } as unknown as TesseraOptions),
    'Tessera: createTessera() has no option "sesion"; did you mean "session"? (the options are listed in TesseraOptions)',
  )
})

test('an unknown nested option is refused with the names it takes', () => {
  const options = { ...base, session: { idleMinutes: 5 } } as unknown as TesseraOptions
  refuses(
    () => resolveConfig(options),
    'Tessera: createTessera() has no option "session.idleMinutes"; session takes idleMs, absoluteMs',
  )
})

test('a missing secret, store or public origin is named with what to pass', () => {
  refuses(
    () => resolveConfig({ ...base, secret: undefined } as unknown as TesseraOptions),
    'Tessera: createTessera() option "secret" is missing: pass TESSERA_SECRET, at least 32 random bytes as hex (openssl rand -hex 32)',
  )
  refuses(
    () => resolveConfig({ ...base, secret: '' }),
    'Tessera: createTessera() option "secret" is missing: pass TESSERA_SECRET, at least 32 random bytes as hex (openssl rand -hex 32)',
  )
  const { stores: _stores, ...noStores } = base
  refuses(
    () => resolveConfig(noStores as unknown as TesseraOptions),
    'Tessera: createTessera() option "stores" is missing: pass the stores, e.g. createSqlStores(database) from @tessera/server/sql',
  )
})

test('a secret too short is refused as the "secret" option, its value never shown', () => {
  refuses(
    () => resolveConfig({ ...base, secret: 'abcd1234' }),
    'Tessera: createTessera() option "secret": a master secret must decode to at least 32 bytes (hex or base64url); make one with: openssl rand -hex 32',
  )
  refuses(
    () => loadMasterSecrets({ secret: 'abcd1234', file: '/nonexistent', production: true }),
    'Tessera: TESSERA_SECRET: a master secret must decode to at least 32 bytes (hex or base64url); make one with: openssl rand -hex 32',
  )
})

test('a database URL with a mistyped scheme is refused, not opened as a SQLite file, password hidden', () => {
  refuses(
    () => openDatabase('postgress://app:hunter2@db/app'),
    'Tessera: DATABASE_URL postgress://app:***@db/app names no database ("postgress:"); use sqlite:<file>, postgres://user@host:5432/db or mysql://user@host:3306/db',
  )
  refuses(
    () => openDatabase('postgres://app:pa@ss:x@db:99999/app'),
    'Tessera: DATABASE_URL postgres://app:***@db:99999/app is not a valid URL; write it as scheme://user:password@host:port/database (percent-encode special characters in the password)',
  )
})

test('a Redis URL that is not redis:// or rediss:// is refused before ioredis retries it forever', () => {
  refuses(
    () => connectRedis('redis:/127.0.0.1:6379'),
    'Tessera: REDIS_URL redis:/127.0.0.1:6379 is not a Redis URL; write redis://host:6379/0 (or rediss:// for TLS)',
  )
  refuses(
    () => connectRedis('127.0.0.1:6379'),
    'Tessera: REDIS_URL 127.0.0.1:6379 is not a Redis URL; write redis://host:6379/0 (or rediss:// for TLS)',
  )
})

test('an optional package that is not installed is named with its install command', () => {
  refuses(
    () => requireOptional('tessera-no-such-driver', 'DATABASE_URL is nosuch://…'),
    'Tessera: DATABASE_URL is nosuch://… but the "tessera-no-such-driver" package is not installed. Run: npm i tessera-no-such-driver',
  )
  assert.equal(
    typeof requireOptional<{ Pool: unknown }>('pg', 'DATABASE_URL is postgres://…').Pool,
    'function',
  )
})

test('the CLI prints a misconfiguration as its one line, exit code 2, no stack', {
  timeout: 30_000,
}, async () => {
  const main = new URL('../cli/main.ts', import.meta.url).pathname
  const run = promisify(execFile)
  const env = { ...process.env, DATABASE_URL: 'postgress://app:hunter2@db/app' }
  const failed = await run(process.execPath, [main, 'user', 'list'], { env }).catch((error) => error)
  assert.equal(failed.code, 2)
  assert.equal(
    failed.stderr,
    'Tessera: DATABASE_URL postgress://app:***@db/app names no database ("postgress:"); use sqlite:<file>, postgres://user@host:5432/db or mysql://user@host:3306/db\n',
  )
})
