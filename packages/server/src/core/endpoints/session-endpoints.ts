import { clearedSessionCookie } from '../cookies.ts'
import { clearedBoundCookie } from '../dbsc/bound-cookie.ts'
import type { Endpoint } from './endpoint.ts'
import { iso } from './guards.ts'

export const logout: Endpoint = {
  method: 'POST',
  path: '/auth/logout',
  access: 'authenticated',
  allowUnenrolled: true,
  summary: 'End the credential used for this request (session or key)',
  errors: ['unauthenticated', 'csrf_failed'],
  async handle({ tessera, principal, request, now }) {
    const { credential, user } = principal
    await tessera.stores.credentials.revoke(credential.id, now)
    await tessera.audit.record('logout', { userId: user.id, credentialId: credential.id, ip: request.ip })
    const { cookieName, secureCookies } = tessera.config
    const cookies = credential.type === 'session' ? [clearedSessionCookie(cookieName, secureCookies)] : []
    // DBSC: without its bound cookie the browser asks for a refresh at once, and is told the session ended.
    if (credential.type === 'session' && tessera.deviceBinding)
      cookies.push(clearedBoundCookie(tessera.deviceBinding.config))
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
