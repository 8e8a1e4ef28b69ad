import { readFileSync } from 'node:fs'
import type { Tessera } from '@tessera/server'
import type { Database } from '@tessera/server/db'
import { authorize, tesseraFastify } from '@tessera/server/fastify'
import {
  acceptOnlyJsonBodies,
  problemClientErrorHandler,
  problemErrorHandler,
  problemFrameworkErrors,
  problemNotFoundHandler,
} from '@tessera/server/fastify-problems'
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify'
import type { DirectoryConfig } from './config.ts'
import type { DirectoryTables } from './db/directory-tables.ts'
import { EmployeeRepository } from './employees/employee-repository.ts'
import { collectApiRoutes, registerHomePage } from './home-page.ts'
import { addResponseHeaders } from './http-headers.ts'
import { fastifyTimeoutOptions } from './http-timeouts.ts'
import { registerOpenApi } from './register-open-api.ts'
import { OPEN_GUARDS } from './routes/open-guards.ts'
import { type DirectoryGuards, registerDirectoryRoutes } from './routes/register-directory-routes.ts'
import { registerFrontEnd } from './serve-front-end.ts'

export interface BuildAppOptions {
  database: Database<DirectoryTables>
  config: DirectoryConfig
  /** The auth layer's guards; without them every route is open (and a warning is logged). */
  guards?: DirectoryGuards
  /** Tessera, made with the app's logger: serves `/auth/*` and guards the API (DESIGN §5). */
  tessera?: (log: FastifyBaseLogger) => Tessera
  /** `false` silences the log (tests); otherwise pino at `config.logLevel`. */
  logger?: false
  /** The web app's Vite build, served at `/`; without it `/` is a page listing the API. */
  webApp?: string
}

/**
 * Longest raw path parameter the router accepts: 100 characters (the schemas' limit) of up to
 * 4 UTF-8 bytes each, percent-encoded. Longer ones answer 400 before any handler runs.
 */
const MAX_PARAM_LENGTH = 100 * 4 * 3

/**
 * Ajv: `removeAdditional: false` so unknown properties fail (`additionalProperties: false`)
 * instead of being dropped in silence. `coerceTypes: false` because Fastify uses one Ajv for
 * every request part: coercion would turn a body's `"managerId": "7"` or `true` into numbers and
 * `"firstName": 42` into a string, and would read the path id `1e3` as 1000. Path and query values
 * are therefore declared as strings with patterns and converted in the handlers.
 * `allowUnionTypes` admits `type: ['string', 'null']` (OpenAPI 3.1 nullables).
 */
const AJV_OPTIONS = {
  customOptions: { removeAdditional: false, coerceTypes: false, allowUnionTypes: true },
} as const

function createFastify(options: BuildAppOptions): FastifyInstance {
  const tls = options.config.tls
  return Fastify({
    // HTTPS when TLS files are configured: DBSC browsers bind sessions only over a verified https.
    ...(tls && { https: { cert: readFileSync(tls.certFile), key: readFileSync(tls.keyFile) } }),
    logger: options.logger === false ? false : { level: options.config.logLevel },
    // Client addresses (throttling, audit) come from X-Forwarded-For only behind a configured proxy.
    trustProxy: options.config.auth?.trustProxy ?? false,
    bodyLimit: options.config.bodyLimit,
    // Bounded waits for slow clients (a stalled body, headers sent a byte at a time): see http-timeouts.ts.
    ...fastifyTimeoutOptions(options.config.timeouts),
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
    ajv: AJV_OPTIONS,
    frameworkErrors: problemFrameworkErrors,
    clientErrorHandler: problemClientErrorHandler,
  } as never) as unknown as FastifyInstance
}

/** The directory's HTTP app, ready to `listen` or `inject`; the caller owns the database. */
/** How recent the admin's last proof must be to delete an employee (issue 14: step-up). */
export const STEP_UP_SECONDS = 300

export async function buildApp(options: BuildAppOptions): Promise<FastifyInstance> {
  const app = createFastify(options)
  acceptOnlyJsonBodies(app)
  app.setErrorHandler(problemErrorHandler)
  app.setNotFoundHandler(problemNotFoundHandler)
  addResponseHeaders(app, { https: options.config.auth?.publicOrigin?.startsWith('https:') ?? false })
  await registerOpenApi(app)
  const routes = collectApiRoutes(app)
  const repository = new EmployeeRepository(options.database.kysely)
  let guards = options.guards
  if (options.tessera !== undefined) {
    await app.register(tesseraFastify, { tessera: options.tessera(app.log) })
    guards ??= {
      user: authorize('user'),
      admin: authorize('admin'),
      criticalAdmin: authorize('admin', { recentAuth: STEP_UP_SECONDS }),
    }
  }
  if (guards === undefined) app.log.warn('directory routes are unguarded: no auth guards were given')
  registerDirectoryRoutes(app, { repository, guards: guards ?? OPEN_GUARDS })
  if (options.webApp === undefined) registerHomePage(app, routes)
  else await registerFrontEnd(app, { dir: options.webApp, base: '/' })
  return app
}
