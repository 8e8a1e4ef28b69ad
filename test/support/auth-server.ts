import { randomBytes } from 'node:crypto'
import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import {
  createTessera,
  PasswordHasher,
  type Role,
  type Tessera,
  type TesseraOptions,
  type UserRecord,
} from '@tessera/server'
import { tesseraExpress } from '@tessera/server/express'
import { authorize, tesseraFastify } from '@tessera/server/fastify'
import {
  acceptOnlyJsonBodies,
  problemErrorHandler,
  problemNotFoundHandler,
} from '@tessera/server/fastify-problems'
import { type TesseraHonoEnv, type TrustProxy, tesseraHono } from '@tessera/server/hono'
import express from 'express'
import Fastify from 'fastify'
import { Hono } from 'hono'
import { type OpenedSqlStores, openSqlStores } from './sql-stores.ts'

export type AdapterName = 'fastify' | 'express' | 'hono'
export const ADAPTERS: AdapterName[] = ['fastify', 'express', 'hono']

/** A settable clock, so expiry is tested by moving time rather than by waiting. */
export class TestClock {
  now = Date.now()
  advance(ms: number): void {
    this.now += ms
  }
}

export interface AuthServer {
  baseUrl: string
  origin: string
  tessera: Tessera
  stores: OpenedSqlStores
  clock: TestClock
  secret: Buffer
  createUser(role?: Role, password?: string): Promise<UserRecord & { password: string }>
  /** Stops the server; with `keepStores` the database stays for a restart. */
  close(options?: { keepStores?: boolean }): Promise<void>
}

export type AuthServerOptions = Partial<
  Omit<TesseraOptions, 'stores' | 'secret' | 'publicOrigin' | 'now'>
> & {
  /** Reuse stores (and so the database) of an earlier server: a restart. */
  stores?: OpenedSqlStores
  secret?: Buffer
  /** Listen on this port (a restart of an earlier server); default a free one. */
  port?: number
  /** Which proxies' X-Forwarded-For the framework believes (its own `trustProxy` setting). */
  trustProxy?: TrustProxy
}

let counter = 0

/** `POST /api/critical` is guarded with `recentAuth` of this many seconds (step-up). */
export const STEP_UP_SECONDS = 300

/** Fast Argon2id parameters for tests; the production parameters have their own test. */
export const TEST_HASHING = { memoryCost: 1024, timeCost: 1, parallelism: 1 }

/**
 * A real server on 127.0.0.1 with Tessera on real SQLite stores: `/auth/*`, plus
 * `GET /api/things` (user), `GET /api/admin` (admin), `PUT /api/things/:id` (user),
 * `GET /api/public`, and `POST /api/critical` (user, proof of the user within STEP_UP_SECONDS).
 */
export async function startAuthServer(
  adapter: AdapterName,
  options: AuthServerOptions = {},
): Promise<AuthServer> {
  const stores = options.stores ?? (await openSqlStores())
  const clock = new TestClock()
  const secret = options.secret ?? randomBytes(32)
  const { stores: _s, secret: _k, port: _p, trustProxy, ...rest } = options
  // The public origin is fixed before the port is known, so the server listens on a port chosen up front.
  const port = options.port ?? (await freePort())
  const origin = `http://127.0.0.1:${port}`
  const tessera = createTessera({
    openRegistration: true,
    passwordHashing: TEST_HASHING,
    ...rest,
    stores: stores.stores,
    secret,
    publicOrigin: origin,
    now: () => clock.now,
  })
  // Users are written to the store directly (register would audit them and apply the policies),
  // with a hash of the same parameters as the instance's own hasher.
  const hasher = new PasswordHasher(rest.passwordHashing ?? TEST_HASHING)
  const closeApp = await LISTEN[adapter](tessera, port, trustProxy)
  return {
    baseUrl: origin,
    origin,
    tessera,
    stores,
    clock,
    secret,
    async createUser(role: Role = 'user', password = 'correct horse battery staple') {
      const email = `user${++counter}-${randomBytes(3).toString('hex')}@example.com`
      const created = await stores.stores.users.create(
        {
          email,
          // The generated address is already in its normalized (lower-case ASCII) form.
          emailKey: email,
          name: `Test User ${counter}`,
          role,
          passwordHash: await hasher.hash(password),
        },
        clock.now,
      )
      if (created === 'email_taken') throw new Error('unreachable')
      return { ...created, password }
    },
    async close({ keepStores = false } = {}) {
      await closeApp()
      if (options.stores === undefined && !keepStores) await stores.close()
    },
  }
}

async function freePort(): Promise<number> {
  const { createServer } = await import('node:net')
  return new Promise((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as AddressInfo
      srv.close(() => resolve(port))
    })
  })
}

async function listenFastify(
  tessera: Tessera,
  port: number,
  trustProxy?: TrustProxy,
): Promise<() => Promise<void>> {
  const app = Fastify({
    logger: process.env.TEST_LOG === '1',
    bodyLimit: 64 * 1024,
    trustProxy: trustProxy ?? false,
  })
  app.setErrorHandler(problemErrorHandler)
  app.setNotFoundHandler(problemNotFoundHandler)
  acceptOnlyJsonBodies(app)
  await app.register(tesseraFastify, { tessera })
  app.get('/api/public', async () => ({ ok: true }))
  app.get('/api/things', { preHandler: authorize('user') }, async (req) => ({
    things: [1, 2],
    user: req.auth?.user,
  }))
  app.get('/api/admin', { preHandler: authorize('admin') }, async (req) => ({
    admin: true,
    user: req.auth?.user,
  }))
  app.get('/api/things/:id', { preHandler: authorize('user') }, async (req) => ({ thing: req.params }))
  app.put('/api/things/:id', { preHandler: authorize('user') }, async (req) => ({ saved: req.body }))
  app.delete('/api/things/:id', { preHandler: authorize('user') }, async () => ({ deleted: true }))
  app.post('/api/critical', { preHandler: authorize('user', { recentAuth: STEP_UP_SECONDS }) }, async () => ({
    done: true,
  }))
  await app.listen({ port, host: '127.0.0.1' })
  return () => app.close()
}

type Listen = (tessera: Tessera, port: number, trustProxy?: TrustProxy) => Promise<() => Promise<void>>

const LISTEN: Record<AdapterName, Listen> = {
  fastify: listenFastify,
  express: listenExpress,
  hono: listenHono,
}

async function listenExpress(
  tessera: Tessera,
  port: number,
  trustProxy?: TrustProxy,
): Promise<() => Promise<void>> {
  const app = express()
  if (trustProxy !== undefined) app.set('trust proxy', trustProxy)
  const t = tesseraExpress({ tessera })
  app.use(t.cors)
  app.use(t.router)
  app.use('/api', t.json)
  app.get('/api/public', (_req, res) => void res.json({ ok: true }))
  app.get(
    '/api/things',
    t.authorize('user'),
    (req, res) => void res.json({ things: [1, 2], user: req.auth?.user }),
  )
  app.get(
    '/api/admin',
    t.authorize('admin'),
    (req, res) => void res.json({ admin: true, user: req.auth?.user }),
  )
  app.get('/api/things/:id', t.authorize('user'), (req, res) => void res.json({ thing: req.params }))
  app.put('/api/things/:id', t.authorize('user'), (req, res) => void res.json({ saved: req.body }))
  app.delete('/api/things/:id', t.authorize('user'), (_req, res) => void res.json({ deleted: true }))
  app.post(
    '/api/critical',
    t.authorize('user', { recentAuth: STEP_UP_SECONDS }),
    (_req, res) => void res.json({ done: true }),
  )
  app.use(t.notFound)
  app.use(t.errorHandler)
  const server = await new Promise<import('node:http').Server>((resolve) => {
    const s = app.listen(port, '127.0.0.1', () => resolve(s))
  })
  return () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections()
      server.close(() => resolve())
    })
}

async function listenHono(
  tessera: Tessera,
  port: number,
  trustProxy?: TrustProxy,
): Promise<() => Promise<void>> {
  const app = new Hono<TesseraHonoEnv>()
  const t = tesseraHono({ tessera, trustProxy })
  app.use(t.cors)
  app.route('/', t.routes)
  app.use('/api/*', t.json)
  app.get('/api/public', (c) => c.json({ ok: true }))
  app.get('/api/things', t.authorize('user'), (c) => c.json({ things: [1, 2], user: c.get('auth')?.user }))
  app.get('/api/admin', t.authorize('admin'), (c) => c.json({ admin: true, user: c.get('auth')?.user }))
  app.get('/api/things/:id', t.authorize('user'), (c) => c.json({ thing: c.req.param() }))
  app.put('/api/things/:id', t.authorize('user'), (c) => c.json({ saved: c.get('body') }))
  app.delete('/api/things/:id', t.authorize('user'), (c) => c.json({ deleted: true }))
  app.post('/api/critical', t.authorize('user', { recentAuth: STEP_UP_SECONDS }), (c) =>
    c.json({ done: true }),
  )
  app.notFound(t.notFound)
  app.onError(t.onError)
  const server = await new Promise<import('node:http').Server>((resolve) => {
    const s = serve({ fetch: app.fetch, port, hostname: '127.0.0.1' }, () =>
      resolve(s as import('node:http').Server),
    )
  })
  return () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections()
      server.close(() => resolve())
    })
}
