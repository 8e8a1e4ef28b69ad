import { randomBytes } from 'node:crypto'
import { rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import { betterAuth } from 'better-auth'
import { getMigrations } from 'better-auth/db/migration'
import { fromNodeHeaders } from 'better-auth/node'
import Fastify from 'fastify'
import type { BenchCredential } from '../load/bench-credential.ts'
import { CREDENTIALS_PER_CASE, EMPLOYEE_7, EMPLOYEE_PATH } from './employee-7.ts'
import { runServerProcess } from './run-server-process.ts'

// No network here, and a benchmark must not phone home: telemetry off by option and by env.
process.env.BETTER_AUTH_TELEMETRY = '0'

/**
 * Peer case: Better Auth's `auth.api.getSession` in a Fastify preValidation hook, on its
 * Kysely adapter over `node:sqlite` (a temporary file, WAL like Tessera's), defaults
 * otherwise (no cookie cache). Sessions come from `signInEmail` before the ready line.
 */
await runServerProcess(async (port) => {
  const file = join(tmpdir(), `bench-better-auth-${process.pid}-${randomBytes(4).toString('hex')}.db`)
  const database = new DatabaseSync(file)
  database.exec('PRAGMA journal_mode = WAL')
  const auth = createAuth(database, port)
  await (await getMigrations(auth.options)).runMigrations()
  const credentials = await signIn(auth)
  const app = Fastify({ logger: false })
  app.get(
    EMPLOYEE_PATH,
    {
      preValidation: async (request, reply) => {
        const found = await auth.api.getSession({ headers: fromNodeHeaders(request.headers) })
        if (found === null) return reply.code(401).send({ status: 401 })
      },
    },
    async () => EMPLOYEE_7,
  )
  await app.listen({ port, host: '127.0.0.1' })
  return {
    ready: { credentials },
    async close() {
      await app.close()
      database.close()
      for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true })
    },
  }
})

function createAuth(database: DatabaseSync, port: number) {
  return betterAuth({
    database,
    secret: randomBytes(32).toString('base64url'),
    baseURL: `http://127.0.0.1:${port}`,
    emailAndPassword: { enabled: true },
    telemetry: { enabled: false },
    logger: { disabled: true },
  })
}

type Auth = ReturnType<typeof createAuth>

async function signIn(auth: Auth): Promise<BenchCredential[]> {
  const email = 'bench@example.com'
  const password = randomBytes(12).toString('base64url')
  await auth.api.signUpEmail({ body: { email, password, name: 'Bench User' } })
  const credentials: BenchCredential[] = []
  for (let i = 0; i < CREDENTIALS_PER_CASE; i++) {
    const headers = await auth.api.signInEmail({ body: { email, password }, returnHeaders: true })
    const cookie = headers.headers.get('set-cookie')?.split(';')[0]
    if (cookie === undefined) throw new Error('Better Auth sign-in set no cookie')
    credentials.push({ kind: 'fixed', headers: { cookie } })
  }
  return credentials
}
