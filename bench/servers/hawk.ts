import { randomBytes } from 'node:crypto'
import Fastify from 'fastify'
import Hawk from 'hawk'
import type { BenchCredential } from '../load/bench-credential.ts'
import { CREDENTIALS_PER_CASE, EMPLOYEE_7, EMPLOYEE_PATH } from './employee-7.ts'
import { runServerProcess } from './run-server-process.ts'

/**
 * Peer case: Hawk server authentication (`Hawk.server.authenticate`) in a Fastify
 * preValidation hook, credentials in memory. Hawk's defaults: no nonce store (its docs
 * leave replay protection to an optional `nonceFunc`), ±60 s timestamp skew.
 */
await runServerProcess(async (port) => {
  const keys = new Map<string, { key: string; algorithm: 'sha256' }>()
  const credentials: BenchCredential[] = []
  for (let i = 0; i < CREDENTIALS_PER_CASE; i++) {
    const id = `hawk-${i}`
    const key = randomBytes(32).toString('base64url')
    keys.set(id, { key, algorithm: 'sha256' })
    credentials.push({ kind: 'hawk', id, key, algorithm: 'sha256' })
  }
  const app = Fastify({ logger: false })
  app.get(
    EMPLOYEE_PATH,
    {
      preValidation: async (request, reply) => {
        try {
          await Hawk.server.authenticate(request.raw, async (id) => keys.get(id))
        } catch {
          return reply.code(401).header('www-authenticate', 'Hawk').send({ status: 401 })
        }
      },
    },
    async () => EMPLOYEE_7,
  )
  await app.listen({ port, host: '127.0.0.1' })
  return { ready: { credentials }, close: () => app.close() }
})
