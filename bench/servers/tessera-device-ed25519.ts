import { runServerProcess } from './run-server-process.ts'
import { startTesseraServer } from './start-tessera-server.ts'

/** Case: Tessera, Ed25519 device key, SQLite store on a temporary file. */
await runServerProcess((port) => startTesseraServer({ port, credential: 'ed25519' }))
