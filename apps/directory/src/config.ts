import { fileURLToPath } from 'node:url'
import type { OidcOptions } from '@tessera/server'
import { type AuthSettings, loadAuthSettings, localOrigins } from './auth-settings.ts'
import { type HttpTimeouts, DEFAULT_HTTP_TIMEOUTS as T } from './http-timeouts.ts'
import { loadOidcSettings } from './oidc/oidc-settings.ts'

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const
export type LogLevel = (typeof LOG_LEVELS)[number]

export interface DirectoryConfig {
  /** PORT; not used when `host` is a Unix socket path. */
  port: number
  /** HOST: an address or name, or a Unix socket path (starts with `/`) that only the proxy may open. */
  host: string
  databaseUrl: string
  /** Largest accepted request body, in bytes. */
  bodyLimit: number
  logLevel: LogLevel
  /** MOBILE_PORT: the mobile client's own origin (`/m/`, default 3001); undefined when `0` or `off`. */
  mobilePort: number | undefined
  /** Bounds for slow clients (REQUEST_TIMEOUT_MS, HEADERS_TIMEOUT_MS, IDLE_TIMEOUT_MS, KEEP_ALIVE_TIMEOUT_MS). */
  timeouts: HttpTimeouts
  auth: AuthSettings
  /** TLS_CERT_FILE + TLS_KEY_FILE: serve HTTPS (PEM files), e.g. from `npm run dev:https`. */
  tls?: TlsFiles
  /** OIDC_* / OIDC2_* / SSO_ONLY: sign-in with identity providers (README "Sign in with your identity provider"). */
  oidc?: OidcOptions | undefined
}

export interface TlsFiles {
  certFile: string
  keyFile: string
}

function tlsFiles(env: NodeJS.ProcessEnv): TlsFiles | undefined {
  const certFile = env.TLS_CERT_FILE || undefined
  const keyFile = env.TLS_KEY_FILE || undefined
  if (certFile === undefined && keyFile === undefined) return undefined
  if (certFile === undefined || keyFile === undefined)
    throw new Error('TLS_CERT_FILE and TLS_KEY_FILE go together')
  return { certFile, keyFile }
}

/** The repository root, from this file's location: `npm start` may run from any directory. */
const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url))

export const DEFAULT_DATABASE_URL = `sqlite:${REPO_ROOT}data/directory.db`

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name]
  if (raw === undefined || raw === '') return fallback
  const value = Number(raw)
  if (!/^[0-9]+$/.test(raw) || value < min || value > max) {
    throw new Error(`${name} must be an integer from ${min} to ${max}, got ${JSON.stringify(raw)}`)
  }
  return value
}

function logLevel(env: NodeJS.ProcessEnv): LogLevel {
  const raw = env.LOG_LEVEL || 'info'
  if (!(LOG_LEVELS as readonly string[]).includes(raw)) {
    throw new Error(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got ${JSON.stringify(raw)}`)
  }
  return raw as LogLevel
}

function mobilePort(env: NodeJS.ProcessEnv): number | undefined {
  if (env.MOBILE_PORT === 'off') return undefined
  const port = integer(env, 'MOBILE_PORT', 3001, 0, 65_535)
  return port === 0 ? undefined : port
}

function timeouts(env: NodeJS.ProcessEnv): HttpTimeouts {
  const HOUR = 3_600_000
  const requestMs = integer(env, 'REQUEST_TIMEOUT_MS', T.requestMs, 100, HOUR)
  const headersMs = integer(env, 'HEADERS_TIMEOUT_MS', Math.min(T.headersMs, requestMs), 100, requestMs)
  return Object.freeze({
    requestMs,
    headersMs,
    idleMs: integer(env, 'IDLE_TIMEOUT_MS', T.idleMs, 100, HOUR),
    keepAliveMs: integer(env, 'KEEP_ALIVE_TIMEOUT_MS', T.keepAliveMs, 100, HOUR),
  })
}

/** HOST names a Unix socket to listen on instead of an address (docs/deploy.md). */
export function isSocketPath(host: string): boolean {
  return host.startsWith('/')
}

/** A socket has no origin of its own to derive, and the mobile origin needs an address. */
function checkSocketHost(env: NodeJS.ProcessEnv, host: string, mobile: number | undefined): void {
  if (!isSocketPath(host)) return
  if (!env.PUBLIC_ORIGIN) throw new Error('HOST as a Unix socket path needs PUBLIC_ORIGIN')
  if (mobile !== undefined) throw new Error('HOST as a Unix socket path needs MOBILE_PORT=off')
}

/** In development, the local mobile client returns from a provider sign-in to its own page. */
function mobileReturnUris(env: NodeJS.ProcessEnv, host: string): string[] {
  const port = mobilePort(env)
  if (env.NODE_ENV === 'production' || port === undefined || isSocketPath(host)) return []
  return localOrigins(host, port).map((origin) => `${origin}/m/`)
}

function withOidc(oidc: OidcOptions | undefined): { oidc?: OidcOptions } {
  return oidc === undefined ? {} : { oidc }
}

/** Reads and checks the environment once at startup; a bad value stops the process with its name. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): DirectoryConfig {
  const host = env.HOST || '127.0.0.1'
  const tls = tlsFiles(env)
  if (/\s/.test(host)) throw new Error(`HOST must be a host name or address, got ${JSON.stringify(host)}`)
  checkSocketHost(env, host, mobilePort(env))
  return Object.freeze({
    port: integer(env, 'PORT', 3000, 0, 65_535),
    host,
    databaseUrl: env.DATABASE_URL || DEFAULT_DATABASE_URL,
    bodyLimit: integer(env, 'BODY_LIMIT', 64 * 1024, 1024, 16 * 1024 * 1024),
    logLevel: logLevel(env),
    mobilePort: mobilePort(env),
    timeouts: timeouts(env),
    auth: loadAuthSettings(env),
    ...(tls && { tls }),
    ...withOidc(loadOidcSettings(env, mobileReturnUris(env, host))),
  })
}
