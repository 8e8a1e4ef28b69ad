import { createSecretKey, generateKeyPairSync, type KeyObject, randomBytes } from 'node:crypto'
import { rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  createSignatureVerifier,
  createTessera,
  type RequestView,
  type SignatureAlgorithm,
  signRequest,
  type Tessera,
} from '@tessera/server'
import { migrateToLatest, openDatabase } from '@tessera/server/db'
import { authorize } from '@tessera/server/fastify'
import { AUTH_MIGRATIONS, type AuthTables, createSqlStores } from '@tessera/server/sql'
import { MemoryNonceStore } from '../test/rfc9421/memory-nonce-store.ts'

export interface MicroResult {
  name: string
  usPerOp: number
  opsPerSecond: number
  samples: number[]
}

const ORIGIN = 'http://127.0.0.1:3000'

function median(values: number[]): number {
  const sorted = values.toSorted((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] as number
}

/** One pre-signed request: unique nonce, so the replay check records a fresh nonce each time. */
function presign(
  keyId: string,
  algorithm: SignatureAlgorithm,
  key: KeyObject,
  withBody: boolean,
): RequestView {
  const body = withBody
    ? JSON.stringify({ firstName: 'Wren', lastName: 'Halvorsen', title: 'Engineer' })
    : undefined
  const headers: Record<string, string> = body === undefined ? {} : { 'content-type': 'application/json' }
  const url = `${ORIGIN}/api/employees/7`
  const signed = signRequest({ method: withBody ? 'PUT' : 'GET', url, headers, body, keyId, algorithm, key })
  return {
    method: withBody ? 'PUT' : 'GET',
    target: '/api/employees/7',
    headers: [['host', '127.0.0.1:3000'], ...Object.entries(headers), ...Object.entries(signed)] as [
      string,
      string,
    ][],
    body: body === undefined ? new Uint8Array() : Buffer.from(body),
    ip: '127.0.0.1',
  }
}

/**
 * One signed request verified by the core alone (parse, digest, crypto; key imported, nonces
 * in memory), and end to end as a route guard does it, as a route guard does it: parse the
 * structured fields → recompute the digest → resolve the key (SQLite lookup) → verify the
 * MAC/signature → record the nonce (SQLite insert). Medians of `reps` runs of `ops` requests.
 */
export async function benchVerifySignature(
  options: { ops?: number; reps?: number; log?: (s: string) => void } = {},
): Promise<MicroResult[]> {
  const ops = options.ops ?? 2000
  const reps = options.reps ?? 5
  const file = join(tmpdir(), `bench-verify-${process.pid}.db`)
  const database = openDatabase<AuthTables>(`sqlite:${file}`)
  await migrateToLatest(database.kysely as never, AUTH_MIGRATIONS)
  const tessera = createTessera({
    stores: createSqlStores(database),
    secret: randomBytes(32),
    publicOrigin: ORIGIN,
    passwordHashing: { memoryCost: 1024, timeCost: 1 },
  })
  const user = await tessera.register({
    email: 'b@example.com',
    name: 'Bench',
    password: randomBytes(15).toString('base64url'),
  })
  const p256 = generateKeyPairSync('ec', { namedCurve: 'P-256' })
  const ed = generateKeyPairSync('ed25519')
  const hmac = await tessera.issueKey(user, { label: 'bench' })
  const hmacKey = createSecretKey(Buffer.from(hmac.secret as string, 'base64url'))
  const deviceKey = async (publicKey: KeyObject) =>
    (await tessera.issueKey(user, { label: 'b', publicKey: publicKey.export({ format: 'jwk' }) })).id
  /** [label, algorithm, signing key, key id, verification key] */
  const keys: Array<[string, SignatureAlgorithm, KeyObject, string, KeyObject]> = [
    ['hmac-sha256', 'hmac-sha256', hmacKey, hmac.id, hmacKey],
    [
      'ecdsa-p256-sha256',
      'ecdsa-p256-sha256',
      p256.privateKey,
      await deviceKey(p256.publicKey),
      p256.publicKey,
    ],
    ['ed25519', 'ed25519', ed.privateKey, await deviceKey(ed.publicKey), ed.publicKey],
  ]
  const results: MicroResult[] = []
  const measure = async (
    label: string,
    make: () => RequestView,
    verify: (r: RequestView) => Promise<boolean>,
  ) => {
    const samples: number[] = []
    for (let rep = 0; rep < reps + 1; rep++) {
      const requests = Array.from({ length: ops }, make)
      const start = process.hrtime.bigint()
      for (const request of requests)
        if (!(await verify(request))) throw new Error(`${label}: verification failed`)
      const us = Number(process.hrtime.bigint() - start) / 1000 / ops
      if (rep > 0) samples.push(us) // the first run warms up the JIT and the caches
    }
    const usPerOp = median(samples)
    results.push({ name: label, usPerOp, opsPerSecond: Math.round(1e6 / usPerOp), samples })
    options.log?.(`  ${label.padEnd(46)} ${usPerOp.toFixed(1).padStart(7)} µs/request`)
  }
  try {
    for (const [name, algorithm, key, id, verificationKey] of keys) {
      // The verifier alone: key already imported, nonces in memory — the cost of parsing and crypto.
      const verifier = createSignatureVerifier({
        authorities: ['127.0.0.1:3000'],
        scheme: 'http',
        nonces: new MemoryNonceStore(),
        resolveKey: async () => ({ id, algorithm, key: verificationKey, payload: null }),
      })
      await measure(
        `${name} GET, verifier only`,
        () => presign(id, algorithm, key, false),
        async (r) => (await verifier.verify(r)).ok,
      )
      for (const withBody of [false, true]) {
        const label = `${name} ${withBody ? 'PUT + 60 B body' : 'GET'}, end to end`
        await measure(
          label,
          () => presign(id, algorithm, key, withBody),
          async (r) => (await tessera.authenticate(r)).ok,
        )
      }
    }
    // The session check as a Fastify route runs it: the cookie read, the credential cache, the role.
    const { cookie } = await tessera.issueSession(user, { label: 'bench' })
    const guard = authorize('user')
    await measure(
      'session cookie GET, Fastify route guard',
      () => sessionRequest(`${cookie.name}=${cookie.value}`),
      (r) => passesGuard(guard, tessera, r),
    )
  } finally {
    await tessera.close()
    for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true })
  }
  return results
}

function sessionRequest(cookie: string): RequestView {
  const headers: [string, string][] = [
    ['host', '127.0.0.1:3000'],
    ['cookie', cookie],
  ]
  return { method: 'GET', target: '/api/employees/7', headers, body: new Uint8Array(), ip: '127.0.0.1' }
}

/** Runs the guard on the few fields of a Fastify request it reads. */
function passesGuard(
  guard: ReturnType<typeof authorize>,
  tessera: Tessera,
  view: RequestView,
): Promise<boolean> {
  const request = {
    method: view.method,
    raw: { url: view.target, rawHeaders: view.headers.flat() },
    headers: Object.fromEntries(view.headers),
    ip: view.ip,
    rawBody: undefined,
    server: { tessera },
    auth: null as unknown,
  }
  return new Promise((resolve, reject) =>
    (guard as unknown as (q: unknown, r: unknown, done: (e?: Error) => void) => void)(request, {}, (error) =>
      error ? reject(error) : resolve(request.auth !== null),
    ),
  )
}
