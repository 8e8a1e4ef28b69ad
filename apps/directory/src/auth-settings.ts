import { fileURLToPath } from 'node:url'

/** How the directory runs Tessera, from the environment (README "Configuration"). */
export interface AuthSettings {
  /** PUBLIC_ORIGIN: the origin users reach; default `http://HOST:PORT`. */
  publicOrigin: string | undefined
  /** CORS_ORIGINS: other origins allowed to call the API (comma-separated). */
  corsOrigins: string[]
  /** TRUST_PROXY: `true` (any proxy) or comma-separated proxy addresses/CIDRs; default off. */
  trustProxy: boolean | string[]
  /** OPEN_REGISTRATION: anyone may register; on by default in the demo. */
  openRegistration: boolean
  /** TESSERA_SECRET and TESSERA_PREVIOUS_SECRETS. */
  secret: string | undefined
  previousSecrets: string | undefined
  /** Where a development master secret is generated and kept. */
  secretFile: string
  /** NODE_ENV=production: a master secret is required, and no demo accounts are made. */
  production: boolean
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
    openRegistration: flag(env, 'OPEN_REGISTRATION', true),
    secret: env.TESSERA_SECRET || undefined,
    previousSecrets: env.TESSERA_PREVIOUS_SECRETS || undefined,
    secretFile: env.TESSERA_SECRET_FILE || `${DATA_DIR}tessera-secret`,
    production: env.NODE_ENV === 'production',
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
): { publicOrigin: string; also: string[] } {
  if (settings.publicOrigin !== undefined) return { publicOrigin: settings.publicOrigin, also: [] }
  const local = host === '0.0.0.0' || host === '::' || host === '127.0.0.1' ? '127.0.0.1' : host
  const publicOrigin = `http://${local}:${port}`
  const also =
    local === '127.0.0.1'
      ? [`http://localhost:${port}`]
      : local === 'localhost'
        ? [`http://127.0.0.1:${port}`]
        : []
  return { publicOrigin, also }
}
