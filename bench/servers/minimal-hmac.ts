import { createHmac, createSecretKey, randomBytes, timingSafeEqual } from 'node:crypto'
import Fastify from 'fastify'
import type { BenchCredential } from '../load/bench-credential.ts'
import { CREDENTIALS_PER_CASE, EMPLOYEE_7, EMPLOYEE_PATH } from './employee-7.ts'
import { runServerProcess } from './run-server-process.ts'

const SKEW_S = 300
const HEADER = /^HMAC ([A-Za-z0-9_-]{1,64}):(\d{1,12}):([A-Za-z0-9_-]{22,64}):([A-Za-z0-9_-]{43})$/

/**
 * Peer case, the practical limit: a hand-written HMAC check, as small as one can be and still
 * be one. `Authorization: HMAC <keyId>:<created>:<nonce>:<base64url HMAC-SHA256 of
 * "METHOD path created nonce">`, created within ±300 s, the nonce remembered in an in-memory
 * Map until it could no longer pass (pruned once a second). No body, no host, no durability,
 * one process: what Tessera adds beyond this is what its extra cost buys.
 */
await runServerProcess(async (port) => {
  const keys = new Map<string, ReturnType<typeof createSecretKey>>()
  const credentials: BenchCredential[] = []
  for (let i = 0; i < CREDENTIALS_PER_CASE; i++) {
    const id = `min-${i}`
    const secret = randomBytes(32)
    keys.set(id, createSecretKey(secret))
    credentials.push({ kind: 'minimal-hmac', id, key: secret.toString('base64url') })
  }
  const seen = new Map<string, number>()
  const prune = setInterval(() => {
    const now = Date.now()
    for (const [id, until] of seen) if (until <= now) seen.delete(id)
  }, 1000)
  const app = Fastify({ logger: false })
  app.get(
    EMPLOYEE_PATH,
    {
      preValidation: async (request, reply) => {
        const match = HEADER.exec(request.headers.authorization ?? '')
        const key = match && keys.get(match[1]!)
        const created = Number(match?.[2])
        const now = Date.now()
        if (!match || !key || Math.abs(now / 1000 - created) > SKEW_S)
          return reply.code(401).send({ status: 401 })
        const expected = createHmac('sha256', key)
          .update(`${request.method} ${request.url} ${match[2]} ${match[3]}`)
          .digest()
        const given = Buffer.from(match[4]!, 'base64url')
        if (given.length !== 32 || !timingSafeEqual(expected, given))
          return reply.code(401).send({ status: 401 })
        const id = `${match[1]}\u0000${match[3]}`
        if (seen.has(id)) return reply.code(401).send({ status: 401 })
        seen.set(id, (created + SKEW_S + 1) * 1000)
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
