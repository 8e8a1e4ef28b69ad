import { clearedSessionCookie } from '../cookies.ts'
import { clearedBoundCookie } from '../dbsc/bound-cookie.ts'
import { internals } from '../internals.ts'
import type { Endpoint } from './endpoint.ts'
import { iso } from './guards.ts'

export const logout: Endpoint = {
  method: 'POST',
  path: '/auth/logout',
  access: 'authenticated',
  allowUnenrolled: true,
  summary: 'End the credential used for this request (session or key)',
  errors: ['unauthenticated', 'csrf_failed'],
  async handle({ tessera, principal, request }) {
    const { credential } = principal
    await tessera.logout(principal, { ip: request.ip })
    const { config, deviceBinding } = internals(tessera)
    const { cookieName, secureCookies } = config
    const cookies = credential.type === 'session' ? [clearedSessionCookie(cookieName, secureCookies)] : []
    // DBSC: without its bound cookie the browser asks for a refresh at once, and is told the session ended.
    if (credential.type === 'session' && deviceBinding) cookies.push(clearedBoundCookie(deviceBinding.config))
    return { status: 204, cookies }
  },
}

export const me: Endpoint = {
  method: 'GET',
  path: '/auth/me',
  access: 'authenticated',
  allowUnenrolled: true,
  summary: 'The caller and the credential it used',
  errors: ['unauthenticated'],
  async handle({ principal }) {
    const { id, type, expiresAt } = principal.credential
    return {
      status: 200,
      body: { user: principal.user, credential: { id, type, expiresAt: iso(expiresAt) } },
    }
  },
}

export const csrf: Endpoint = {
  method: 'GET',
  path: '/auth/csrf',
  access: 'session',
  allowUnenrolled: true,
  summary: "The session's CSRF token (after a page reload)",
  errors: ['unauthenticated'],
  async handle({ tessera, principal }) {
    return { status: 200, body: { csrfToken: tessera.csrfToken(principal.credential.id) } }
  },
}
