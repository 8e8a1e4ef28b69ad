import type { Tessera } from '@tessera/server'
import { type Database, migrateToLatest, openDatabase } from '@tessera/server/db'
import { AUTH_MIGRATIONS, type AuthTables } from '@tessera/server/sql'
import type { FastifyInstance } from 'fastify'
import { ownOrigins } from './auth-settings.ts'
import { buildApp } from './build-app.ts'
import { type DirectoryConfig, isSocketPath } from './config.ts'
import { createDirectoryTessera } from './create-directory-tessera.ts'
import { migrateDirectory } from './db/directory-migrations.ts'
import type { DirectoryTables } from './db/directory-tables.ts'
import { createDemoAccounts, type DemoAccount } from './demo-accounts.ts'
import { EmployeeRepository } from './employees/employee-repository.ts'
import { freePort } from './free-port.ts'
import type { FrontEnds } from './front-end/build-front-ends.ts'
import { buildMobileApp } from './mobile-app.ts'
import { seedEmployees } from './seed-employees.ts'
import { removeStaleSocket } from './unix-socket.ts'

export type AppTables = DirectoryTables & AuthTables

export interface StartDirectoryOptions {
  logger?: false
  /** Make the demo admin and user on a database without users (default: not in production). */
  demoAccounts?: boolean
  /**
   * The built web app (served at `/`) and mobile client (served at `/m/` on `config.mobilePort`),
   * from `ensureFrontEnds()`; without them `/` lists the API and no mobile origin is opened.
   */
  frontEnds?: FrontEnds
  /** The auth layer's clock, epoch ms (default `Date.now`): tests move it instead of sleeping. */
  now?: () => number
}

export interface RunningDirectory {
  app: FastifyInstance
  database: Database<AppTables>
  tessera: Tessera
  /** Where it listens, e.g. `http://127.0.0.1:3000` (the real port when 0 was asked for) or `unix:/run/tessera/a.sock`. */
  url: string
  /** The mobile client's page, e.g. `http://127.0.0.1:3001/m/`, when it is served. */
  mobileUrl: string | undefined
  /** The demo accounts made at this start, with their one-time passwords; empty on later starts. */
  demoAccounts: DemoAccount[]
  /** Stops accepting requests, lets the running ones finish, then closes the database. */
  close(): Promise<void>
}

function hostUrl(host: string, port: number, scheme = 'http'): string {
  if (isSocketPath(host)) return `unix:${host}`
  return `${scheme}://${host.includes(':') ? `[${host}]` : host}:${port}`
}

/** The mobile client's origin, when it is built and MOBILE_PORT is set; it calls the API at its public origin. */
async function startMobile(
  config: DirectoryConfig,
  apiPort: number,
  options: StartDirectoryOptions,
): Promise<{ app: FastifyInstance; url: string } | undefined> {
  if (options.frontEnds === undefined || config.mobilePort === undefined) return undefined
  const app = await buildMobileApp({
    dir: options.frontEnds.mobile,
    apiOrigin: ownOrigins(config.auth, config.host, apiPort, config.tls ? 'https' : 'http').publicOrigin,
    logLevel: config.logLevel,
    timeouts: config.timeouts,
    ...(options.logger === false && { logger: false }),
  })
  try {
    await app.listen({ host: config.host, port: config.mobilePort })
  } catch (error) {
    await app.close()
    throw error
  }
  return { app, url: `${hostUrl(config.host, config.mobilePort)}/m/` }
}

/** HOST:PORT, or the Unix socket HOST names (left over from a killed instance: replaced). */
async function listen(app: FastifyInstance, host: string, port: number): Promise<void> {
  if (isSocketPath(host)) {
    await removeStaleSocket(host)
    await app.listen({ path: host })
  } else {
    await app.listen({ host, port })
  }
}

async function prepareDatabase(database: Database<AppTables>): Promise<void> {
  await migrateDirectory(database.kysely as never)
  await migrateToLatest(database.kysely as never, AUTH_MIGRATIONS)
  await seedEmployees(new EmployeeRepository(database.kysely as never))
}

/**
 * What `npm start` does: open the database, migrate, seed, make demo accounts, listen with
 * Tessera guarding the API (and the web app at `/`), then open the mobile client's origin.
 */
export async function startDirectory(
  config: DirectoryConfig,
  options: StartDirectoryOptions = {},
): Promise<RunningDirectory> {
  const port = config.port === 0 && !isSocketPath(config.host) ? await freePort(config.host) : config.port
  const database = openDatabase<AppTables>(config.databaseUrl)
  let tessera: Tessera | undefined
  let app: FastifyInstance | undefined
  try {
    await prepareDatabase(database)
    app = await buildApp({
      database: database as never,
      config,
      ...(options.logger === false && { logger: false }),
      ...(options.frontEnds && { webApp: options.frontEnds.web }),
      tessera: (log) => {
        tessera = createDirectoryTessera(config, database as never, port, log, options.now)
        return tessera
      },
    })
    const wantDemo = options.demoAccounts ?? !config.auth.production
    const demoAccounts = wantDemo && tessera ? await createDemoAccounts(tessera) : []
    await listen(app, config.host, port)
    const mobile = await startMobile(config, port, options)
    return running(
      { app, mobile: mobile?.app, database, tessera: tessera as Tessera, demoAccounts },
      {
        url: hostUrl(config.host, port, config.tls ? 'https' : 'http'),
        mobileUrl: mobile?.url,
      },
    )
  } catch (error) {
    await app?.close()
    await (tessera?.close() ?? database.close())
    throw error
  }
}

interface Parts {
  app: FastifyInstance
  mobile: FastifyInstance | undefined
  database: Database<AppTables>
  tessera: Tessera
  demoAccounts: DemoAccount[]
}

function running(parts: Parts, urls: { url: string; mobileUrl: string | undefined }): RunningDirectory {
  const { app, mobile, database, tessera, demoAccounts } = parts
  return {
    app,
    database,
    tessera,
    ...urls,
    demoAccounts,
    async close() {
      await mobile?.close()
      await app.close()
      await tessera.close()
    },
  }
}
