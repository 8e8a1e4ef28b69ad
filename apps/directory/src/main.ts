import { loadConfig } from './config.ts'
import { ensureFrontEnds } from './front-end/build-front-ends.ts'
import { startDirectory } from './start-directory.ts'

/** `npm start`: the Employee Directory on HOST:PORT until SIGINT/SIGTERM. */
async function main(): Promise<void> {
  const config = loadConfig()
  // Built only when missing or built from other sources: a second start reuses it.
  const frontEnds = await ensureFrontEnds({ log: (line) => console.log(line) })
  const running = await startDirectory(config, { frontEnds })
  // One write, so whoever reads the output sees the whole block at once.
  const lines = [`Employee Directory listening on ${running.url}`]
  if (running.mobileUrl !== undefined) lines.push(`  mobile client on ${running.mobileUrl}`)
  for (const account of running.demoAccounts) {
    lines.push(
      `  demo ${account.role.padEnd(5)}  ${account.email}  password: ${account.password}  (shown once)`,
    )
  }
  console.log(lines.join('\n'))
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
