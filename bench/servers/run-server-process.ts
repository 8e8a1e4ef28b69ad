import { READY_PREFIX, type ReadyMessage } from '../load/bench-credential.ts'

export interface StartedServer {
  ready: Omit<ReadyMessage, 'port'>
  close(): Promise<void>
}

/**
 * The body of every `bench/servers/<case>.ts`: listens on 127.0.0.1:$BENCH_PORT, prints
 * `READY {json}` once it can serve, and on SIGTERM closes (dropping its temporary database)
 * and exits. A start-up failure exits 1 with the message on stderr.
 */
export async function runServerProcess(start: (port: number) => Promise<StartedServer>): Promise<void> {
  const port = Number(process.env.BENCH_PORT)
  if (!Number.isInteger(port) || port <= 0) throw new Error('BENCH_PORT must be set to a port')
  let server: StartedServer
  try {
    server = await start(port)
  } catch (error) {
    console.error(`bench server failed to start: ${error instanceof Error ? error.stack : String(error)}`)
    process.exit(1)
  }
  const message: ReadyMessage = { port, ...server.ready }
  process.stdout.write(`${READY_PREFIX}${JSON.stringify(message)}\n`)
  process.once('SIGTERM', () => {
    setTimeout(() => process.exit(1), 5000).unref()
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error('bench server failed to close:', error)
        process.exit(1)
      },
    )
  })
}
