import { runServerProcess } from './run-server-process.ts'
import { startTesseraServer } from './start-tessera-server.ts'

/** Case: Tessera, hmac credential, a throwaway PostgreSQL database plus Redis (nonces, counters, revocation bus). */
await runServerProcess((port) => startTesseraServer({ port, credential: 'hmac', store: 'postgres-redis' }))
