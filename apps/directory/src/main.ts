import { loadConfig } from './config.ts'
import { startDirectory } from './start-directory.ts'

/** `npm start`: the Employee Directory on HOST:PORT until SIGINT/SIGTERM. */
async function main(): Promise<void> {
  const config = loadConfig()
  const running = await startDirectory(config)
  console.log(`Employee Directory listening on ${running.url}`)
  for (const account of running.demoAccounts) {
    console.log(
      `  demo ${account.role.padEnd(5)}  ${account.email}  password: ${account.password}  (shown once)`,
    )
  }
  let closing = false
  const stop = (signal: string) => {
    if (closing) return
    closing = true
    running.app.log.info(`${signal}: closing`)
    // Keep-alive sockets or a stuck query must not keep a stopped service around forever.
    setTimeout(() => process.exit(1), 10_000).unref()
    running.close().catch((error: unknown) => {
      console.error('error while closing:', error)
      process.exitCode = 1
    })
  }
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
}

main().catch((error: unknown) => {
  console.error(
    `Employee Directory failed to start: ${error instanceof Error ? error.message : String(error)}`,
  )
  process.exitCode = 1
})
