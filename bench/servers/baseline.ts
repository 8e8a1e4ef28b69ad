import Fastify from 'fastify'
import { EMPLOYEE_7, EMPLOYEE_PATH } from './employee-7.ts'
import { runServerProcess } from './run-server-process.ts'

/** Case: Fastify with no authentication at all, the baseline every other case is a ratio of. */
await runServerProcess(async (port) => {
  const app = Fastify({ logger: false })
  app.get(EMPLOYEE_PATH, async () => EMPLOYEE_7)
  await app.listen({ port, host: '127.0.0.1' })
  return { ready: { credentials: [{ kind: 'fixed', headers: {} }] }, close: () => app.close() }
})
