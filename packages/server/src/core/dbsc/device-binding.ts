import type { KeyObject } from 'node:crypto'
import { parseItem } from 'structured-headers'
import type { AuditLog } from '../audit-log.ts'
import type { AuthOutcome } from '../authenticator.ts'
import type { SetCookie } from '../cookies.ts'
import { cookieValues, singleHeader } from '../request-headers.ts'
import type { MasterSecrets } from '../secrets.ts'
import type {
  CredentialWithUser,
  DbscAlgorithm,
  DbscBinding,
  DbscStore,
  NonceStore,
  UserRecord,
} from '../stores.ts'
import type { RawHeaders, RequestView } from '../types.ts'
import { BindingCache } from './binding-cache.ts'
import { boundCookie, boundCookieAttributes, boundCookieValid } from './bound-cookie.ts'
import { DbscChallenges } from './challenges.ts'
import type { DbscConfig } from './dbsc-config.ts'

export const DBSC_REGISTER_PATH = '/auth/dbsc/register'
export const DBSC_REFRESH_PATH = '/auth/dbsc/refresh'
/** How long after login a session the role policy requires to be bound may be used while its browser registers. */
export const REGISTRATION_GRACE_MS = 10_000

export interface DeviceBindingParts {
  config: DbscConfig
  store: DbscStore
  nonces: NonceStore
  secrets: MasterSecrets
  audit: AuditLog
}

/**
 * Device Bound Session Credentials (W3C WebAppSec DBSC) around Tessera's session cookie: the
 * registration offer at login, the bound-cookie check on every cookie request, and the pieces
 * the register/refresh endpoints share. A session never offered or never registered behaves
 * exactly as before (browsers without DBSC), unless the role policy requires binding.
 */
export class DeviceBinding {
  readonly config: DbscConfig
  readonly store: DbscStore
  readonly challenges: DbscChallenges
  readonly #bindings: BindingCache
  readonly #cookieKey: KeyObject
  readonly #audit: AuditLog

  constructor(parts: DeviceBindingParts) {
    this.config = parts.config
    this.store = parts.store
    this.challenges = new DbscChallenges(
      parts.secrets.derive('dbsc-challenge'),
      parts.nonces,
      parts.config.challengeMs,
    )
    this.#bindings = new BindingCache(parts.store, parts.config.challengeMs)
    this.#cookieKey = parts.secrets.derive('dbsc-cookie')
    this.#audit = parts.audit
  }

  /** Headers for a fresh session's login answer: `Secure-Session-Registration` with a single-use challenge. */
  async offer(
    sessionId: string,
    user: UserRecord,
    headers: RawHeaders,
    now: number,
  ): Promise<Record<string, string>> {
    const required = this.config.requireForRoles.has(user.role) && this.config.browserSupports(headers)
    await this.store.offer(sessionId, required)
    const challenge = this.challenges.issue('register', sessionId, now)
    return {
      'secure-session-registration': `(ES256 RS256);path="${DBSC_REGISTER_PATH}";challenge="${challenge}"`,
    }
  }

  /**
   * The bound-session rule for a live session presented by cookie: a bound (or binding-required)
   * session needs its valid bound cookie, else `401 session_refresh_required`, on which a DBSC
   * browser refreshes with its key and retries. Answers undefined, without waiting, when the
   * request passes on what is known here (the hot path of every unbound browser); else a promise
   * of the refusal, or of undefined once the store has been read.
   */
  check(
    record: CredentialWithUser,
    request: RequestView,
    now: number,
  ): Promise<AuthOutcome | undefined> | undefined {
    const sessionId = record.credential.id
    const presented = cookieValues(request.headers, this.config.cookieName)
    if (presented.length === 1 && boundCookieValid(this.#cookieKey, sessionId, presented[0] as string, now))
      return undefined
    const cached = this.#bindings.cached(sessionId, now)
    if (cached === null)
      return this.#bindings
        .find(sessionId, record.credential.createdAt, now)
        .then((binding) => this.#judge(binding, record, request, presented.length, now))
    const outcome = this.#judge(cached, record, request, presented.length, now)
    return outcome && Promise.resolve(outcome)
  }

  #judge(
    binding: DbscBinding | undefined,
    record: CredentialWithUser,
    request: RequestView,
    presented: number,
    now: number,
  ): AuthOutcome | undefined {
    if (binding === undefined || (binding.publicJwk === null && !binding.required)) return undefined
    // Chromium does not hold the app's requests while it registers: a required binding gets a moment.
    if (binding.publicJwk === null && now < record.credential.createdAt + REGISTRATION_GRACE_MS)
      return undefined
    const skipped = skippedReason(request.headers)
    const reason =
      binding.publicJwk === null
        ? 'binding_required'
        : presented === 0
          ? 'no_bound_cookie'
          : 'bound_cookie_invalid'
    void this.#audit.record('session_use_after_expire', {
      userId: record.user.id,
      credentialId: record.credential.id,
      ip: request.ip,
      detail: { reason, skipped: skipped ?? null },
    })
    const detail =
      skipped === undefined
        ? 'this session is bound to a device: its browser must refresh it'
        : `the browser skipped the refresh (${skipped}): log in again`
    return { ok: false, code: 'session_refresh_required', extras: { detail } }
  }

  /** Stores the registered key (once: false when the session is not pending) and remembers it here at once. */
  async bind(sessionId: string, algorithm: DbscAlgorithm, publicJwk: string, now: number): Promise<boolean> {
    if (!(await this.store.bind(sessionId, algorithm, publicJwk, now))) return false
    this.#bindings.remember(sessionId, {
      credentialId: sessionId,
      required: false,
      algorithm,
      publicJwk,
      boundAt: now,
    })
    return true
  }

  boundCookie(sessionId: string, now: number): SetCookie {
    return boundCookie(this.#cookieKey, this.config, sessionId, now)
  }

  /** The session configuration a DBSC browser keeps after registration and each refresh. */
  sessionConfiguration(sessionId: string) {
    return {
      session_identifier: sessionId,
      refresh_url: DBSC_REFRESH_PATH,
      scope: { include_site: false, scope_specification: [] },
      credentials: [
        { type: 'cookie', name: this.config.cookieName, attributes: boundCookieAttributes(this.config) },
      ],
    }
  }
}

/**
 * `Secure-Session-Skipped: quota_exceeded;session_identifier="…"`: the browser held back a
 * refresh (quota, server unreachable). Anyone can send it, so it never lets a request through;
 * it only changes the advice to log in again (a new session, bound afresh when the browser can).
 */
function skippedReason(headers: RawHeaders): string | undefined {
  const value =
    singleHeader(headers, 'secure-session-skipped') ?? singleHeader(headers, 'sec-secure-session-skipped')
  if (typeof value !== 'string' || value.length > 200) return undefined
  try {
    return String(parseItem(value)[0]).slice(0, 40)
  } catch {
    return 'unparsable'
  }
}
