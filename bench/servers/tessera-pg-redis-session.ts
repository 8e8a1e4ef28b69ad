import { runServerProcess } from './run-server-process.ts'
import { startTesseraServer } from './start-tessera-server.ts'

/** Case: Tessera, session credential, a throwaway PostgreSQL database plus Redis (nonces, counters, revocation bus). */
await runServerProcess((port) => startTesseraServer({ port, credential: 'session', store: 'postgres-redis' }))
