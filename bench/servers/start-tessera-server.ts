import { generateKeyPairSync, randomBytes } from 'node:crypto'
import {
  createTessera,
  type SignatureAlgorithm,
  type Stores,
  type Tessera,
  type UserRecord,
} from '@tessera/server'
import { type Database, migrateToLatest, openDatabase } from '@tessera/server/db'
import { authorize, tesseraFastify } from '@tessera/server/fastify'
import { problemErrorHandler, problemNotFoundHandler } from '@tessera/server/fastify-problems'
import {
  AUTH_MIGRATIONS,
  type AuthTables,
  createSqlStores,
  type JournalNonceStore,
} from '@tessera/server/sql'
import Fastify from 'fastify'
import { freshDatabase } from '../../test/support/databases.ts'
import type { BenchCredential } from '../load/bench-credential.ts'
import { CREDENTIALS_PER_CASE, EMPLOYEE_7, EMPLOYEE_PATH } from './employee-7.ts'
import { addLiveCredentials, diskBytes, fillNonceWindow } from './grow-stores.ts'
import type { StartedServer } from './run-server-process.ts'

export interface TesseraServerOptions {
  port: number
  credential: 'session' | 'hmac' | 'device' | 'ed25519'
  /** SQLite on a temporary file (default), or a throwaway PostgreSQL database plus Redis. */
  store?: 'sqlite' | 'postgres-redis'
  /** Accounts with real Argon2id (m=19 MiB, t=2, p=1) passwords, announced as login posts. */
  loginAccounts?: number
}

/** Redis DB index for the bench (not 0, which others use); keys carry a per-run prefix too. */
const BENCH_REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379/11'

/**
 * A production-like Tessera server: Fastify (logger off), the problem+json handlers,
 * `tesseraFastify` and `GET /api/employees/7` behind `preValidation: authorize('user')`,
 * with its sessions or keys made up front through the API the login endpoint uses.
 */
export async function startTesseraServer(options: TesseraServerOptions): Promise<StartedServer> {
  const { stores, drop, database, file } = await openStores(options.store ?? 'sqlite')
  const origin = `http://127.0.0.1:${options.port}`
  const tessera = createTessera({
    stores,
    secret: randomBytes(32),
    publicOrigin: origin,
    // Every login of the storm comes from 127.0.0.1: the per-IP flood guard would stop it after
    // 1,000. The bogus-login storm plays an attacker spread over many addresses and accounts,
    // which the per-address and per-account throttles do not stop: switched off for it too.
    throttle: { ipAttempts: 1_000_000_000, ipFailures: 1_000_000_000, freeFailures: 1_000_000_000 },
  })
  const app = Fastify({ logger: false })
  app.setErrorHandler(problemErrorHandler)
  app.setNotFoundHandler(problemNotFoundHandler)
  await app.register(tesseraFastify, { tessera })
  app.get(EMPLOYEE_PATH, { preValidation: authorize('user') }, async () => EMPLOYEE_7)
  const user = await tessera.register({
    email: 'bench@example.com',
    name: 'Bench User',
    password: newPassword(),
  })
  const credentials: BenchCredential[] = []
  for (let i = 0; i < CREDENTIALS_PER_CASE; i++)
    credentials.push(await issueCredential(tessera, user, options.credential))
  const logins = await createLoginAccounts(tessera, origin, options.loginAccounts ?? 0)
  const bogusLogins = logins.length > 0 ? bogusLoginPosts(origin) : []
  const live = Number(process.env.BENCH_LIVE_CREDENTIALS ?? 0)
  if (live > 0)
    await addLiveCredentials(
      database.kysely,
      user.id,
      options.credential === 'session' ? 'session' : 'key',
      live,
    )
  const nonceRate = Number(process.env.BENCH_NONCE_WINDOW_RATE ?? 0)
  if (nonceRate > 0) await fillNonceWindow(stores, nonceRate)
  // What the cost-growth table reports after a run: memory, nonces and bytes on disk.
  app.get('/bench/stats', async () => ({
    rssBytes: process.memoryUsage().rss,
    heapUsedBytes: process.memoryUsage().heapUsed,
    liveNonces: 'liveAt' in stores.nonces ? (stores.nonces as JournalNonceStore).liveAt(Date.now()) : null,
    nonceTableBytes: 'bytes' in stores.nonces ? (stores.nonces as JournalNonceStore).bytes : null,
    nonceJournalBytes: file === undefined ? null : diskBytes(`${file}.nonces`),
    databaseBytes: file === undefined ? null : diskBytes(file) + diskBytes(`${file}-wal`),
  }))
  await app.listen({ port: options.port, host: '127.0.0.1' })
  return {
    ready: { credentials, ...(logins.length > 0 && { logins, bogusLogins }) },
    async close() {
      await app.close()
      await tessera.close()
      await drop()
    },
  }
}

async function openStores(store: 'sqlite' | 'postgres-redis'): Promise<{
  stores: Stores
  database: Database<AuthTables>
  file: string | undefined
  drop(): Promise<void>
}> {
  const fresh = await freshDatabase(store === 'sqlite' ? 'sqlite' : 'postgres')
  const database = openDatabase<AuthTables>(fresh.url)
  await migrateToLatest(database.kysely as never, AUTH_MIGRATIONS)
  const sql = createSqlStores(database)
  if (store === 'sqlite') {
    const file = fresh.url.slice('sqlite:'.length)
    return { stores: sql, database, file, drop: () => fresh.drop() }
  }
  const { withRedis } = await import('@tessera/server/redis')
  const keyPrefix = `tessera-bench-${randomBytes(4).toString('hex')}:`
  const stores = withRedis(sql, BENCH_REDIS_URL, { keyPrefix })
  return { stores, database, file: undefined, drop: () => fresh.drop() }
}

/** A random password the policy accepts (20 base64url characters). */
function newPassword(): string {
  return randomBytes(15).toString('base64url')
}

async function issueCredential(
  tessera: Tessera,
  user: UserRecord,
  type: TesseraServerOptions['credential'],
): Promise<BenchCredential> {
  if (type === 'session') {
    const issued = await tessera.issueSession(user, { label: 'bench' })
    const { name, value } = issued.cookie
    return { kind: 'fixed', headers: { cookie: `${name}=${value}` } }
  }
  if (type === 'hmac') {
    const key = await tessera.issueKey(user, { label: 'bench' })
    const jwk: JsonWebKey = { kty: 'oct', k: key.secret as string }
    return { kind: 'tessera-signed', keyId: key.id, algorithm: 'hmac-sha256', jwk }
  }
  const pair =
    type === 'ed25519' ? generateKeyPairSync('ed25519') : generateKeyPairSync('ec', { namedCurve: 'P-256' })
  const key = await tessera.issueKey(user, {
    label: 'bench',
    publicKey: pair.publicKey.export({ format: 'jwk' }),
  })
  const jwk = pair.privateKey.export({ format: 'jwk' })
  return { kind: 'tessera-signed', keyId: key.id, algorithm: key.algorithm as SignatureAlgorithm, jwk }
}

/** Accounts for the login storm, hashed with the production parameters (the hasher's defaults). */
async function createLoginAccounts(
  tessera: Tessera,
  origin: string,
  count: number,
): Promise<BenchCredential[]> {
  const password = newPassword()
  const logins: BenchCredential[] = []
  for (let i = 0; i < count; i++) {
    const email = `storm${i}@example.com`
    await tessera.register({ email, name: 'Bench User', password })
    logins.push({
      kind: 'fixed',
      method: 'POST',
      headers: { 'content-type': 'application/json', origin },
      body: JSON.stringify({ email, password }),
    })
  }
  return logins
}

/** Wrong passwords for 200 emails nobody has: each is checked against the dummy hash. */
function bogusLoginPosts(origin: string): BenchCredential[] {
  return Array.from({ length: 200 }, (_, i) => ({
    kind: 'fixed',
    method: 'POST',
    headers: { 'content-type': 'application/json', origin },
    body: JSON.stringify({ email: `nobody${i}@example.com`, password: 'a wrong password, long enough' }),
  }))
}
