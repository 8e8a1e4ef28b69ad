import { fileURLToPath } from 'node:url'

/** How the directory runs Tessera, from the environment (README "Configuration"). */
export interface AuthSettings {
  /** PUBLIC_ORIGIN: the origin users reach; default `http://HOST:PORT`. */
  publicOrigin: string | undefined
  /** CORS_ORIGINS: other origins allowed to call the API (comma-separated). */
  corsOrigins: string[]
  /** TRUST_PROXY: `true` (any proxy) or comma-separated proxy addresses/CIDRs; default off. */
  trustProxy: boolean | string[]
  /** OPEN_REGISTRATION: anyone may register; off by default (a company invites its people). */
  openRegistration: boolean
  /** SMTP_URL: where account mails go; without it (development only) they are `.eml` files under `data/mail/`. */
  smtpUrl: string | undefined
  /** MAIL_FROM: the sender of account mails. */
  mailFrom: string | undefined
  /** EMAIL_VERIFICATION: `required`, `optional` (default) or `off` for self-registered accounts. */
  emailVerification: 'required' | 'optional' | 'off'
  /** Where development mails (`mail/`) and the development secret live. */
  dataDir: string
  /** TESSERA_SECRET and TESSERA_PREVIOUS_SECRETS. */
  secret: string | undefined
  previousSecrets: string | undefined
  /** Where a development master secret is generated and kept. */
  secretFile: string
  /** REDIS_URL: share nonces, throttling counters and revocations between instances. */
  redisUrl: string | undefined
  /** NODE_ENV=production: a master secret is required, and no demo accounts are made. */
  production: boolean
  /**
   * SESSION_IDLE_MINUTES: how long an unused session lives (default: Tessera's 1 h). Use is
   * recorded at most once a minute, so a value under a minute ends every session that long
   * after login: only for trying out expiry.
   */
  sessionIdleMs: number | undefined
  /** THROTTLE_IP_ATTEMPTS: login, register and password attempts one client IP may make per 5 minutes (default 1,000; registration 30). */
  ipAttempts: number | undefined
  /** DBSC_REQUIRE_ROLES: roles whose browser sessions must be device-bound where the browser can (e.g. `admin`). */
  dbscRequireRoles: Array<'user' | 'admin'>
  /** MFA_REQUIRED_ROLES: roles that must set up a second factor before anything else (e.g. `admin`). */
  mfaRequiredRoles: Array<'user' | 'admin'>
}

const DATA_DIR = fileURLToPath(new URL('../../../data/', import.meta.url))

function list(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
}

function flag(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = env[name]
  if (raw === undefined || raw === '') return fallback
  if (raw === 'true' || raw === '1') return true
  if (raw === 'false' || raw === '0') return false
  throw new Error(`${name} must be true or false, got ${JSON.stringify(raw)}`)
}

function minutes(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const raw = env[name]
  if (raw === undefined || raw === '') return undefined
  const value = Number(raw)
  if (!/^[0-9]+(\.[0-9]+)?$/.test(raw) || value <= 0 || value > 525_600) {
    throw new Error(`${name} must be a number of minutes above 0, got ${JSON.stringify(raw)}`)
  }
  return Math.round(value * 60_000)
}

function count(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const raw = env[name]
  if (raw === undefined || raw === '') return undefined
  if (!/^[1-9][0-9]{0,6}$/.test(raw))
    throw new Error(`${name} must be a whole number from 1, got ${JSON.stringify(raw)}`)
  return Number(raw)
}

function roles(env: NodeJS.ProcessEnv, name: string): Array<'user' | 'admin'> {
  return list(env[name]).map((role) => {
    if (role !== 'user' && role !== 'admin')
      throw new Error(`${name}: unknown role ${role} (the roles are user and admin)`)
    return role
  })
}

function emailVerification(raw: string | undefined): AuthSettings['emailVerification'] {
  if (raw === undefined || raw === '') return 'optional'
  if (raw === 'required' || raw === 'optional' || raw === 'off') return raw
  throw new Error(`EMAIL_VERIFICATION must be required, optional or off, got ${JSON.stringify(raw)}`)
}

function trustProxy(raw: string | undefined): boolean | string[] {
  if (raw === undefined || raw === '' || raw === 'false') return false
  if (raw === 'true') return true
  return list(raw)
}

export function loadAuthSettings(env: NodeJS.ProcessEnv): AuthSettings {
  return Object.freeze({
    publicOrigin: env.PUBLIC_ORIGIN || undefined,
    corsOrigins: list(env.CORS_ORIGINS),
    trustProxy: trustProxy(env.TRUST_PROXY),
    openRegistration: flag(env, 'OPEN_REGISTRATION', false),
    smtpUrl: env.SMTP_URL || undefined,
    mailFrom: env.MAIL_FROM || undefined,
    emailVerification: emailVerification(env.EMAIL_VERIFICATION),
    dataDir: DATA_DIR,
    secret: env.TESSERA_SECRET || undefined,
    previousSecrets: env.TESSERA_PREVIOUS_SECRETS || undefined,
    secretFile: env.TESSERA_SECRET_FILE || `${DATA_DIR}tessera-secret`,
    redisUrl: env.REDIS_URL || undefined,
    production: env.NODE_ENV === 'production',
    sessionIdleMs: minutes(env, 'SESSION_IDLE_MINUTES'),
    ipAttempts: count(env, 'THROTTLE_IP_ATTEMPTS'),
    dbscRequireRoles: roles(env, 'DBSC_REQUIRE_ROLES'),
    mfaRequiredRoles: roles(env, 'MFA_REQUIRED_ROLES'),
  })
}

/**
 * The app's own origins: PUBLIC_ORIGIN, or `http://HOST:PORT` plus its `localhost` /
 * `127.0.0.1` twin in development, since both name the same local server.
 */
export function ownOrigins(
  settings: AuthSettings,
  host: string,
  port: number,
  scheme: 'http' | 'https' = 'http',
): { publicOrigin: string; also: string[] } {
  if (settings.publicOrigin !== undefined) return { publicOrigin: settings.publicOrigin, also: [] }
  const [publicOrigin, ...also] = localOrigins(host, port, scheme) as [string, ...string[]]
  return { publicOrigin, also }
}

/** `http://HOST:PORT` (a wildcard HOST read as 127.0.0.1), then its `localhost`/`127.0.0.1` twin if any. */
export function localOrigins(host: string, port: number, scheme: 'http' | 'https' = 'http'): string[] {
  const local = host === '0.0.0.0' || host === '::' || host === '127.0.0.1' ? '127.0.0.1' : host
  const origin = `${scheme}://${local.includes(':') ? `[${local}]` : local}:${port}`
  if (local === '127.0.0.1') return [origin, `${scheme}://localhost:${port}`]
  if (local === 'localhost') return [origin, `${scheme}://127.0.0.1:${port}`]
  return [origin]
}
