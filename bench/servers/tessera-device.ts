import { runServerProcess } from './run-server-process.ts'
import { startTesseraServer } from './start-tessera-server.ts'

/** Case: Tessera, device credential, SQLite store on a temporary file. */
await runServerProcess((port) => startTesseraServer({ port, credential: 'device' }))
