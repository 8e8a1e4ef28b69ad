import { createTessera, type Tessera } from '@tessera/server'
import type { Database } from '@tessera/server/db'
import { loadMasterSecrets, mailerFromEnv } from '@tessera/server/node'
import { withRedis } from '@tessera/server/redis'
import { type AuthTables, createSqlStores } from '@tessera/server/sql'
import type { FastifyBaseLogger } from 'fastify'
import { localOrigins, ownOrigins } from './auth-settings.ts'
import type { DirectoryConfig } from './config.ts'

/**
 * The mobile client's origins, which call the API through CORS like a PhoneGap/Capacitor app.
 * Allowed automatically in development only; in production list real app origins in CORS_ORIGINS.
 */
export function mobileOrigins(config: DirectoryConfig): string[] {
  if (config.auth.production || config.mobilePort === undefined) return []
  return localOrigins(config.host, config.mobilePort)
}

/**
 * Tessera for the directory: SQL stores on the app's database (with Redis for nonces, counters
 * and revocation fan-out when REDIS_URL is set), origins and secret from the environment.
 */
export function createDirectoryTessera(
  config: DirectoryConfig,
  database: Database<AuthTables>,
  port: number,
  logger?: FastifyBaseLogger,
  now?: () => number,
): Tessera {
  const { auth } = config
  const origins = ownOrigins(auth, config.host, port, config.tls ? 'https' : 'http')
  const secret = loadMasterSecrets({
    secret: auth.secret,
    previous: auth.previousSecrets,
    file: auth.secretFile,
    production: auth.production,
  })
  const sql = createSqlStores(database)
  const onError = (error: Error) => logger?.warn({ err: error }, 'redis')
  return createTessera({
    stores: auth.redisUrl === undefined ? sql : withRedis(sql, auth.redisUrl, { onError }),
    secret,
    publicOrigin: origins.publicOrigin,
    alsoOrigins: origins.also,
    corsOrigins: [...new Set([...auth.corsOrigins, ...mobileOrigins(config)])],
    openRegistration: auth.openRegistration,
    appName: 'Employee Directory',
    emailVerification: auth.emailVerification,
    // Throws at start-up in production without SMTP_URL: the directory always sends account mail.
    mailer: mailerFromEnv({
      smtpUrl: auth.smtpUrl,
      from: auth.mailFrom ?? 'Employee Directory <no-reply@directory.example>',
      production: auth.production,
      dataDir: auth.dataDir,
      log: (line) => (logger ? logger.info(line) : console.log(line)),
    }),
    ...(auth.sessionIdleMs !== undefined && { session: { idleMs: auth.sessionIdleMs } }),
    ...(auth.ipAttempts !== undefined && {
      throttle: { ipAttempts: auth.ipAttempts, registerAttempts: auth.ipAttempts },
    }),
    ...(auth.dbscRequireRoles.length > 0 && { dbsc: { requireForRoles: auth.dbscRequireRoles } }),
    ...(config.oidc && { oidc: config.oidc }),
    ...(auth.mfaRequiredRoles.length > 0 && { mfaRequiredRoles: auth.mfaRequiredRoles }),
    ...(logger && { logger }),
    ...(now && { now }),
  })
}
