import { createHmac, type KeyObject, timingSafeEqual } from 'node:crypto'
import type { SetCookie } from '../cookies.ts'
import type { DbscConfig } from './dbsc-config.ts'

/**
 * The short-lived bound cookie: `<expiry>.<mac>`, an HMAC over the session id and the expiry,
 * so checking it costs no lookup and it is worth nothing beside another session's cookie. Only
 * a refresh signed with the session's key renews it.
 */
export function boundCookie(key: KeyObject, config: DbscConfig, sessionId: string, now: number): SetCookie {
  const expires = Math.floor((now + config.boundCookieMs) / 1000)
  return {
    ...boundCookieShape(config),
    value: `${expires}.${mac(key, sessionId, expires)}`,
    maxAge: Math.floor(config.boundCookieMs / 1000),
  }
}

export function clearedBoundCookie(config: DbscConfig): SetCookie {
  return { ...boundCookieShape(config), value: '', maxAge: 0 }
}

/** True when `value` is this session's bound cookie and its expiry (server clock) has not passed. */
export function boundCookieValid(key: KeyObject, sessionId: string, value: string, now: number): boolean {
  const dot = value.indexOf('.')
  const expiresText = value.slice(0, dot)
  if (dot < 1 || !/^\d{1,12}$/.test(expiresText)) return false
  const expires = Number(expiresText)
  const expected = Buffer.from(mac(key, sessionId, expires))
  const given = Buffer.from(value.slice(dot + 1))
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return false
  return expires * 1000 > now
}

/** The attributes the session configuration names: Chromium checks the cookie it watches by them. */
export function boundCookieAttributes(config: DbscConfig): string {
  return `Path=/; SameSite=Strict; HttpOnly${config.secureCookie ? '; Secure' : ''}`
}

function boundCookieShape(config: DbscConfig): Omit<SetCookie, 'value'> {
  return {
    name: config.cookieName,
    httpOnly: true,
    secure: config.secureCookie,
    sameSite: 'Strict',
    path: '/',
  }
}

function mac(key: KeyObject, sessionId: string, expires: number): string {
  return createHmac('sha256', key)
    .update(`${sessionId}\n${expires}`)
    .digest()
    .subarray(0, 16)
    .toString('base64url')
}
