import { TesseraConfigError } from './config-error.ts'
import { type DbscConfig, type DbscOptions, resolveDbsc } from './dbsc/dbsc-config.ts'
import type { TesseraLogger } from './logger.ts'
import { DEFAULT_THROTTLE, type ThrottleOptions } from './login-throttle.ts'
import { DEFAULT_MAIL_LIMITS, type MailLimits } from './mail/mail-outbox.ts'
import type { Mailer } from './mail/mailer.ts'
import type { OidcOptions } from './oidc/oidc-options.ts'
import { checkOptionNames } from './option-names.ts'
import type { PasswordHasherOptions } from './password-hasher.ts'
import { MasterSecrets, parseSecret } from './secrets.ts'
import type { Stores } from './stores.ts'
import { ROLES, type Role, type User } from './types.ts'

export type SecondFactorResetHook = (event: { user: User; by: User }) => void | Promise<void>

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
  /** Where account mails go (invitations, verification, reset, notices); without one they are audited as failed. */
  mailer?: Mailer
  /** The name mails are signed with (default "Tessera"). */
  appName?: string
  /**
   * Email verification of self-registered accounts: `required` (no login until verified, the API answers
   * `email_unverified`), `optional` (a mail is sent, login works; default) or `off` (no mail).
   */
  emailVerification?: EmailVerification
  mailLimits?: Partial<MailLimits>
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
  /** Device-bound browser sessions (DBSC, README "Device-bound sessions"): on by default. */
  dbsc?: DbscOptions
  /** Sign-in with OpenID Connect providers (Tessera as the relying party); see README "Sign in with your identity provider". */
  oidc?: OidcOptions
  /** Roles that must enrol a second factor before they can do anything but enrol (e.g. `['admin']`). */
  mfaRequiredRoles?: Role[]
  /**
   * Passkeys (WebAuthn): the RP ID (default the public origin's host name; `localhost` for a
   * loopback address, which WebAuthn does not accept), the name shown by authenticators, and
   * origins accepted besides the app's own and the CORS ones: e.g. `android:apk-key-hash:…` of
   * a wrapped Android app.
   */
  passkeys?: { rpId?: string; rpName?: string; origins?: string[] }
  /** Called after an admin reset a user's second factor, to tell the user (e.g. by mail). */
  onSecondFactorReset?: SecondFactorResetHook
  logger?: TesseraLogger
  now?: () => number
}

export const EMAIL_VERIFICATION = ['required', 'optional', 'off'] as const
export type EmailVerification = (typeof EMAIL_VERIFICATION)[number]

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
  readonly appName: string
  readonly emailVerification: EmailVerification
  readonly mailLimits: MailLimits
  readonly session: { readonly idleMs: number; readonly absoluteMs: number }
  readonly keys: { readonly idleMs: number; readonly absoluteMs: number; readonly rotationOverlapMs: number }
  readonly maxSkewSeconds: number
  readonly maxFutureSkewSeconds: number
  readonly throttle: ThrottleOptions
  readonly dbsc: DbscConfig
  readonly mfaRequiredRoles: ReadonlySet<Role>
  readonly onSecondFactorReset: SecondFactorResetHook | undefined
  readonly passkeys: { readonly rpId: string; readonly rpName: string; readonly origins: readonly string[] }
}

const HOUR = 3_600_000
const DAY = 24 * HOUR

/** Validates and freezes the options once, so requests never re-parse them (fails at start-up). */
export function resolveConfig(options: TesseraOptions): TesseraConfig {
  checkOptionNames(options)
  const publicOrigin = canonicalOrigin(options.publicOrigin, 'publicOrigin')
  const own = [publicOrigin, ...(options.alsoOrigins ?? []).map((o) => canonicalOrigin(o, 'alsoOrigins'))]
  const cors = [...own, ...(options.corsOrigins ?? []).map((o) => canonicalOrigin(o, 'corsOrigins', true))]
  const scheme = publicOrigin.startsWith('https:') ? 'https' : 'http'
  if (options.sweepIntervalMs !== undefined) positive(options.sweepIntervalMs, 'sweepIntervalMs', true)
  if (options.credentialCache) positive(options.credentialCache.ttlMs ?? 1, 'credentialCache.ttlMs')
  for (const name of ['queueLength', 'queueWaitMs'] as const) {
    const value = options.passwordHashing?.[name]
    if (value !== undefined) positive(value, `passwordHashing.${name}`)
  }
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
    appName: options.appName ?? 'Tessera',
    emailVerification: emailVerification(options.emailVerification),
    mailLimits: mailLimits(options.mailLimits),
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
    dbsc: resolveDbsc(options.dbsc, secure),
    mfaRequiredRoles: mfaRequiredRoles(options.mfaRequiredRoles),
    onSecondFactorReset: options.onSecondFactorReset,
    passkeys: passkeySettings(options, publicOrigin, cors),
  })
}

function passkeySettings(options: TesseraOptions, publicOrigin: string, cors: string[]) {
  const host = new URL(publicOrigin).hostname
  const rpId = options.passkeys?.rpId ?? (isLoopback(host) ? 'localhost' : host)
  for (const origin of options.passkeys?.origins ?? [])
    if (!/^(https:\/\/|http:\/\/localhost[:/]|android:apk-key-hash:)/.test(origin))
      throw new Error(`passkeys.origins: ${origin} is not https, localhost or android:apk-key-hash`)
  const origins = [...new Set([...cors, ...(options.passkeys?.origins ?? [])])]
  return Object.freeze({ rpId, rpName: options.passkeys?.rpName ?? rpId, origins: Object.freeze(origins) })
}

function mfaRequiredRoles(roles: Role[] = []): ReadonlySet<Role> {
  for (const role of roles)
    if (!(ROLES as readonly string[]).includes(role))
      throw new Error(`mfaRequiredRoles: unknown role ${role}`)
  return new Set(roles)
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

function emailVerification(value: EmailVerification | undefined): EmailVerification {
  if (value === undefined) return 'optional'
  if (!EMAIL_VERIFICATION.includes(value))
    throw new Error(`emailVerification must be one of ${EMAIL_VERIFICATION.join(', ')}`)
  return value
}

function mailLimits(given: Partial<MailLimits> = {}): MailLimits {
  const merged = { ...DEFAULT_MAIL_LIMITS }
  for (const [name, value] of Object.entries(given) as Array<[keyof MailLimits, number]>) {
    if (!(name in DEFAULT_MAIL_LIMITS)) throw new Error(`mailLimits.${name} is not an option`)
    merged[name] = positive(value, `mailLimits.${name}`)
  }
  return Object.freeze(merged)
}

function masterSecrets(options: TesseraOptions): MasterSecrets {
  if (options.secret instanceof MasterSecrets) return options.secret
  const bytes = (s: string | Uint8Array) => (typeof s === 'string' ? parseSecret(s) : s)
  try {
    return new MasterSecrets(bytes(options.secret), (options.previousSecrets ?? []).map(bytes))
  } catch (error) {
    throw new TesseraConfigError(
      `Tessera: createTessera() option "secret": ${(error as Error).message}; make one with: openssl rand -hex 32`,
    )
  }
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
