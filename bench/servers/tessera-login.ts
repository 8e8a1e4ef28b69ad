import { runServerProcess } from './run-server-process.ts'
import { startTesseraServer } from './start-tessera-server.ts'

/** The login storm's server: Tessera sessions on SQLite, plus 50 accounts with real Argon2id passwords. */
await runServerProcess((port) => startTesseraServer({ port, credential: 'session', loginAccounts: 50 }))
