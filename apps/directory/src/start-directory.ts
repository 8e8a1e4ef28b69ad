import { createServer } from 'node:net'
import type { Tessera } from '@tessera/server'
import { type Database, migrateToLatest, openDatabase } from '@tessera/server/db'
import { AUTH_MIGRATIONS, type AuthTables } from '@tessera/server/sql'
import type { FastifyInstance } from 'fastify'
import { buildApp } from './build-app.ts'
import type { DirectoryConfig } from './config.ts'
import { createDirectoryTessera } from './create-directory-tessera.ts'
import { migrateDirectory } from './db/directory-migrations.ts'
import type { DirectoryTables } from './db/directory-tables.ts'
import { createDemoAccounts, type DemoAccount } from './demo-accounts.ts'
import { EmployeeRepository } from './employees/employee-repository.ts'
import { seedEmployees } from './seed-employees.ts'

export type AppTables = DirectoryTables & AuthTables

export interface StartDirectoryOptions {
  logger?: false
  /** Make the demo admin and user on a database without users (default: not in production). */
  demoAccounts?: boolean
}

export interface RunningDirectory {
  app: FastifyInstance
  database: Database<AppTables>
  tessera: Tessera
  /** Where it listens, e.g. `http://127.0.0.1:3000` (the real port when 0 was asked for). */
  url: string
  /** The demo accounts made at this start, with their one-time passwords; empty on later starts. */
  demoAccounts: DemoAccount[]
  /** Stops accepting requests, lets the running ones finish, then closes the database. */
  close(): Promise<void>
}

/** Port 0 means "any": pick it before start, because the public origin (CSRF, `@authority`) names it. */
function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer().once('error', reject)
    probe.listen(0, host, () => {
      const address = probe.address()
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0))
    })
  })
}

/** What `npm start` does: open the database, migrate, seed, make demo accounts, listen with Tessera guarding the API. */
export async function startDirectory(
  config: DirectoryConfig,
  options: StartDirectoryOptions = {},
): Promise<RunningDirectory> {
  const port = config.port === 0 ? await freePort(config.host) : config.port
  const database = openDatabase<AppTables>(config.databaseUrl)
  let tessera: Tessera | undefined
  try {
    await migrateDirectory(database.kysely as never)
    await migrateToLatest(database.kysely as never, AUTH_MIGRATIONS)
    await seedEmployees(new EmployeeRepository(database.kysely as never))
    const app = await buildApp({
      database: database as never,
      config,
      ...(options.logger === false && { logger: false }),
      tessera: (log) => {
        tessera = createDirectoryTessera(config, database as never, port, log)
        return tessera
      },
    })
    const wantDemo = options.demoAccounts ?? !config.auth.production
    const demoAccounts = wantDemo && tessera ? await createDemoAccounts(tessera) : []
    await app.listen({ host: config.host, port })
    const running = tessera as Tessera
    return {
      app,
      database,
      tessera: running,
      url: `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`,
      demoAccounts,
      async close() {
        await app.close()
        await running.close()
      },
    }
  } catch (error) {
    await (tessera?.close() ?? database.close())
    throw error
  }
}
