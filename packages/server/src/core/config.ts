import type { TesseraLogger } from './logger.ts'
import { DEFAULT_THROTTLE, type ThrottleOptions } from './login-throttle.ts'
import type { PasswordHasherOptions } from './password-hasher.ts'
import { MasterSecrets, parseSecret } from './secrets.ts'
import type { Stores } from './stores.ts'

export interface TesseraOptions {
  stores: Stores
  /** The master secret (TESSERA_SECRET): ≥ 32 bytes, hex or base64url, or a MasterSecrets. */
  secret: string | Uint8Array | MasterSecrets
  /** Earlier master secrets, kept while keys derived from them may live (rotation). */
  previousSecrets?: Array<string | Uint8Array>
  /** The origin users reach, e.g. `https://directory.example.com`. CSRF and `@authority` are checked against it. */
  publicOrigin: string
  /** More origins that are this same app (e.g. `http://localhost:3000` beside `http://127.0.0.1:3000` in development). */
  alsoOrigins?: string[]
  /** Allow a plain-http public origin on a host other than loopback (never in production: cookies would travel in clear). */
  allowInsecureHttp?: boolean
  /** Cache credential lookups where revocation can reach every instance (default on); `false` to read the database every time. */
  credentialCache?: false | { ttlMs?: number }
  /** How often expired nonces and long-dead credentials are deleted, ms (default 10 minutes; 0 never). */
  sweepIntervalMs?: number
  /** Other origins allowed to call the API cross-origin (signed requests; no cookies). */
  corsOrigins?: string[]
  /** Anyone may `POST /auth/register`. Off by default. */
  openRegistration?: boolean
  session?: { idleMs?: number; absoluteMs?: number }
  keys?: { idleMs?: number; absoluteMs?: number; rotationOverlapMs?: number }
  /** Accepted clock difference for signed requests, in seconds (default 300). */
  maxSkewSeconds?: number
  /**
   * How far ahead of the server clock a signature's `created` may be, in seconds (default 60,
   * at most `maxSkewSeconds`): the SDK corrects its clock from the server's, so a client ahead
   * by more learns the time from `stale_signature` and re-signs.
   */
  maxFutureSkewSeconds?: number
  throttle?: Partial<ThrottleOptions>
  passwordHashing?: PasswordHasherOptions
  logger?: TesseraLogger
  now?: () => number
}

export interface TesseraConfig {
  readonly secrets: MasterSecrets
  readonly publicOrigin: string
  /** Every origin that is this app: CSRF's allowlist. */
  readonly ownOrigins: ReadonlySet<string>
  /** Own origins plus CORS origins: CORS's allowlist. */
  readonly corsOrigins: ReadonlySet<string>
  /** host[:port] values accepted as `@authority`. */
  readonly authorities: readonly string[]
  readonly scheme: 'http' | 'https'
  readonly secureCookies: boolean
  readonly cookieName: string
  readonly openRegistration: boolean
  readonly session: { readonly idleMs: number; readonly absoluteMs: number }
  readonly keys: { readonly idleMs: number; readonly absoluteMs: number; readonly rotationOverlapMs: number }
  readonly maxSkewSeconds: number
  readonly maxFutureSkewSeconds: number
  readonly throttle: ThrottleOptions
}

const HOUR = 3_600_000
const DAY = 24 * HOUR

/** Validates and freezes the options once, so requests never re-parse them (fails at start-up). */
export function resolveConfig(options: TesseraOptions): TesseraConfig {
  const publicOrigin = canonicalOrigin(options.publicOrigin, 'publicOrigin')
  const own = [publicOrigin, ...(options.alsoOrigins ?? []).map((o) => canonicalOrigin(o, 'alsoOrigins'))]
  const cors = [...own, ...(options.corsOrigins ?? []).map((o) => canonicalOrigin(o, 'corsOrigins', true))]
  const scheme = publicOrigin.startsWith('https:') ? 'https' : 'http'
  if (options.sweepIntervalMs !== undefined) positive(options.sweepIntervalMs, 'sweepIntervalMs', true)
  if (options.credentialCache) positive(options.credentialCache.ttlMs ?? 1, 'credentialCache.ttlMs')
  if (scheme === 'http' && !options.allowInsecureHttp && !isLoopback(new URL(publicOrigin).hostname)) {
    throw new Error(`publicOrigin ${publicOrigin}: plain http is only for loopback development; use https`)
  }
  const secure = scheme === 'https'
  return Object.freeze({
    secrets: masterSecrets(options),
    publicOrigin,
    ownOrigins: new Set(own),
    corsOrigins: new Set(cors),
    authorities: Object.freeze([...new Set(own.map((o) => new URL(o).host))]),
    scheme,
    secureCookies: secure,
    // `__Host-` requires Secure; on plain-http localhost browsers refuse it, so a plain name is used there.
    cookieName: secure ? '__Host-tessera' : 'tessera-session',
    openRegistration: options.openRegistration ?? false,
    session: Object.freeze({
      idleMs: positive(options.session?.idleMs ?? HOUR, 'session.idleMs'),
      absoluteMs: positive(options.session?.absoluteMs ?? 12 * HOUR, 'session.absoluteMs'),
    }),
    keys: Object.freeze({
      idleMs: positive(options.keys?.idleMs ?? 30 * DAY, 'keys.idleMs'),
      absoluteMs: positive(options.keys?.absoluteMs ?? 90 * DAY, 'keys.absoluteMs'),
      rotationOverlapMs: positive(options.keys?.rotationOverlapMs ?? 60_000, 'keys.rotationOverlapMs', true),
    }),
    maxSkewSeconds: positive(options.maxSkewSeconds ?? 300, 'maxSkewSeconds'),
    maxFutureSkewSeconds: positive(
      options.maxFutureSkewSeconds ?? Math.min(60, options.maxSkewSeconds ?? 300),
      'maxFutureSkewSeconds',
    ),
    throttle: throttleOptions(options.throttle),
  })
}

/** Every throttle number must be a positive finite number: an `undefined` or NaN would switch a limit off. */
function throttleOptions(given: Partial<ThrottleOptions> = {}): ThrottleOptions {
  const merged = { ...DEFAULT_THROTTLE }
  for (const [name, value] of Object.entries(given) as Array<[keyof ThrottleOptions, number | undefined]>) {
    if (!(name in DEFAULT_THROTTLE)) throw new Error(`throttle.${name} is not an option`)
    merged[name] = positive(value as number, `throttle.${name}`, name === 'freeFailures')
  }
  return Object.freeze(merged)
}

function masterSecrets(options: TesseraOptions): MasterSecrets {
  if (options.secret instanceof MasterSecrets) return options.secret
  const bytes = (s: string | Uint8Array) => (typeof s === 'string' ? parseSecret(s) : s)
  return new MasterSecrets(bytes(options.secret), (options.previousSecrets ?? []).map(bytes))
}

/**
 * `scheme://host[:port]` exactly as browsers send it in `Origin`; anything else is a
 * configuration error. CORS origins may use an app scheme (`capacitor://localhost`),
 * which webviews send verbatim.
 */
export function canonicalOrigin(value: string, name: string, appSchemes = false): string {
  if (appSchemes && APP_ORIGIN.test(value) && !/^https?:/i.test(value)) return value.toLowerCase()
  let url: URL
  try {
    url = new URL(value)
  } catch {
    throw new Error(`${name}: "${value}" is not an origin like https://app.example.com`)
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`${name}: "${value}" must be http or https`)
  }
  if (url.pathname !== '/' || url.search || url.hash || url.username) {
    throw new Error(`${name}: "${value}" must be an origin only (no path, query or credentials)`)
  }
  return url.origin
}

const APP_ORIGIN = /^[a-z][a-z0-9+.-]*:\/\/[a-z0-9.-]+(:\d{1,5})?$/i

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host)
}

function positive(value: number, name: string, zeroOk = false): number {
  if (!Number.isFinite(value) || value < 0 || (!zeroOk && value === 0))
    throw new Error(`${name} must be a positive number`)
  return value
}
