import { createHmac, type KeyObject, timingSafeEqual } from 'node:crypto'
import { singleHeader } from './request-headers.ts'
import type { RawHeaders } from './types.ts'

/**
 * CSRF defence for cookie-authenticated requests (OWASP CSRF Prevention Cheat Sheet):
 * a synchronizer token that is an HMAC of the session id under a server key (so it is
 * bound to one session and needs no storage), plus a check of the request's origin
 * with standard headers and Fetch Metadata.
 */
export const UNSAFE_METHODS: ReadonlySet<string> = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

export function csrfTokenFor(key: KeyObject, sessionId: string): string {
  return createHmac('sha256', key).update(sessionId).digest('base64url')
}

export function verifyCsrfToken(
  key: KeyObject,
  sessionId: string,
  presented: string | null | undefined,
): boolean {
  if (typeof presented !== 'string' || presented.length !== 43) return false
  const expected = Buffer.from(csrfTokenFor(key, sessionId))
  const given = Buffer.from(presented)
  return given.length === expected.length && timingSafeEqual(given, expected)
}

export type OriginVerdict = 'allowed' | 'cross-site' | 'foreign-origin' | 'no-origin'

/**
 * Where a request comes from, judged against the exact set of the app's own origins:
 * - `Sec-Fetch-Site: cross-site` is refused outright;
 * - an `Origin` must be one of them exactly (`null` never is);
 * - without `Origin`, the `Referer`'s origin must be;
 * - with neither, only a client that sends no Fetch Metadata either (not a browser,
 *   so no ambient cookie to abuse) passes.
 */
export function checkRequestOrigin(headers: RawHeaders, allowed: ReadonlySet<string>): OriginVerdict {
  const site = singleHeader(headers, 'sec-fetch-site')
  if (site === null || site === 'cross-site') return 'cross-site'
  const origin = singleHeader(headers, 'origin')
  if (origin === null) return 'foreign-origin'
  if (origin !== undefined) return allowed.has(origin) ? 'allowed' : 'foreign-origin'
  const referer = singleHeader(headers, 'referer')
  if (referer === null) return 'foreign-origin'
  if (referer !== undefined) return allowed.has(originOf(referer)) ? 'allowed' : 'foreign-origin'
  return site === undefined ? 'allowed' : 'no-origin'
}

function originOf(url: string): string {
  try {
    return new URL(url).origin
  } catch {
    return 'null'
  }
}
