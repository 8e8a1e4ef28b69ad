// Copied into a scratch TypeScript app and type-checked there (strict, nodenext, skipLibCheck
// off) against the installed packages' .d.ts: the public types a TypeScript user writes
// against, both adapters, the client. Never run.
import { createClient, TesseraError } from '@tessera/client'
import { CookieJar } from '@tessera/client/cookie-jar'
import { createTessera, type Principal, ProblemError, type TesseraOptions } from '@tessera/server'
import { migrateToLatest, openDatabase } from '@tessera/server/db'
import { tesseraExpress } from '@tessera/server/express'
import { authorize, tesseraFastify } from '@tessera/server/fastify'
import {
  acceptOnlyJsonBodies,
  problemErrorHandler,
  problemNotFoundHandler,
} from '@tessera/server/fastify-problems'
import { AUTH_MIGRATIONS, createSqlStores } from '@tessera/server/sql'
import express from 'express'
import Fastify from 'fastify'

const database = openDatabase('sqlite:data/typed.db')
await migrateToLatest(database.kysely, AUTH_MIGRATIONS)
const options: TesseraOptions = {
  stores: createSqlStores(database),
  secret: process.env.TESSERA_SECRET ?? '',
  publicOrigin: 'http://127.0.0.1:3000',
}
const tessera = createTessera(options)

const fastify = Fastify()
fastify.setErrorHandler(problemErrorHandler)
fastify.setNotFoundHandler(problemNotFoundHandler)
acceptOnlyJsonBodies(fastify)
await fastify.register(tesseraFastify, { tessera })
fastify.get('/api/me', { preHandler: authorize('user') }, async (req) => {
  const who: Principal | null = req.auth
  if (who === null) throw new ProblemError('unauthenticated')
  return { user: who.user.email, role: who.user.role }
})

const t = tesseraExpress({ tessera })
const app = express()
app.use(t.router)
app.get('/api/me', t.authorize('user'), (req, res) => {
  const who: Principal | undefined = req.auth
  res.json({ user: who?.user.email })
})

const api = createClient({ baseUrl: 'http://127.0.0.1:3000', mode: 'session', cookieJar: new CookieJar() })
const failed: boolean = await api.login('ana@example.com', 'a long passphrase').then(
  () => false,
  (error: unknown) => error instanceof TesseraError && error.status === 401,
)

export { failed }
