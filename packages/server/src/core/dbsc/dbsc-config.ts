import type { RawHeaders, Role } from '../types.ts'

export interface DbscOptions {
  /** Offer device binding to browser sessions (default true). Off: sessions behave as before DBSC. */
  enabled?: boolean
  /** Lifetime of the short bound cookie, ms (default 10 minutes): how long a copied cookie set stays usable. */
  boundCookieMs?: number
  /** Lifetime of a registration or refresh challenge, ms (default 5 minutes). */
  challengeMs?: number
  /**
   * Roles whose sessions must be bound when the browser can bind (default none): such a session
   * is refused (`session_refresh_required`) until the browser has registered its key.
   */
  requireForRoles?: readonly Role[]
  /**
   * Whether the browser logging in can bind, judged from its request headers. Default: Chrome or
   * Edge 145 or later on Windows, per its `Sec-CH-UA` client hints (where Chrome ships DBSC).
   */
  browserSupports?: (headers: RawHeaders) => boolean
}

export interface DbscConfig {
  readonly enabled: boolean
  readonly boundCookieMs: number
  readonly challengeMs: number
  readonly requireForRoles: ReadonlySet<Role>
  readonly browserSupports: (headers: RawHeaders) => boolean
  /** `__Host-tessera-bound` on https; a plain name where `__Host-` is impossible (plain-http loopback). */
  readonly cookieName: string
  readonly secureCookie: boolean
}

const MINUTE = 60_000

export function resolveDbsc(options: DbscOptions = {}, secure: boolean): DbscConfig {
  const boundCookieMs = options.boundCookieMs ?? 10 * MINUTE
  const challengeMs = options.challengeMs ?? 5 * MINUTE
  for (const [name, value] of [
    ['dbsc.boundCookieMs', boundCookieMs],
    ['dbsc.challengeMs', challengeMs],
  ] as const) {
    if (!Number.isInteger(value) || value < 1000)
      throw new Error(`${name} must be a whole number of ms ≥ 1000`)
  }
  return Object.freeze({
    enabled: options.enabled ?? true,
    boundCookieMs,
    challengeMs,
    requireForRoles: new Set(options.requireForRoles ?? []),
    browserSupports: options.browserSupports ?? chromeOnWindows,
    cookieName: secure ? '__Host-tessera-bound' : 'tessera-bound',
    secureCookie: secure,
  })
}

const BRAND = /"(Google Chrome|Microsoft Edge|Chromium)";v="(\d+)"/g

/** Chrome/Edge ≥ 145 on Windows, by client hints: a hint, not a proof (a client can say anything). */
export function chromeOnWindows(headers: RawHeaders): boolean {
  let brands = ''
  let platform = ''
  for (const [name, value] of headers) {
    const lower = name.toLowerCase()
    if (lower === 'sec-ch-ua') brands += value
    else if (lower === 'sec-ch-ua-platform') platform = value
  }
  if (platform !== '"Windows"') return false
  for (const match of brands.matchAll(BRAND)) if (Number(match[2]) >= 145) return true
  return false
}
