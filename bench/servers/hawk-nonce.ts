import { randomBytes } from 'node:crypto'
import Fastify from 'fastify'
import Hawk from 'hawk'
import type { BenchCredential } from '../load/bench-credential.ts'
import { CREDENTIALS_PER_CASE, EMPLOYEE_7, EMPLOYEE_PATH } from './employee-7.ts'
import { runServerProcess } from './run-server-process.ts'

/** Hawk accepts timestamps within ±60 s: a nonce is remembered that long past its timestamp. */
const HAWK_SKEW_MS = 60_000

/**
 * Peer case: Hawk as in `hawk.ts`, plus the replay check Hawk leaves to the application: a
 * `nonceFunc` over an in-memory Map (key + nonce → expiry), pruned once a second. The fair
 * comparison for Tessera's signed requests; still nothing durable and one process only.
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
  const seen = new Map<string, number>()
  const prune = setInterval(() => {
    const now = Date.now()
    for (const [id, until] of seen) if (until <= now) seen.delete(id)
  }, 1000)
  const nonceFunc = async (key: string, nonce: string, ts: number) => {
    const id = `${key}\u0000${nonce}`
    if (seen.has(id)) throw new Error('replayed nonce')
    seen.set(id, ts * 1000 + HAWK_SKEW_MS)
  }
  const app = Fastify({ logger: false })
  app.get(
    EMPLOYEE_PATH,
    {
      preValidation: async (request, reply) => {
        try {
          await Hawk.server.authenticate(request.raw, async (id) => keys.get(id), { nonceFunc })
        } catch {
          return reply.code(401).header('www-authenticate', 'Hawk').send({ status: 401 })
        }
      },
    },
    async () => EMPLOYEE_7,
  )
  await app.listen({ port, host: '127.0.0.1' })
  return {
    ready: { credentials },
    async close() {
      clearInterval(prune)
      await app.close()
    },
  }
})
