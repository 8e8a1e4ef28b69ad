import { clearedSessionCookie } from '../cookies.ts'
import { expiresAt } from '../credentials.ts'
import { ProblemError } from '../errors.ts'
import { internals } from '../internals.ts'
import { type Endpoint, objectSchema, STRING } from './endpoint.ts'
import { iso } from './guards.ts'

export const listCredentials: Endpoint = {
  method: 'GET',
  path: '/auth/credentials',
  access: 'authenticated',
  summary: "The caller's live sessions and keys, the current one marked",
  errors: ['unauthenticated'],
  async handle({ tessera, principal }) {
    const records = await tessera.listCredentials(principal.user.id)
    const credentials = records.map((c) => ({
      id: c.id,
      type: c.type,
      algorithm: c.algorithm,
      label: c.label,
      createdAt: iso(c.createdAt),
      lastUsedAt: iso(c.lastUsedAt),
      expiresAt: iso(expiresAt(c)),
      current: c.id === principal.credential.id,
    }))
    return { status: 200, body: { credentials } }
  },
}

export const revokeCredential: Endpoint = {
  method: 'DELETE',
  path: '/auth/credentials/:id',
  access: 'authenticated',
  summary: 'Revoke one of your credentials (admins: anyone’s)',
  params: objectSchema({ id: { ...STRING(5, 64), pattern: '^(ses|key)_[A-Za-z0-9_-]+$' } }, ['id']),
  errors: ['unauthenticated', 'not_found', 'csrf_failed'],
  async handle({ tessera, principal, params, request }) {
    const id = params.id as string
    const isAdmin = principal.user.role === 'admin'
    const found = await tessera.revoke(id, {
      by: principal.user.id,
      ip: request.ip,
      ...(!isAdmin && { ownedBy: principal.user.id }),
    })
    // Someone else's id answers exactly like an unknown one: ids cannot be probed.
    if (found === undefined) throw new ProblemError('not_found')
    const { cookieName, secureCookies } = internals(tessera).config
    const cookies =
      id === principal.credential.id && found.credential.type === 'session'
        ? [clearedSessionCookie(cookieName, secureCookies)]
        : []
    return { status: 204, cookies }
  },
}
